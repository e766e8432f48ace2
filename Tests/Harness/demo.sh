#!/usr/bin/env bash
# `make demo`: the real MUXI runtime with the demo formation (stand-in model: markdown answers
# streamed in small chunks; DEMO_OPENAI_API_KEY for a real model), and muxi-chat on it.
# Quitting the app stops what the demo started (a runtime that was already running stays).
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build --product muxi-chat
HARNESS="Tests/Harness/runtime.sh"
started=0
if ! "$HARNESS" running; then
  STAND_IN_STYLE=demo STAND_IN_DELAY="${STAND_IN_DELAY:-0.03}" "$HARNESS" start
  started=1
fi
cleanup() { if [ "$started" = 1 ]; then "$HARNESS" stop >/dev/null; fi; }
trap cleanup EXIT
eval "$("$HARNESS" env | sed 's/^/export /')"
export MUXI_USER_ID="${MUXI_USER_ID:-demo}"
status=0
.build/debug/muxi-chat "$@" || status=$?
exit "$status"
