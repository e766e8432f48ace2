# muxi-chat: the common tasks. `make test` is what CI runs.
.PHONY: demo build test unit runtime-start runtime-stop clean

# The full-screen app on the real runtime with the demo formation; quitting stops it again.
demo:
	Tests/Harness/demo.sh


build:
	swift build

test:
	Tests/run-tests.sh

unit:
	swift test --skip LiveRuntime

runtime-start:
	Tests/Harness/runtime.sh start

runtime-stop:
	Tests/Harness/runtime.sh stop

clean:
	swift package clean

# `make bench`: our client vs the official Python SDK vs curl on one 200,000-token stream; then
# the full-screen app in a 200x50 pty: first frame, bytes per streamed token, frame cost.
BENCH_VENV ?= .venv-bench
.PHONY: bench
bench:
	swift build -c release --product muxi-stream-bench
	test -x $(BENCH_VENV)/bin/python || (python3 -m venv $(BENCH_VENV) && $(BENCH_VENV)/bin/pip install -q --disable-pip-version-check muxi==1.20260713.0)
	python3 Benchmarks/run.py .build/release/muxi-stream-bench $(BENCH_VENV)/bin/python
	swift build -c release --product muxi-chat
	swift build -c release --product muxi-app-bench
	python3 Benchmarks/app_bench.py .build/release/muxi-chat .build/release/muxi-app-bench

# The reliability suite at full strength (fuzzing, faults, kills, signals, secrets), with figures.
.PHONY: stress
stress:
	Tests/stress.sh

# The unit tests under AddressSanitizer (the parsers use unsafe buffers); a separate build folder.
.PHONY: sanitize
sanitize:
	LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/lsan-suppressions.txt \
	swift test --scratch-path .build-asan --sanitize=address --disable-xctest --skip LiveRuntime
