#!/usr/bin/env python3
"""The official Python SDK consuming a chat stream the way its users do: decode each frame,
print the content of each content token."""
import json
import sys

from muxi import FormationClient

client = FormationClient(url=sys.argv[1], client_key="bench")
out = sys.stdout
for event in client.chat_stream({"message": "bench"}, user_id="bench"):
    if event.get("event") in (None, "message"):
        token = json.loads(event["data"]).get("token") or {}
        if token.get("type") == "content":
            out.write(token["content"])
out.flush()
