#!/usr/bin/env python3
"""A fast local chat stream in the MUXI runtime's exact frame format, for `make bench`.

POST /v1/chat answers with ": keepalive", TOKENS `data: {"token":{…"type":"content"…}}`
frames, one `completed` frame with the whole text, and `event: done`, sent chunked in
64 KiB writes. The body is built once at start, so the server is never the bottleneck.

    python sse_source.py --tokens 200000 --port 0     # prints the port, then serves
"""
import argparse
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

WORDS = ["alpha", " beta", " gamma", " delta", " naïve", " 世界", " omega", "\n"]


def build(tokens):
    ids = {"request_id": "req_BenchBenchBenchBench1", "user_id": "bench", "session_id": "sess_BenchBenchBenchBench1"}
    frames, text = [b": keepalive\n\n"], []
    for i in range(tokens):
        piece = WORDS[i % len(WORDS)]
        text.append(piece)
        token = dict(ids, type="content", content=piece, timestamp=1795956456.2495222 + i / 1e6,
                     stage="response_generation", skip_rephrase=True)
        frames.append(b"data: " + json.dumps({"token": token}, ensure_ascii=False, separators=(",", ":")).encode() + b"\n\n")
    whole = "".join(text)
    done = dict(ids, type="completed", content=whole, timestamp=1795956460.0, status="success",
                processing_time_ms=1000, agent_used="assistant")
    frames.append(b"data: " + json.dumps({"token": done}, ensure_ascii=False, separators=(",", ":")).encode() + b"\n\n")
    frames.append(b'event: done\ndata: {"finished":true}\n\n')
    return b"".join(frames), whole


class Source(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    body = b""

    def log_message(self, *args):
        pass

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        view = memoryview(self.body)
        for start in range(0, len(view), 65536):
            piece = view[start:start + 65536]
            self.wfile.write(b"%x\r\n" % len(piece) + piece + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tokens", type=int, default=200000)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--expected", help="write the expected answer text to this file")
    args = parser.parse_args()
    Source.body, whole = build(args.tokens)
    if args.expected:
        open(args.expected, "w", encoding="utf-8").write(whole)
    server = HTTPServer(("127.0.0.1", args.port), Source)
    print(server.server_address[1], len(Source.body), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
