#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60) with cargo-fuzz on nightly, and prints
# the executions reached. A crash leaves its input in fuzz/artifacts/<target>/; turn it into a
# regression case (conformance/cases or a unit test) before fixing it.
#   bash scripts/fuzz.sh            # 60 s per target
#   SECONDS_PER_TARGET=5 bash scripts/fuzz.sh   # the smoke run of the test command
#   TARGETS="responses_csv survey_design" bash scripts/fuzz.sh   # some targets only
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT/fuzz"
per="${SECONDS_PER_TARGET:-60}"
rustup toolchain list | grep -q nightly || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
mkdir -p "$ROOT/out/fuzz"
total_runs=0
for target in ${TARGETS:-$(cargo +nightly fuzz list)}; do
  mkdir -p "corpus/$target"
  log="$ROOT/out/fuzz/$target.log"
  cargo +nightly fuzz run "$target" "corpus/$target" -- -max_total_time="$per" -rss_limit_mb=2048 >"$log" 2>&1 || { tail -40 "$log"; echo "fuzz target $target failed"; exit 1; }
  # -a: a log may hold raw bytes of an input; no match leaves the count at 0, not an error.
  runs=$(grep -aoE 'Done [0-9]+ runs' "$log" | grep -oE '[0-9]+' | tail -1 || true)
  echo "fuzz $target: ${runs:-0} executions in ${per}s"
  total_runs=$((total_runs + ${runs:-0}))
done
echo "fuzz total: $total_runs executions"
