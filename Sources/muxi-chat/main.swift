import MuxiChatCommands

await MuxiChat.execute(Array(CommandLine.arguments.dropFirst()))
