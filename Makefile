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

# Release builds link the Swift runtime and Foundation statically: the binary needs no Swift
# toolchain to run, and starts in half the time (--version 10 ms instead of 20: no dynamic
# symbol lookups into libFoundation). Every release build uses the same flags, or each switch
# rebuilds everything.
RELEASE = swift build -c release --static-swift-stdlib

# `make bench`: our client vs the official Python SDK vs curl on one 200,000-token stream; then
# the full-screen app in a 200x50 pty: first frame, bytes per streamed token, frame cost.
BENCH_VENV ?= .venv-bench
.PHONY: bench
bench:
	$(RELEASE) --product muxi-stream-bench
	test -x $(BENCH_VENV)/bin/python || (python3 -m venv $(BENCH_VENV) && $(BENCH_VENV)/bin/pip install -q --disable-pip-version-check muxi==1.20260713.0)
	python3 Benchmarks/run.py .build/release/muxi-stream-bench $(BENCH_VENV)/bin/python
	$(RELEASE) --product muxi-chat
	$(RELEASE) --product muxi-app-bench
	python3 Benchmarks/app_bench.py .build/release/muxi-chat .build/release/muxi-app-bench

# The reliability suite at full strength (fuzzing, faults, kills, signals, secrets), with figures;
# then an hour of streaming as a heavy user (Benchmarks/soak.py: resident memory must stay flat).
.PHONY: stress
stress:
	$(RELEASE) --product muxi-chat
	Tests/stress.sh; status=$$?; python3 Benchmarks/soak.py .build/release/muxi-chat || status=1; exit $$status

# The unit tests under AddressSanitizer (the parsers use unsafe buffers); a separate build folder.
.PHONY: sanitize
sanitize:
	LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/lsan-suppressions.txt \
	swift test --scratch-path .build-asan --sanitize=address --disable-xctest --skip LiveRuntime
