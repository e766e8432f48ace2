#!/usr/bin/env python3
"""The memory bound of a huge artifact download: `muxi-chat artifacts save` of a 1 MB and of
a 1 GB artifact from a loopback stand-in of the runtime's `/artifacts/{id}/content` (served as
fast as loopback goes), the CLI's peak resident memory for each (from the kernel's rusage of
the child), the throughput, and the bytes on disk checked against what was sent.

    python3 Benchmarks/download_bench.py .build/release/muxi-chat [--big-mb 1024]

The figure that matters is the peak of the big download over the small one's, measured in the
same run: the download is written to disk as it comes, so it must not grow with the file.
"""
import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CHUNK = bytes(range(256)) * 256   # 64 KiB of a known pattern


def pattern_digest(size):
    h = hashlib.sha256()
    left = size
    while left:
        piece = CHUNK[:min(left, len(CHUNK))]
        h.update(piece)
        left -= len(piece)
    return h.hexdigest()


class Artifacts(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    sizes = {}

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = self.path.split("?")[0]
        name = path.split("/")[3] if path.count("/") >= 3 else ""
        size = self.sizes.get(name)
        if size is None or not path.endswith("/content"):
            body = b'{"error":{"code":"RESOURCE_NOT_FOUND","message":"no such artifact"}}'
            self.send_response(404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Disposition", 'attachment; filename="%s.bin"' % name)
        self.send_header("Content-Length", str(size))
        self.end_headers()
        left = size
        while left:
            piece = CHUNK[:min(left, len(CHUNK))]
            self.wfile.write(piece)
            left -= len(piece)


def download(binary, url, name, out):
    env = {"HOME": out, "XDG_STATE_HOME": out + "/state", "PATH": "/usr/bin:/bin",
           "MUXI_URL": url, "MUXI_CLIENT_KEY": "fmc_bench", "MUXI_USER_ID": "bench"}
    started = time.monotonic()
    child = subprocess.Popen([binary, "artifacts", "save", name, "--out", out + "/files"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stdout = child.stdout.read()
    stderr = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.monotonic() - started
    if child.returncode != 0:
        sys.exit("artifacts save %s failed (%d): %s" % (name, child.returncode, stderr.decode(errors="replace")))
    return stdout.decode().strip(), usage.ru_maxrss / 1024.0, elapsed   # ru_maxrss is in KiB on Linux


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--big-mb", type=int, default=1024)
    args = parser.parse_args()
    small, big = 1 << 20, args.big_mb << 20
    Artifacts.sizes = {"art_small": small, "art_big": big}
    server = ThreadingHTTPServer(("127.0.0.1", 0), Artifacts)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = "http://127.0.0.1:%d" % server.server_address[1]
    out = tempfile.mkdtemp(prefix="muxi-download-bench-")
    try:
        rows = []
        for name, size in (("art_small", small), ("art_big", big)):
            path, peak, elapsed = download(os.path.abspath(args.binary), url, name, out)
            on_disk = os.path.getsize(path)
            with open(path, "rb") as f:
                digest = hashlib.file_digest(f, "sha256").hexdigest() if hasattr(hashlib, "file_digest") else None
            if on_disk != size or (digest and digest != pattern_digest(size)):
                sys.exit("%s: %d bytes on disk, %d sent (or the bytes differ)" % (name, on_disk, size))
            rows.append((name, size, peak, elapsed))
            os.remove(path)
        print("artifact download (muxi-chat artifacts save, loopback, written to disk as it comes)")
        for name, size, peak, elapsed in rows:
            print("  %-9s %7.1f MB  peak RSS %6.1f MB  %5.2f s  %6.0f MB/s" % (name, size / 1e6, peak, elapsed, size / 1e6 / elapsed))
        grow = rows[1][2] - rows[0][2]
        print("  the %d MB download's peak over the 1 MB one's: %+.1f MB (target: under 32 MB)" % (args.big_mb, grow))
        return 0 if grow < 32 else 1
    finally:
        server.shutdown()
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
