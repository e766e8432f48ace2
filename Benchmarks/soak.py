#!/usr/bin/env python3
"""The streamed soak of `make stress`: the full-screen app, as a heavy user has it (10,000
sessions, 10,000 memories, a session of 10,000 messages open), kept streaming for SOAK_SECONDS
(default 3600) in a 200x50 pty: turn after turn, each answer TOKENS tokens at 200 a second, a new
session every SOAK_TURNS_PER_SESSION turns (as a user moves on; the transcript on screen is then
the new session's). Resident memory is sampled every 10 s; the figure is its growth from the end
of the warm-up (SOAK_WARMUP seconds, default 180) to the end, and the largest value seen.

A memory that grows with the time the app runs (a cache never trimmed, a task never ended)
shows as growth here; what the user keeps on screen on purpose is bounded by the sessions.

Usage: soak.py MUXI-CHAT"""
import os
import subprocess
import sys
import tempfile
import time
import shutil

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import app_bench as bench   # noqa: E402  (the pty helpers)

SECONDS = float(os.environ.get("SOAK_SECONDS", "3600"))
WARMUP = float(os.environ.get("SOAK_WARMUP", "180"))
TOKENS = int(os.environ.get("SOAK_TOKENS", "2000"))
TURNS_PER_SESSION = int(os.environ.get("SOAK_TURNS_PER_SESSION", "10"))


def main():
    bench.APP = sys.argv[1]
    home = tempfile.mkdtemp(prefix="muxi-soak-")
    source = subprocess.Popen([sys.executable, os.path.join(bench.HERE, "sse_source.py"), "--tokens", str(TOKENS), "--pace", "0.005",
                               "--sessions", "10000", "--memories", "10000", "--messages", "10000"], stdout=subprocess.PIPE, text=True)
    try:
        port, _ = source.stdout.readline().split()
        url = "http://127.0.0.1:%s" % port
        pid, fd = bench.spawn([bench.APP, "--url", url, "--client-key", "bench", "--user", "bench", "--session", "sess_big"], home)
        bench.read_until(fd, b"+)", 60)      # the memories' first page: every first load in
        started = time.perf_counter()
        samples, turns, next_sample = [], 0, started
        while time.perf_counter() - started < SECONDS:
            if turns and turns % TURNS_PER_SESSION == 0:
                os.write(fd, b"\x0e")           # Ctrl+N: a new session
                bench.drain(fd, 0.3)
            os.write(fd, b"tell me a long story %d\r" % turns)
            deadline = time.perf_counter() + TOKENS * 0.005 + 30
            while time.perf_counter() < deadline:   # the answer streams; sample while it does
                got, _ = bench.drain(fd, 1.0)
                now = time.perf_counter()
                if now >= next_sample:
                    samples.append((now - started, bench.rss_mb(pid)))
                    next_sample = now + 10
                if not got:                      # a second with nothing drawn: the answer is in
                    break
            turns += 1
        bench.finish(pid, fd)
    finally:
        source.kill()
        shutil.rmtree(home, ignore_errors=True)
    warm = [mb for t, mb in samples if t >= WARMUP] or [samples[-1][1]]
    print("soak: %.0f s, %d turns of %d tokens, a new session every %d turns" % (SECONDS, turns, TOKENS, TURNS_PER_SESSION))
    print("  resident memory  %.1f MB after the warm-up (%.0f s), %.1f MB at the end: growth %+.1f MB (target <= 5 MB); largest %.1f MB"
          % (warm[0], WARMUP, warm[-1], warm[-1] - warm[0], max(mb for _, mb in samples)))
    for t, mb in samples[::max(1, len(samples) // 12)]:
        print("    %6.0f s  %6.1f MB" % (t, mb))
    return 0 if warm[-1] - warm[0] <= 5 else 1


if __name__ == "__main__":
    sys.exit(main())
