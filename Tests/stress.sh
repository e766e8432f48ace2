#!/usr/bin/env bash
# `make stress`: the reliability suite at full strength, with its figures at the end.
#   - libFuzzer on the stream parser and decoder and on webhook parsing (FUZZ_SECONDS each, default 60)
#   - the fault proxy's faults, STRESS_FAULT_ROUNDS times (default 5), against the real runtime
#   - hostile frames (unit), hostile text on the screen (tmux), signals and the terminal
#   - SIGKILL in mid-turn STRESS_KILLS times (default 100), two instances STRESS_PAIRS times (default 20)
#   - the keys searched for in everything written (zero hits expected)
# `make test` runs the same tests once, with fewer rounds.
set -uo pipefail
cd "$(dirname "$0")/.."
export STRESS_KILLS=${STRESS_KILLS:-100} STRESS_PAIRS=${STRESS_PAIRS:-20}
rounds=${STRESS_FAULT_ROUNDS:-5}
log=.build/stress.log
mkdir -p .build
: > "$log"
status=0

swift build --build-tests || exit 1
Tests/fuzz.sh | tee -a "$log" || status=1

swift test --skip-build --filter HostileInputTests >> "$log" 2>&1 || status=1

trap 'kill $proxy 2>/dev/null; Tests/Harness/runtime.sh stop' EXIT
Tests/Harness/runtime.sh start || exit 1
eval "$(Tests/Harness/runtime.sh env | sed 's/^MUXI_/export MUXI_TEST_/')"
exec 3< <(python3 Tests/Harness/fault_proxy.py --upstream "$MUXI_TEST_URL" --port 0)
proxy=$!
read -r proxy_port <&3
export MUXI_TEST_PROXY_URL="http://127.0.0.1:$proxy_port"

for round in $(seq "$rounds"); do
  swift test --skip-build --filter "LiveRuntime.FaultTests" >> "$log" 2>&1 || { status=1; echo "fault round $round failed"; }
done
swift test --skip-build --filter "StoreCrashTests|SecretsTests|aSignalLeaves|aHostileAnswer" >> "$log" 2>&1 || status=1

stats=$(curl -s "$MUXI_TEST_PROXY_URL/__stats")
injected=$(echo "$stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["injected"])')
survived=$(echo "$stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["survived"])')
open=$(echo "$stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["open"])')
echo "faults: $injected injected, $survived checked survived, $open connections left open ($rounds rounds)"
grep -h "store crash test:\|secrets:" "$log"
failed=$(grep -c "✘ Test .* failed" "$log")
echo "tests failed: $failed (full log: $log)"
[ "$failed" -eq 0 ] || status=1
exit $status
