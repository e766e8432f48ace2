#!/usr/bin/env python3
"""A stand-in for an OpenAI-compatible LLM, so the real MUXI runtime runs offline.

Standard library only; binds to loopback only.

    GET  /v1/models
    POST /v1/chat/completions   (JSON, or SSE chunks when "stream" is true)
    POST /v1/embeddings         (deterministic unit vectors)
    POST /v1/audio/transcriptions (multipart, as Whisper takes it)

Answers are deterministic, so tests can check them:

* an ordinary message M gets "Stand-in answer: M" (M cut to 200 characters);
* a message containing "markdown" gets a fixed markdown answer (heading, list, quote,
  inline and fenced code, a link), to show rendering in the demo;
* a message containing "slowly" is streamed at a tenth of a second per chunk (to test
  cancelling a turn in the middle);
* the runtime's own calls get what they need: JSON for response_format requests (a
  json_schema is filled in), an empty "answer directly" plan for the planner, and the
  agent's answer unchanged for the final persona pass.

* an audio file is "transcribed" as "stand-in transcript of NAME: N bytes, sha256 H" (H the
  first 16 hex digits of the file's digest, so a test can prove the exact bytes arrived),
  followed by the text after "SAY:" when the file holds that marker (a WAV comment).

Streamed answers come a few characters at a time, STAND_IN_DELAY seconds apart
(default 0.005), so streaming is visible. With STAND_IN_STYLE=demo every answer is markdown
(a heading, a list, code) built around the question, for `make demo`. STAND_IN_LOG names a file that receives
every request body, one JSON object per line.
"""
import argparse
import zlib
import email.parser
import email.policy
import hashlib
import json
import os
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DELAY = float(os.environ.get("STAND_IN_DELAY", "0.005"))
LOG = os.environ.get("STAND_IN_LOG")
LOCK = threading.Lock()

MARKDOWN_ANSWER = """## A markdown answer

Here is what the stand-in model can show:

- **bold** and *emphasis*
- `inline code` and a [link](https://muxi.org)
- a numbered list:
  1. first
  2. second

> A block quote, for good measure.

```swift
let greeting = "Hello, MUXI"
print(greeting)
```

That is all."""

DEMO_ANSWER = """### About: {question}

This is the **stand-in model** of the muxi-chat demo (no real model key was set), answering
through the real MUXI runtime, streamed a few characters at a time:

1. your message went to the formation's overlord,
2. which picked the *assistant* agent,
3. whose answer streams back here as it is generated.

```bash
muxi-chat ask "{question}"   # the same question, from a script
```

> Set DEMO_OPENAI_API_KEY before `make demo` to talk to a real model."""

PLAN = {"steps": [], "my_steps": [], "delegate_steps": [], "data_flow": "Direct response - no tools needed"}
# A request holding FILE_CUE gets a plan that runs the runtime's own generate_file tool (its
# local path runs the code in a subprocess), so the answer's `completed` carries an artifact:
# report.txt holding FILE_TEXT, which the artifact memory then keeps.
# With SLOW_CUE too ("make a report file slowly"), the code first counts for a few seconds (the
# runtime's code runner refuses imports, so no time.sleep), so the runtime's artifact_generating
# progress ("Creating report.txt...") stays on screen a while.
FILE_CUE = "make a report file"
SLOW_CUE = "slowly"
SLOW_LOOP = 20_000_000
FILE_TEXT = "hello artifact from the stand-in\n"


# PICTURE_CUE gets picture.png instead: PICTURE, a 240x120 PNG (a gradient, a disc and bars)
# made here with zlib and written by the generated code as a bytes literal (no imports there).
PICTURE_CUE = "make a picture file"


def png(width, height, pixel):
    rows = b"".join(b"\0" + bytes(c for x in range(width) for c in pixel(x, y)) for y in range(height))
    def part(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    head = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + part(b"IHDR", head) + part(b"IDAT", zlib.compress(rows, 9)) + part(b"IEND", b"")


def picture_pixel(x, y):
    if (x - 60) ** 2 + (y - 60) ** 2 < 45 ** 2:
        return (230, 60, 40, 255)
    if x > 130 and (x // 20) % 2 == 0 and y > 120 - (x - 120) // 2:
        return (40, 90, 220, 255)
    return (x * 255 // 240, y * 255 // 120, 160, 255)


PICTURE = png(240, 120, picture_pixel)


def file_plan(slow, picture=False):
    name = "picture.png" if picture else "report.txt"
    code = ("n = 0\nfor i in range(%d):\n    n += i\n" % SLOW_LOOP if slow else "")
    if picture:
        code += "with open('picture.png', 'wb') as f:\n    f.write(%r)\n" % PICTURE
    else:
        code += "with open('report.txt', 'w') as f:\n    f.write(%r)\n" % FILE_TEXT
    return {
        "steps": [{"step_number": 1, "action": "Create " + name, "capability_needed": "file generation",
                   "tool_name": "generate_file", "can_i_do_this": True, "data_needed": "none",
                   "output_placeholder": "{{REPORT_FILE}}"}],
        "my_steps": [{"action": "Create " + name, "tool_name": "generate_file",
                      "parameters": {"code": code, "filename": name},
                      "output_placeholder": "{{REPORT_FILE}}"}],
        "delegate_steps": [], "data_flow": "generate_file creates " + name}


def text_of(content):
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text")
    return ""


def last_user_text(messages):
    for message in reversed(messages or []):
        if message.get("role") == "user":
            return text_of(message.get("content"))
    return ""


def system_text(messages):
    return " ".join(text_of(m.get("content")) for m in messages or [] if m.get("role") == "system")


def value_for(schema, text, depth=0):
    """A value that satisfies a JSON schema well enough for the runtime's parsers."""
    if depth > 8 or not isinstance(schema, dict):
        return None
    if schema.get("enum"):
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {k: value_for(v, text, depth + 1) for k, v in (schema.get("properties") or {}).items()}
    return {"array": [], "boolean": False, "integer": 0, "number": 0, "string": answer_for(text)}.get(kind)


def answer_for(text):
    if "markdown" in text.lower():
        return MARKDOWN_ANSWER
    if os.environ.get("STAND_IN_STYLE") == "demo":
        return DEMO_ANSWER.format(question=text[:200].replace("\n", " "))
    return "Stand-in answer: " + text[:200]


def reply(body):
    messages = body.get("messages") or []
    user = last_user_text(messages)
    fmt = body.get("response_format") or {}
    if isinstance(fmt, dict) and fmt.get("type") == "json_schema":
        return json.dumps(value_for((fmt.get("json_schema") or {}).get("schema"), user))
    if isinstance(fmt, dict) and fmt.get("type") == "json_object":
        return json.dumps({"response": answer_for(user)})
    if system_text(messages).startswith("You are a planning assistant"):
        asked = user.lower()
        if PICTURE_CUE in asked:
            return json.dumps(file_plan(SLOW_CUE in asked, picture=True))
        return json.dumps(file_plan(SLOW_CUE in asked) if FILE_CUE in asked else PLAN)
    if user.startswith("User request: ") and "\nAgent response: " in user:
        return user.split("\nAgent response: ", 1)[1]
    return answer_for(user)


def embedding(text, size):
    values, block = [], 0
    while len(values) < size:
        digest = hashlib.sha256(text.encode() + struct.pack("<I", block)).digest()
        values += [v / 2**31 - 1.0 for v in struct.unpack("<8I", digest)]
        block += 1
    values = values[:size]
    norm = sum(v * v for v in values) ** 0.5 or 1.0
    return [v / norm for v in values]


class StandIn(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        sys.stderr.write("stand-in llm: " + fmt % args + "\n")

    def log_request(self, body):
        """One line of STAND_IN_LOG: the path and the body (of an upload, what it held)."""
        if LOG:
            with LOCK, open(LOG, "a", encoding="utf-8") as log:
                log.write(json.dumps({"path": self.path, "body": body}) + "\n")

    def send_json(self, status, obj):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path.rstrip("/").endswith("/models"):
            models = ["gpt-4o-mini", "text-embedding-3-small"]
            self.send_json(200, {"object": "list", "data": [{"id": m, "object": "model", "owned_by": "stand-in"} for m in models]})
        else:
            self.send_json(404, {"error": {"message": "not found"}})

    def do_POST(self):
        size = int(self.headers.get("Content-Length") or 0)
        if self.path.split("?")[0].rstrip("/").endswith("/audio/transcriptions"):
            self.transcribe(self.rfile.read(size))
            return
        try:
            body = json.loads(self.rfile.read(size) or b"{}")
        except ValueError:
            self.send_json(400, {"error": {"message": "invalid JSON"}})
            return
        self.log_request(body)
        path = self.path.split("?")[0].rstrip("/")
        if path.endswith("/chat/completions"):
            self.complete(body)
        elif path.endswith("/embeddings"):
            items = body.get("input")
            items = items if isinstance(items, list) else [items]
            size = int(body.get("dimensions") or 1536)
            data = [{"object": "embedding", "index": i, "embedding": embedding(str(t), size)} for i, t in enumerate(items)]
            self.send_json(200, {"object": "list", "data": data, "model": body.get("model", ""),
                                 "usage": {"prompt_tokens": 1, "total_tokens": 1}})
        else:
            self.send_json(404, {"error": {"message": "unknown path " + path}})

    def transcribe(self, raw):
        """A Whisper-style multipart upload: the `file` part is "transcribed" (see the top)."""
        head = ("Content-Type: %s\r\n\r\n" % self.headers.get("Content-Type", "")).encode()
        message = email.parser.BytesParser(policy=email.policy.default).parsebytes(head + raw)
        fields, audio, name = {}, None, "audio"
        for part in message.iter_parts() if message.is_multipart() else []:
            field = part.get_param("name", header="content-disposition")
            if field == "file":
                audio, name = part.get_payload(decode=True) or b"", part.get_filename() or name
            elif field:
                fields[field] = part.get_content().strip()
        if audio is None:
            self.send_json(400, {"error": {"message": "no file part"}})
            return
        text = "stand-in transcript of %s: %d bytes, sha256 %s" % (name, len(audio), hashlib.sha256(audio).hexdigest()[:16])
        marker = audio.find(b"SAY:")
        if marker >= 0:
            said = audio[marker + 4:].split(b"\0")[0].decode("utf-8", "replace").strip()
            text += ". " + said
        self.log_request({"model": fields.get("model"), "file": name, "size": len(audio), "text": text})
        self.send_json(200, {"text": text})

    def complete(self, body):
        text = reply(body)
        model = body.get("model", "gpt-4o-mini")
        ident = "chatcmpl-standin-%d" % int(time.time() * 1000)
        usage = {"prompt_tokens": 1, "completion_tokens": max(1, len(text) // 4), "total_tokens": 1 + max(1, len(text) // 4)}
        if not body.get("stream"):
            self.send_json(200, {"id": ident, "object": "chat.completion", "created": int(time.time()), "model": model,
                                 "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                                 "usage": usage})
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

        def send(delta, finish=None, extra=None):
            chunk = {"id": ident, "object": "chat.completion.chunk", "created": int(time.time()), "model": model,
                     "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
            chunk.update(extra or {})
            self.wfile.write(b"data: " + json.dumps(chunk).encode() + b"\n\n")
            self.wfile.flush()

        send({"role": "assistant", "content": ""})
        delay = 0.1 if "slowly" in text.lower() else DELAY
        for start in range(0, len(text), 6):
            send({"content": text[start:start + 6]})
            if delay:
                time.sleep(delay)
        send({}, finish="stop")
        if (body.get("stream_options") or {}).get("include_usage"):
            self.wfile.write(b"data: " + json.dumps({"id": ident, "object": "chat.completion.chunk", "choices": [], "usage": usage}).encode() + b"\n\n")
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()


def main():
    parser = argparse.ArgumentParser(description="stand-in OpenAI-compatible LLM (loopback only)")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), StandIn)
    server.daemon_threads = True
    print("stand-in llm on http://127.0.0.1:%d/v1" % args.port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
