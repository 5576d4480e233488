#!/usr/bin/env bash
# The report at scale: how much `--report` adds to a simulate run, how large the file is, and
# how soon headless Chromium draws its first screen (the page logs it to the console).
#   scripts/bench_report.sh [config] [recording]   (default: the inputs `cargo run --release
#   --example bench -- simulate` leaves in ${TMPDIR:-/tmp}/autoplay-bench)
# Needs a release build (cargo build --release) and chromium on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
config="${1:-${TMPDIR:-/tmp}/autoplay-bench/bench-readme.json}"
recording="${2:-${TMPDIR:-/tmp}/autoplay-bench/rec-20000-1000000.jsonl}"
bin="${CARGO_TARGET_DIR:-target}/release/autoplay"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

best() { # best wall time of 3 runs of "$@", in seconds
  local best=999999
  for _ in 1 2 3; do
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s.%N)
    best=$(echo "$end - $start" | bc -l | awk -v b="$best" '{ print ($1 < b) ? $1 : b }')
  done
  echo "$best"
}
plain=$(best "$bin" triggers simulate --config "$config" --events "$recording" --format json)
with=$(best "$bin" triggers simulate --config "$config" --events "$recording" --format json --report "$out/report.html")
size=$(stat -c %s "$out/report.html")
echo "simulate:               ${plain} s"
echo "simulate --report:      ${with} s  (+$(echo "100 * ($with - $plain) / $plain" | bc -l | xargs printf '%.0f') %)"
echo "report size:            $(echo "$size / 1000000" | bc -l | xargs printf '%.1f') MB"

chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$out/profile" --window-size=1400,1000 --enable-logging=stderr --v=0 \
  --screenshot="$out/report.png" "file://$out/report.html" 2>"$out/chromium.log" >/dev/null || true
first=$(grep -o 'first screen after [0-9]* ms' "$out/chromium.log" | grep -o '[0-9]*' | head -1)
echo "first screen in Chromium: ${first:-?} ms after navigation start"
