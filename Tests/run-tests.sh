#!/usr/bin/env bash
# `make test`: build, unit tests, then the integration tests against the real MUXI runtime,
# which this script starts and always stops (also when a test fails or it is interrupted).
set -uo pipefail
cd "$(dirname "$0")/.."

swift build --build-tests || exit 1

echo "== unit tests"
swift test --skip LiveRuntime
unit=$?

echo "== integration tests against the real runtime"
trap 'Tests/Harness/runtime.sh stop' EXIT
if ! Tests/Harness/runtime.sh start; then
  echo "error: the MUXI runtime did not start (see above)" >&2
  exit 1
fi
eval "$(Tests/Harness/runtime.sh env | sed 's/^MUXI_/export MUXI_TEST_/')"
# the fault-injecting proxy in front of the runtime (FaultTests)
exec 3< <(python3 Tests/Harness/fault_proxy.py --upstream "$MUXI_TEST_URL" --port 0)
proxy=$!
read -r proxy_port <&3
export MUXI_TEST_PROXY_URL="http://127.0.0.1:$proxy_port"
trap 'kill $proxy 2>/dev/null; Tests/Harness/runtime.sh stop' EXIT
swift test --filter LiveRuntime
integration=$?

[ "$unit" -eq 0 ] && [ "$integration" -eq 0 ]
