#!/usr/bin/env python3
"""`make bench`, the full-screen app: the real binaries in a 200×50 pseudo-terminal.

1. Start to first frame: from spawning `muxi-chat` until its first whole frame (the status
   line's key hints, drawn last) has reached the terminal. Baseline in the same run: the same
   binary's `--version` (process start-up and exit, no screen).
2. Bytes per streamed token: the bytes written to the terminal from Enter until a long answer
   (TOKENS prose tokens, PACE s apart, as a model streams) has been drawn, divided by TOKENS.
   Baseline: the answer's own bytes per token (what a plain `ask` prints).
3. One frame (apply a token, lay out, draw) with a 10,000-message session open, against 10.
4. A heavy user (HEAVY_SESSIONS sessions, HEAVY_MEMORIES memories, a session of HEAVY_MESSAGES
   messages open), against a light one in the same run: a typed key until its echo reaches
   the terminal while an answer streams (p50 / p99), CPU while nothing happens (3 s), and
   resident memory after the answer, and a resize (the next whole frame after the window changes).

Usage: app_bench.py MUXI-CHAT MUXI-APP-BENCH"""
import fcntl
import os
import pty
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time

HERE = os.path.dirname(os.path.abspath(__file__))
APP = FRAMES = None   # the binaries, from the command line (soak.py sets APP)
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
TOKENS = int(os.environ.get("BENCH_APP_TOKENS", "2000"))
PACE = float(os.environ.get("BENCH_APP_PACE", "0.005"))
COLUMNS, ROWS = 200, 50
READY = b"Ctrl+P commands"   # the status line's last words: the frame is whole


def spawn(argv, home):
    """argv in a new COLUMNS×ROWS pty; returns (pid, master fd)."""
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TERM": "xterm-256color", "HOME": home, "LANG": "C.UTF-8",
               "XDG_STATE_HOME": home + "/state", "XDG_CONFIG_HOME": home + "/config"}
        os.execve(argv[0], argv, env)
    return pid, fd


def read_until(fd, needle, timeout, seen=b""):
    """Reads until `needle` is in what was read; returns everything read."""
    deadline = time.perf_counter() + timeout
    while needle not in seen:
        left = deadline - time.perf_counter()
        if left <= 0:
            raise SystemExit("bench: no %r on the terminal after %.0f s" % (needle, timeout))
        if select.select([fd], [], [], left)[0]:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                raise SystemExit("bench: the app ended before %r appeared" % needle)
    return seen


def drain(fd, quiet):
    """Reads until nothing arrives for `quiet` seconds; returns the bytes and the time of the last one."""
    got, last = b"", time.perf_counter()
    while select.select([fd], [], [], quiet)[0]:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        got += chunk
        last = time.perf_counter()
    return got, last


def finish(pid, fd):
    try:
        os.write(fd, b"\x04")
        drain(fd, 0.3)
    except OSError:
        pass
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
    os.close(fd)


def app_argv(url):
    return [APP, "--url", url, "--client-key", "bench", "--user", "bench", "--new"]


def first_frame(url, home):
    start = time.perf_counter()
    pid, fd = spawn(app_argv(url), home)
    read_until(fd, READY, 20)
    elapsed = time.perf_counter() - start
    finish(pid, fd)
    return elapsed


def version(home):
    start = time.perf_counter()
    pid, fd = spawn([APP, "--version"], home)
    drain(fd, 5)
    os.waitpid(pid, 0)
    os.close(fd)
    return time.perf_counter() - start


def bytes_per_token(url, home, answer):
    pid, fd = spawn(app_argv(url), home)
    read_until(fd, READY, 20)
    drain(fd, 1.0)                      # the health check and the panes' first loads
    os.write(fd, b"tell me a long story\r")
    start = time.perf_counter()
    got, last = drain(fd, 1.0 + 20 * PACE)
    finish(pid, fd)
    tail = answer.split()[-1].encode()
    if tail not in got:
        raise SystemExit("bench: the answer's last word never reached the screen")
    return len(got), last - start


HEAVY_SESSIONS = int(os.environ.get("BENCH_HEAVY_SESSIONS", "10000"))
HEAVY_MEMORIES = int(os.environ.get("BENCH_HEAVY_MEMORIES", "10000"))
HEAVY_MESSAGES = int(os.environ.get("BENCH_HEAVY_MESSAGES", "10000"))
KEYS = int(os.environ.get("BENCH_KEYS", "80"))


def cpu_ticks(pid):
    fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])   # utime + stime


def rss_mb(pid):
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def user_figures(url, home, session, loaded):
    """Key echo latency while an answer streams, idle CPU, and memory, for one user; `loaded`
    is what the screen shows once every first load is in."""
    argv = [APP, "--url", url, "--client-key", "bench", "--user", "bench"] + (["--session", session] if session else ["--new"])
    started = time.perf_counter()
    pid, fd = spawn(argv, home)
    seen = read_until(fd, READY, 20)
    frame = time.perf_counter() - started
    # the open session's newest message on screen (the light user has none: its first frame)
    seen = read_until(fd, b"answer %d:" % (HEAVY_MESSAGES - 1), 20, seen) if session else seen
    newest = time.perf_counter() - started
    read_until(fd, loaded, 60, seen)     # every first load in
    drain(fd, 1.0)
    before = cpu_ticks(pid)
    drain(fd, 3.0)
    idle = cpu_ticks(pid) - before
    resizes = []
    for columns, rows in ((160, 40), (COLUMNS, ROWS)) * 3:   # the window resized: the next whole frame
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        start = time.perf_counter()
        read_until(fd, READY, 5)
        resizes.append(time.perf_counter() - start)
        drain(fd, 0.2)
    os.write(fd, b"tell me a long story\r")
    time.sleep(0.3)                      # the answer is streaming
    latencies = []
    for i in range(KEYS):
        mark = "жфыщ"[i % 4].encode()    # a character the answer never holds
        start = time.perf_counter()
        os.write(fd, mark)
        read_until(fd, mark, 5)
        latencies.append(time.perf_counter() - start)
        time.sleep(0.02)
    drain(fd, 1.0 + 20 * PACE)
    memory = rss_mb(pid)
    finish(pid, fd)
    latencies.sort()
    return (latencies[len(latencies) // 2], latencies[min(len(latencies) - 1, len(latencies) * 99 // 100)], idle, memory,
            frame, newest, statistics.median(resizes))


def heavy_user(light_url, home):
    heavy_home = tempfile.mkdtemp(prefix="muxi-app-bench-heavy-")
    source = subprocess.Popen([sys.executable, os.path.join(HERE, "sse_source.py"), "--tokens", str(TOKENS), "--pace", "0.005",
                               "--sessions", str(HEAVY_SESSIONS), "--memories", str(HEAVY_MEMORIES),
                               "--messages", str(HEAVY_MESSAGES)], stdout=subprocess.PIPE, text=True)
    try:
        port, _ = source.stdout.readline().split()
        first_frame("http://127.0.0.1:%s" % port, heavy_home)   # a heavy user's store exists already: made here, not timed
        light = user_figures(light_url, home, None, b"no memories yet")
        heavy = user_figures("http://127.0.0.1:%s" % port, heavy_home, "sess_big", b"+)")   # the first page, more on the server
        return light, heavy
    finally:
        source.kill()
        shutil.rmtree(heavy_home, ignore_errors=True)


STORE_SESSIONS = int(os.environ.get("BENCH_STORE_SESSIONS", "100000"))
STORE_MESSAGES = int(os.environ.get("BENCH_STORE_MESSAGES", "1000000"))


def big_store(url, empty_home):
    """A local store of STORE_SESSIONS sessions and STORE_MESSAGES messages (made here):
    first frame against an empty store's, the session filter's results after a keystroke, and
    `muxi-chat sessions`."""
    home = tempfile.mkdtemp(prefix="muxi-app-bench-store-")
    try:
        subprocess.run([APP, "ask", "hi", "--url", "http://127.0.0.1:1", "--client-key", "k"], env={"HOME": home, "XDG_STATE_HOME": home + "/state"},
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)   # the app makes its store (schema, migrations)
        store = home + "/state/muxi-chat/store.sqlite"
        subprocess.run([sys.executable, os.path.join(HERE, "make_store.py"), store, url + "/v1", "bench",
                        str(STORE_SESSIONS), str(STORE_MESSAGES)], check=True)
        subprocess.run([APP, "sessions", "--url", url, "--client-key", "k", "--user", "bench"], env={"HOME": home, "XDG_STATE_HOME": home + "/state"},
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)   # once: the store's own one-time upgrades
        frames, empties, filters, lists = [], [], [], []
        for _ in range(RUNS):
            empties.append(first_frame(url, empty_home))
            frames.append(first_frame(url, home))
            start = time.perf_counter()
            subprocess.run([APP, "sessions", "--url", url, "--client-key", "k", "--user", "bench"],
                           env={"HOME": home, "XDG_STATE_HOME": home + "/state"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            lists.append(time.perf_counter() - start)
        pid, fd = spawn(app_argv(url), home)
        read_until(fd, READY, 20)
        drain(fd, 1.0)
        os.write(fd, b"\x1b1")          # Alt+1: the sessions pane
        drain(fd, 0.3)
        os.write(fd, b"/12345x")          # matches nothing: the pane is empty
        drain(fd, 0.5)
        start = time.perf_counter()
        os.write(fd, b"\x7f")             # Backspace: "12345", an old session the list does not hold
        read_until(fd, b"session 12345 about", 10)   # an old session the list does not hold, found in the store
        filters.append(time.perf_counter() - start)
        finish(pid, fd)
        return statistics.median(frames), statistics.median(empties), filters[0], statistics.median(lists)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def frame_cost(messages):
    out = tempfile.NamedTemporaryFile(delete=False).name
    pid, fd = spawn([FRAMES, str(messages), "300", out], tempfile.gettempdir())
    drain(fd, 10)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    if status != 0:
        raise SystemExit("bench: muxi-app-bench failed (%d)" % status)
    median, p95 = map(float, open(out).read().split())
    os.unlink(out)
    return median, p95


def main():
    home = tempfile.mkdtemp(prefix="muxi-app-bench-")
    expected = os.path.join(home, "answer.txt")
    source = subprocess.Popen([sys.executable, os.path.join(HERE, "sse_source.py"), "--tokens", str(TOKENS),
                               "--pace", str(PACE), "--expected", expected], stdout=subprocess.PIPE, text=True)
    try:
        port, _ = source.stdout.readline().split()
        url = "http://127.0.0.1:%s" % port
        starts, versions = [], []
        for _ in range(RUNS):               # interleaved, so the machine's load hits both alike
            starts.append(first_frame(url, home))
            versions.append(version(home))
        answer = open(expected, encoding="utf-8").read()
        written, took = bytes_per_token(url, home, answer)
        raw = len(answer.encode()) / TOKENS
        short, long = frame_cost(10), frame_cost(10000)
        light, heavy = heavy_user(url, home)
        store = big_store(url, home)
        start, floor = statistics.median(starts), statistics.median(versions)
        print("app, %dx%d pty, medians of %d runs:" % (COLUMNS, ROWS, RUNS))
        print("  start to first frame  %6.1f ms   (target < 50 ms); --version %.1f ms, ratio %.2fx"
              % (start * 1e3, floor * 1e3, start / floor))
        print("  bytes per token       %6.1f      (target < 100); %d tokens %.0f ms apart took %.1f s;"
              " the text itself is %.1f bytes/token, ratio %.1fx"
              % (written / TOKENS, TOKENS, PACE * 1e3, took, raw, written / TOKENS / raw))
        print("  one frame, 10 msgs    %6.3f ms   (p95 %.3f)" % (short[0] / 1e3, short[1] / 1e3))
        print("  one frame, 10k msgs   %6.3f ms   (p95 %.3f; target < 2 ms); ratio to 10 msgs %.2fx"
              % (long[0] / 1e3, long[1] / 1e3, long[0] / short[0]))
        print("heavy user (%d sessions, %d memories, a session of %d messages open) against a light one, an answer streaming:"
              % (HEAVY_SESSIONS, HEAVY_MEMORIES, HEAVY_MESSAGES))
        print("  first whole frame     %6.1f ms   (light %.1f ms, ratio %.2fx; target <= 50 ms)"
              % (heavy[4] * 1e3, light[4] * 1e3, heavy[4] / light[4]))
        print("  big session's newest  %6.1f ms   after spawn (target <= 150 ms)" % (heavy[5] * 1e3))
        print("  key to echo p50       %6.1f ms   (light %.1f ms, ratio %.2fx; target <= 5 ms)"
              % (heavy[0] * 1e3, light[0] * 1e3, heavy[0] / light[0]))
        print("  key to echo p99       %6.1f ms   (light %.1f ms, ratio %.2fx; target <= 16 ms)"
              % (heavy[1] * 1e3, light[1] * 1e3, heavy[1] / light[1]))
        print("  resize, next frame    %6.1f ms   (light %.1f ms, ratio %.2fx; target <= 50 ms)"
              % (heavy[6] * 1e3, light[6] * 1e3, heavy[6] / light[6]))
        print("  idle CPU, 3 s         %6d ticks (light %d; target 0)" % (heavy[2], light[2]))
        print("a local store of %d sessions and %d messages:" % (STORE_SESSIONS, STORE_MESSAGES))
        print("  first whole frame     %6.1f ms   (empty store %.1f ms, +%.1f ms; target within 20 ms)"
              % (store[0] * 1e3, store[1] * 1e3, (store[0] - store[1]) * 1e3))
        print("  filter results        %6.1f ms   after the keystroke (target <= 100 ms)" % (store[2] * 1e3))
        print("  muxi-chat sessions    %6.1f ms   (target < 500 ms)" % (store[3] * 1e3))
        print("  resident memory       %6.1f MB   (light %.1f MB, ratio %.2fx; target <= 80 MB)"
              % (heavy[3], light[3], heavy[3] / max(light[3], 0.1)))
    finally:
        source.kill()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    APP, FRAMES = sys.argv[1], sys.argv[2]
    main()
