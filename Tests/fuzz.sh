#!/usr/bin/env bash
# Fuzzes the SSE parser with the token decoder, and the webhook header and body parsing, with
# libFuzzer (swiftc -sanitize=fuzzer,address), seeded with the captured streams and
# responses, for FUZZ_SECONDS each (default 60). Prints inputs tried, crashes and peak memory;
# fails on any crash, hang (over 10 s for one input) or input that needs over 2 GB.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
out=.build-fuzz
mkdir -p "$out"
src=Sources/MuxiClient
common=("$src"/JSON/*.swift "$src/MuxiError.swift" "$src/Duration+Seconds.swift" "$src/Models/MuxiModel.swift")
build() {   # name, entry file, sources...
  local name=$1 entry=$2; shift 2
  swiftc -O -sanitize=fuzzer,address -parse-as-library -package-name muxi -module-name "${name}Fuzz" "$@" "${common[@]}" "$entry" \
    -o "$out/$name" 2> "$out/$name.build.log" || { cat "$out/$name.build.log"; exit 1; }
}
build stream Tests/Fuzz/StreamFuzz.swift "$src/Streaming/SSEParser.swift" "$src/Chat/TokenDecoder.swift" "$src/Chat/ChatEvent.swift" \
  $(ls "$src"/Models/*.swift | grep -v -e MuxiModel.swift -e Distillery.swift)
build webhook Tests/Fuzz/WebhookFuzz.swift "$src/Webhook/WebhookSignatureHeader.swift" "$src/Webhook/WebhookEvent.swift" "$src/Models/WireValue.swift"

# seeds: the real captures (a webhook seed is a header line, then a body)
mkdir -p "$out/corpus-stream" "$out/corpus-webhook"
cp Tests/TestSupport/Fixtures/sse/* "$out/corpus-stream/"
for f in Tests/TestSupport/Fixtures/json/*.json; do
  { echo "t=1764412805,v1=$(printf '%064d' 0)"; cat "$f"; } > "$out/corpus-webhook/$(basename "$f")"
done

status=0
for name in stream webhook; do
  "$out/$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$out/$name-" "$out/corpus-$name" > "$out/$name.log" 2>&1
  code=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$out/$name.log" | grep -o '[0-9]*$')
  rss=$(grep -o 'stat::peak_rss_mb: *[0-9]*' "$out/$name.log" | grep -o '[0-9]*$')
  crashes=$(ls "$out"/$name-crash-* "$out"/$name-timeout-* "$out"/$name-oom-* 2>/dev/null | wc -l)
  echo "fuzz $name: ${runs:-0} inputs in ${seconds} s, $crashes crashes/hangs/out-of-memory, peak ${rss:-?} MB (exit $code)"
  [ "$code" -eq 0 ] && [ "$crashes" -eq 0 ] || { status=1; tail -30 "$out/$name.log"; }
done
exit $status
