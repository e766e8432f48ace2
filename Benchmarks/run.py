#!/usr/bin/env python3
"""`make bench`: one 200,000-token chat stream, consumed by our client (release build), by the
official Python SDK, and by curl (raw bytes, the floor), all in one run on this machine.
Prints the median of RUNS timings of each and the two ratios the project targets:
Python SDK / ours >= 10, ours / curl <= 3. Every consumer's output is checked first."""
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOKENS = int(os.environ.get("BENCH_TOKENS", "200000"))
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
OURS = sys.argv[1]
PYTHON = sys.argv[2]


def timed(cmd, stdout):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=stdout, stderr=subprocess.PIPE, check=True)
    return time.perf_counter() - start


def main():
    expected = tempfile.NamedTemporaryFile(delete=False, suffix=".txt").name
    source = subprocess.Popen([sys.executable, os.path.join(HERE, "sse_source.py"), "--tokens", str(TOKENS),
                               "--expected", expected], stdout=subprocess.PIPE, text=True)
    try:
        port, size = source.stdout.readline().split()
        url = "http://127.0.0.1:%s" % port
        consumers = {
            "ours": [OURS, url],
            "python-sdk": [PYTHON, os.path.join(HERE, "python_sdk_consumer.py"), url],
            "curl": ["curl", "-sN", "-X", "POST", "-H", "Content-Type: application/json", "-d", '{"message":"bench"}',
                     url + "/v1/chat"],
        }
        want = open(expected, "rb").read()
        for name in ("ours", "python-sdk"):
            got = subprocess.run(consumers[name], capture_output=True, check=True).stdout
            if got != want:
                sys.exit("bench: %s printed %d bytes, expected %d" % (name, len(got), len(want)))
        with open(os.devnull, "wb") as null:
            times = {name: [] for name in consumers}
            for _ in range(RUNS):  # interleaved, so load on this shared machine hits all three alike
                for name, cmd in consumers.items():
                    times[name].append(timed(cmd, null))
        median = {name: statistics.median(t) for name, t in times.items()}
        print("stream: %d tokens, %.1f MB of SSE; median of %d runs, whole process each" % (TOKENS, int(size) / 1e6, RUNS))
        for name, t in median.items():
            print("  %-11s %8.3f s   (min %.3f, max %.3f)" % (name, t, min(times[name]), max(times[name])))
        print("python-sdk / ours = %.1fx (target >= 10x)" % (median["python-sdk"] / median["ours"]))
        print("ours / curl       = %.2fx (target <= 3x)" % (median["ours"] / median["curl"]))
    finally:
        source.kill()
        os.unlink(expected)


if __name__ == "__main__":
    main()
