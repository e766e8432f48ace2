#!/usr/bin/env python3
"""A local chat stream in the MUXI runtime's exact frame format, for `make bench`.

POST /v1/chat answers with ": keepalive", TOKENS `data: {"token":{…"type":"content"…}}`
frames, one `completed` frame with the whole text, and `event: done`. By default the body is
sent as fast as possible in 64 KiB chunks (built once at start, so the server is never the
bottleneck). With `--pace S` each token is its own chunk, S seconds apart, and the text is
prose in paragraphs, as a model streams it: the full-screen app's benchmark uses that.

GET /health, /v1/sessions, /v1/memories and /v1/sessions/ID/messages answer like an empty
formation, so the full-screen app can start on this source; a heavy user's data instead with
--sessions N (the session list), --memories N (paged with limit and offset, as the runtime
does) and --messages N (the session `sess_big`).

    python sse_source.py --tokens 200000 --port 0     # prints the port, then serves
"""
import argparse
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from socketserver import ThreadingMixIn

WORDS = ["alpha", " beta", " gamma", " delta", " naïve", " 世界", " omega", "\n"]
PROSE = [" the", " stream", "ing", " answer", " arrives", " in", " small", " pieces", ",", " and", " each",
         " piece", " is", " drawn", " as", " soon", " as", " it", " comes", "."]
EMPTY = {
    "/health": {"status": "healthy", "version": "bench", "uptime_seconds": 1},
    "/v1/sessions": {"success": True, "data": {"sessions": [], "count": 0}},
    "/v1/memories": {"success": True, "data": {"memories": [], "count": 0}},
}


def prose(i):
    """Token i of a prose answer: sentences, a paragraph break every 60 tokens."""
    return "\n\n" if i % 60 == 59 else PROSE[i % len(PROSE)]


def build(tokens, words=None):
    ids = {"request_id": "req_BenchBenchBenchBench1", "user_id": "bench", "session_id": "sess_BenchBenchBenchBench1"}
    frames, text = [b": keepalive\n\n"], []
    for i in range(tokens):
        piece = words(i) if words else WORDS[i % len(WORDS)]
        text.append(piece)
        token = dict(ids, type="content", content=piece, timestamp=1795956456.2495222 + i / 1e6,
                     stage="response_generation", skip_rephrase=True)
        frames.append(b"data: " + json.dumps({"token": token}, ensure_ascii=False, separators=(",", ":")).encode() + b"\n\n")
    whole = "".join(text)
    done = dict(ids, type="completed", content=whole, timestamp=1795956460.0, status="success",
                processing_time_ms=1000, agent_used="assistant")
    frames.append(b"data: " + json.dumps({"token": done}, ensure_ascii=False, separators=(",", ":")).encode() + b"\n\n")
    frames.append(b'event: done\ndata: {"finished":true}\n\n')
    return frames, whole


def envelope(data):
    return {"success": True, "data": data}


class Source(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    frames = []
    body = b""
    pace = 0.0
    sessions = 0
    memories = 0
    messages = 0

    def heavy(self, path, query):
        """A heavy user's answers, or None for the empty formation's."""
        if path == "/v1/sessions" and self.sessions:
            limit = int(query.get("limit", "50"))
            items = [{"session_id": "sess_%05d" % i, "last_activity": "2026-11-%02dT10:00:00Z" % (1 + i % 28),
                      "message_count": 10 + i % 90} for i in range(min(limit, self.sessions))]
            return envelope({"sessions": items, "count": len(items)})
        if path == "/v1/memories" and self.memories:
            limit, offset = int(query.get("limit", "10")), int(query.get("offset", "0"))
            items = [{"id": "mem_%05d" % i, "content": "the user said thing number %d about trains, tea and the weather in Lisbon" % i,
                      "metadata": {"type": ("preference", "fact", "goal")[i % 3]}, "created_at": "2026-11-20T10:00:00Z"}
                     for i in range(offset, min(offset + limit, self.memories))]
            return envelope({"memories": items, "count": len(items)})
        if path == "/v1/sessions/sess_big/messages" and self.messages:
            limit = int(query.get("limit", "50"))
            first = max(0, self.messages - limit)
            items = [{"role": "user" if i % 2 == 0 else "assistant",
                      "content": ("question %d: how does the stream reach the screen?" % i) if i % 2 == 0
                      else ("answer %d: in chunks, each drawn as it comes; **bold**, `code` and a list:\n- one\n- two" % i),
                      "timestamp": "2026-11-29T10:00:00Z"} for i in range(first, self.messages)]
            return envelope({"messages": items, "count": len(items)})
        return None

    def log_message(self, *args):
        pass

    def do_GET(self):
        path, _, raw = self.path.partition("?")
        query = dict(pair.split("=", 1) for pair in raw.split("&") if "=" in pair)
        answer = self.heavy(path, query)
        if answer is None:
            answer = EMPTY.get(path)
        if answer is None and path.startswith("/v1/sessions/") and path.endswith("/messages"):
            answer = {"success": True, "data": {"messages": [], "count": 0}}
        body = json.dumps(answer if answer is not None else {"success": False}).encode()
        self.send_response(200 if answer is not None else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if self.pace > 0:
            for frame in self.frames:
                self.wfile.write(b"%x\r\n" % len(frame) + frame + b"\r\n")
                self.wfile.flush()
                time.sleep(self.pace)
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
            return
        view = memoryview(self.body)
        for start in range(0, len(view), 65536):
            piece = view[start:start + 65536]
            self.wfile.write(b"%x\r\n" % len(piece) + piece + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


class Server(ThreadingMixIn, HTTPServer):
    daemon_threads = True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tokens", type=int, default=200000)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--expected", help="write the expected answer text to this file")
    parser.add_argument("--pace", type=float, default=0.0, help="seconds between tokens (prose text)")
    parser.add_argument("--sessions", type=int, default=0, help="a heavy user: this many sessions")
    parser.add_argument("--memories", type=int, default=0, help="a heavy user: this many memories")
    parser.add_argument("--messages", type=int, default=0, help="a heavy user: this many messages in sess_big")
    args = parser.parse_args()
    Source.pace = args.pace
    Source.sessions, Source.memories, Source.messages = args.sessions, args.memories, args.messages
    Source.frames, whole = build(args.tokens, prose if args.pace > 0 else None)
    Source.body = b"".join(Source.frames)
    if args.expected:
        open(args.expected, "w", encoding="utf-8").write(whole)
    server = Server(("127.0.0.1", args.port), Source)
    print(server.server_address[1], len(Source.body), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
