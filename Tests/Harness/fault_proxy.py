#!/usr/bin/env python3
"""A fault-injecting HTTP proxy between a client and the MUXI runtime, on 127.0.0.1.

Every request is forwarded to the upstream (one connection each, `Connection: close` both
ways), unless a scripted fault matches it. Faults are queued over the proxy's own routes:

    POST /__faults   [{"match": "/v1/chat", "fault": "cut", "after": 3}, ...]  queue faults
    GET  /__stats    {"injected": N, "survived": N, "open": N, "log": [...]}   what happened
    POST /__survived {"count": N}                                              a test saw N handled
    POST /__clear                                                              drop the queued faults
    POST /__reset                                                              forget everything

A fault applies to the next request whose path contains `match` (and whose method is
`method`, when given), once; `times` queues it for that many requests. The faults:

    status        answer `code` (429, 502, 503...) with `retry_after` as Retry-After, no upstream
    cut           forward the response, then close the connection after `after` SSE events
                  (keepalive comments are not counted; with `after_content`, only content tokens)
    stall         forward `after` SSE events, then only keepalives until the client gives up
    silent        forward `after` SSE events, then nothing at all, not even keepalives (as a
                  runtime whose event loop is blocked sends), until the client gives up
                  (the upstream answer is read to its end meanwhile, so the runtime completes)
    no_completed  forward the stream without its `completed` event (it ends with `done` only)
    drip          forward the response one byte at a time
    never         read the request and never answer
    hostile       answer a chat stream made of `frames` (raw SSE text, {request_id} and
                  {session_id} filled from the request, `pause` s apart), no upstream; with
                  `cut`, the connection is then cut instead of ended

The log records each request's method, path, idempotency key, user and the fault applied.

    python3 fault_proxy.py --upstream http://127.0.0.1:18371 --port 0   # prints its port
"""
import argparse
import asyncio
import json
import sys
from urllib.parse import urlparse

STATE = {"faults": [], "log": [], "injected": 0, "survived": 0, "open": 0}


async def read_request(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    body = b""
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        body = await read_chunked(reader)
    return method, path, headers, head, body


async def read_chunked(reader):
    body = b""
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")
            return body
        body += await reader.readexactly(size)
        await reader.readexactly(2)


def respond(writer, code, body, content_type="application/json", extra=()):
    reason = {200: "OK", 429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
              503: "Service Unavailable", 404: "Not Found"}.get(code, "Status")
    head = "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n" % (code, reason, content_type, len(body))
    for name, value in extra:
        head += "%s: %s\r\n" % (name, value)
    writer.write(head.encode() + b"\r\n" + body)


def take_fault(method, path):
    for fault in STATE["faults"]:
        if fault.get("match", "") in path and fault.get("method", method) == method:
            fault["times"] = fault.get("times", 1) - 1
            if fault["times"] <= 0:
                STATE["faults"].remove(fault)
            return fault
    return None


async def control(method, path, body, writer):
    if path == "/__faults" and method == "POST":
        STATE["faults"] += json.loads(body or b"[]")
        respond(writer, 200, b'{"queued":true}')
    elif path == "/__stats":
        stats = {k: STATE[k] for k in ("injected", "survived", "log")}
        stats["open"] = STATE["open"] - 1   # not counting this request
        stats["pending"] = len(STATE["faults"])
        respond(writer, 200, json.dumps(stats).encode())
    elif path == "/__survived" and method == "POST":
        STATE["survived"] += json.loads(body or b"{}").get("count", 1)
        respond(writer, 200, b'{"counted":true}')
    elif path == "/__clear" and method == "POST":
        STATE["faults"] = []
        respond(writer, 200, b'{"cleared":true}')
    elif path == "/__reset" and method == "POST":
        STATE.update(faults=[], log=[], injected=0, survived=0)
        respond(writer, 200, b'{"reset":true}')
    else:
        respond(writer, 404, b'{"error":"unknown control route"}')


async def upstream_response(upstream, method, path, headers, body):
    """Sends the request upstream; returns (reader, writer, status line + headers, chunked?)."""
    reader, writer = await asyncio.open_connection(upstream.hostname, upstream.port)
    head = "%s %s HTTP/1.1\r\n" % (method, path)
    for name, value in headers.items():
        if name not in ("connection", "transfer-encoding", "content-length", "host"):
            head += "%s: %s\r\n" % (name, value)
    head += "Host: %s:%d\r\nConnection: close\r\nContent-Length: %d\r\n\r\n" % (upstream.hostname, upstream.port, len(body))
    writer.write(head.encode() + body)
    await writer.drain()
    response_head = await reader.readuntil(b"\r\n\r\n")
    chunked = b"transfer-encoding: chunked" in response_head.lower()
    return reader, writer, response_head, chunked


async def body_pieces(reader, chunked):
    """The upstream body as it arrives, unchunked."""
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                return
            data = await reader.readexactly(size)
            await reader.readexactly(2)   # before yielding: a reader that takes over starts at a chunk
            yield data
    else:
        while True:
            piece = await reader.read(65536)
            if not piece:
                return
            yield piece


def chunk(data):
    return b"%x\r\n" % len(data) + data + b"\r\n"


def rechunked_head(head):
    """The upstream head, sent on as chunked with Connection: close."""
    lines = [l for l in head.decode("latin-1").split("\r\n") if l and not l.lower().startswith(("content-length", "transfer-encoding", "connection"))]
    return ("\r\n".join(lines) + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n").encode("latin-1")


async def events(pieces):
    """SSE events (each with its blank line) out of body pieces."""
    buffer = b""
    async for piece in pieces:
        buffer += piece
        while b"\n\n" in buffer:
            event, buffer = buffer.split(b"\n\n", 1)
            yield event + b"\n\n"
    if buffer:
        yield buffer


async def forward(fault, upstream, method, path, headers, body, writer, client=None):
    kind = fault["fault"] if fault else None
    up_reader, up_writer, head, chunked = await upstream_response(upstream, method, path, headers, body)
    try:
        if kind == "drip":
            raw = head + b"".join([p async for p in raw_pieces(up_reader)])
            for i in range(len(raw)):
                writer.write(raw[i:i + 1])
                await writer.drain()
                await asyncio.sleep(0.0005)
            return
        if kind is None:
            writer.write(head)
            async for piece in raw_pieces(up_reader):
                writer.write(piece)
                await writer.drain()
            return
        writer.write(rechunked_head(head))
        count = 0
        async for event in events(body_pieces(up_reader, chunked)):
            if event.startswith(b":"):   # keepalives are passed on and not counted
                writer.write(chunk(event))
                await writer.drain()
                continue
            if "after_content" in fault:
                count += b'"type":"content"' in event.replace(b" ", b"")
                limit = fault["after_content"]
            else:
                count += 1
                limit = fault.get("after", 1)
            if kind == "cut" and count > limit:
                writer.transport.abort()   # mid-stream, no chunked terminator
                return
            if kind in ("stall", "silent") and count > limit:
                await stall(writer, up_reader, chunked, client if kind == "silent" else None)
                return
            if kind == "no_completed" and b'"type":"completed"' in event.replace(b" ", b""):
                continue
            writer.write(chunk(event))
            await writer.drain()
        writer.write(b"0\r\n\r\n")
    finally:
        up_writer.close()


async def raw_pieces(reader):
    while True:
        piece = await reader.read(65536)
        if not piece:
            return
        yield piece


async def stall(writer, up_reader, chunked, silent_until_closed=None):
    """Keepalives every 0.2 s while the upstream answer is read to its end, until the client
    leaves; given the client's reader, nothing at all is sent, until it closes."""
    drained = asyncio.ensure_future(drain_upstream(up_reader, chunked))
    try:
        if silent_until_closed is not None:
            await silent_until_closed.read()   # EOF: the client gave up
            return
        while True:
            writer.write(chunk(b": keepalive\n\n"))
            await writer.drain()
            await asyncio.sleep(0.2)
    except (ConnectionError, OSError):
        pass
    finally:
        await asyncio.wait([drained], timeout=30)


async def drain_upstream(reader, chunked):
    async for _ in body_pieces(reader, chunked):
        pass


async def hostile(fault, body, writer):
    request = json.loads(body or b"{}")
    ids = {"request_id": request.get("request_id", "req_hostile"), "session_id": request.get("session_id", "sess_hostile")}
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
    for frame in fault.get("frames", []):
        text = frame.replace("{request_id}", ids["request_id"]).replace("{session_id}", ids["session_id"])
        writer.write(chunk(text.encode("utf-8", "surrogateescape")))
        await writer.drain()
        await asyncio.sleep(fault.get("pause", 0))
    if fault.get("cut"):
        writer.transport.abort()
        return
    writer.write(b"0\r\n\r\n")


async def handle(reader, writer, upstream):
    STATE["open"] += 1
    try:
        method, path, headers, _, body = await read_request(reader)
        if path.startswith("/__"):
            await control(method, path, body, writer)
            return
        fault = take_fault(method, path)
        STATE["log"].append({"method": method, "path": path, "idempotency_key": headers.get("x-muxi-idempotency-key"),
                             "user": headers.get("x-muxi-user-id"), "fault": fault["fault"] if fault else None})
        if fault:
            STATE["injected"] += 1
        kind = fault["fault"] if fault else None
        if kind == "status":
            extra = [("Retry-After", str(fault["retry_after"]))] if "retry_after" in fault else []
            error = {"success": False, "error": {"code": fault.get("error_code", "PROXY_FAULT"), "message": "injected %d" % fault["code"]}}
            respond(writer, fault["code"], json.dumps(error).encode(), extra=extra)
        elif kind == "never":
            await reader.read()   # until the client closes
        elif kind == "hostile":
            await hostile(fault, body, writer)
        else:
            await forward(fault, upstream, method, path, headers, body, writer, reader)
        await writer.drain()
    except (ConnectionError, OSError, asyncio.IncompleteReadError):
        pass
    finally:
        STATE["open"] -= 1
        writer.close()


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    upstream = urlparse(args.upstream)
    server = await asyncio.start_server(lambda r, w: handle(r, w, upstream), "127.0.0.1", args.port)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
