import MuxiClient
