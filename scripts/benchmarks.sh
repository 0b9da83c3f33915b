#!/usr/bin/env bash
# One command for the benchmark table: `bash scripts/benchmarks.sh` measures this library and its
# peers side by side, in one run, on the same generated data, and writes BENCHMARKS.md.
#
#   SIPAS, 36,000 respondents x 33 items x 63 units (and 1,000,000 with BENCH_LARGE=1):
#     this library: Rust (examples/rust/sipas_csv.rs on the CSV file), Python (par_index.sipas on a
#     pandas DataFrame, and the core's CSV reader through Python); peers: pandas groupby shares and
#     Wilson intervals, `svy` (PyPI) and R's survey package (svyby of the share with Taylor SEs);
#     baselines: reading the file's bytes once, and the counting floor (benches/count-floor:
#     unchecked kernels that only count the answers, timed in turn with this library).
#   criterion suites (benches/scoring.rs, sipas.rs, uncertainty.rs), the JS what-if path
#   (bindings-wasm/bench/whatif.mjs), the gzipped wasm size and the Python wheel size.
#
# Not part of the test command (it takes several minutes). Safe on a fresh machine: creates the
# virtual environment .venv if missing, installs pandas, polars, svy and maturin into it, builds
# and installs the par_index wheel if it does not import, installs R with the survey package
# from Debian (apt-get) when Rscript or the package is missing, and the wasm build's tools
# (scripts/wasm-tools.sh).
#
# Environment: BENCH_LARGE=1 adds the 1,000,000-row case (this library and pandas only);
# BENCH_REPEATS (default 20: this machine is shared and noisy) is the best-of-N count for the fast paths; BENCH_SKIP_CRITERION=1
# leaves the criterion suites out. Outputs: out/bench/ (data, logs) and BENCHMARKS.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="$ROOT/out/bench"
mkdir -p "$OUT"
VENV="${PAR_INDEX_VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"
REPEATS="${BENCH_REPEATS:-20}"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
LOG="$OUT/results.jsonl"
: > "$LOG"
sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# --- the machine, at the start -------------------------------------------------------------
START_EPOCH="$(date +%s)"
{
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc=$(nproc)"
  echo "cpu=$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n1)"
  echo "mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "load=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "kernel=$(uname -sr)"
  echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet -- . ':(exclude)BENCHMARKS.md' 2>/dev/null || echo ' (with uncommitted changes)')"
} > "$OUT/machine.env"
cat "$OUT/machine.env"

# --- tools ---------------------------------------------------------------------------------
echo "== python: virtual environment at $VENV"
if [ ! -x "$PY" ]; then
  python3 -m venv "$VENV" || { sudo_if_needed apt-get install -y -q python3-venv >/dev/null && python3 -m venv "$VENV"; }
fi
"$PY" -c "import pandas, numpy, polars, svy" 2>/dev/null \
  || "$PY" -m pip install --quiet "pandas>=1.5" numpy polars svy "maturin>=1.9,<2"
if ! "$PY" -c "import par_index" 2>/dev/null; then
  echo "== python: building and installing the par_index wheel (maturin, release)"
  "$PY" -m pip install --quiet "maturin>=1.9,<2"
  (cd bindings-python && PYO3_PYTHON="$PY" "$VENV/bin/maturin" build --release --quiet -i "$PY" -o "$OUT/wheels")
  "$PY" -m pip install --quiet --force-reinstall --no-deps "$(ls "$OUT"/wheels/par_index-*.whl | head -n1)"
fi
echo "== R and the survey package"
if ! command -v Rscript >/dev/null || ! Rscript -e 'suppressMessages(library(survey))' >/dev/null 2>&1; then
  sudo_if_needed apt-get update
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y r-base-core r-cran-survey
fi
{
  echo "rustc=$(rustc --version)"
  echo "python=$("$PY" -c 'import sys, pandas, numpy, polars, svy; print(sys.version.split()[0], "pandas", pandas.__version__, "numpy", numpy.__version__, "polars", polars.__version__, "svy", svy.__version__)')"
  echo "r=$(Rscript -e 'cat(R.version.string, "survey", as.character(packageVersion("survey")))' 2>/dev/null || echo missing)"
  echo "node=$(node --version 2>/dev/null || echo missing)"
  echo "par_index=$("$PY" -c 'import json, pathlib, par_index._native as n, importlib.metadata as md; d = md.distribution("par-index"); u = d.read_text("direct_url.json"); print(d.version, "installed from", json.loads(u)["url"].rsplit("/", 1)[-1] if u else "?", "built", __import__("time").strftime("%Y-%m-%d %H:%M UTC", __import__("time").gmtime(pathlib.Path(n.__file__).stat().st_mtime)))' 2>/dev/null || echo unknown)"
} >> "$OUT/machine.env"

# --- data ----------------------------------------------------------------------------------
SIZES="36000"
[ "${BENCH_LARGE:-0}" = "1" ] && SIZES="36000 1000000"
for n in $SIZES; do
  f="$OUT/responses-$n.csv"
  [ -s "$f" ] || { echo "== generating $f"; "$PY" benches/peers/generate.py "$n" "$f"; }
done

echo "== cargo build --release --example sipas_csv"
cargo build --release -q -p par-index --example sipas_csv
SIPAS_CSV="$TARGET/release/examples/sipas_csv"
echo "== cargo build --release (benches/count-floor: the counting floor, its own crate)"
cargo build --release -q --manifest-path benches/count-floor/Cargo.toml --target-dir "$TARGET"
COUNT_FLOOR="$TARGET/release/par-index-count-floor"

# Runs a command that prints RESULT lines; keeps them (tagged with the size) and the full output.
# A failing peer is recorded as a failure row, never as a number.
measure() {
  local size="$1" name="$2"; shift 2
  local log="$OUT/$name-$size.log"
  echo "-- $name ($size rows)"
  if "$@" > "$log" 2>&1; then
    sed -n 's/^RESULT //p' "$log" | "$PY" -c "
import json, sys
for line in sys.stdin:
    d = json.loads(line); d['size'] = $size; print(json.dumps(d))" >> "$LOG"
  else
    echo "   FAILED (exit $?), see $log"
    "$PY" -c "import json; print(json.dumps({'size': $size, 'peer': '$name', 'failed': True, 'log': '${log#$ROOT/}'}))" >> "$LOG"
  fi
  sed -n 's/^RESULT //p' "$log" | sed 's/^/   /'
}

rust_sipas() { # size weight-args ci tag
  local file="$1" ci="$2" tag="$3"; shift 3
  local out
  out="$("$SIPAS_CSV" "$file" --ci "$ci" --repeat "$REPEATS" --quiet "$@")" || return 1
  echo "$out"
  local secs rows
  secs="$(echo "$out" | sed -n 's/^time: \([0-9.]*\) s.*/\1/p')"
  rows="$(echo "$out" | sed -n 's/.*rows read \([0-9]*\),.*/\1/p')"
  echo "RESULT {\"peer\": \"par-index (Rust, CSV file)\", \"task\": \"full results, $tag\", \"rows\": $rows, \"seconds\": $secs, \"repeats\": $REPEATS}"
  if [ "$ci" = wilson ]; then
    secs="$(echo "$out" | sed -n 's/^read: \([0-9.]*\) s.*/\1/p')"
    echo "RESULT {\"peer\": \"read-bytes-once (Rust)\", \"task\": \"std::fs::read, count lines (memchr)\", \"rows\": $rows, \"seconds\": $secs, \"repeats\": $REPEATS}"
  fi
}

for n in $SIZES; do
  f="$OUT/responses-$n.csv"
  echo "== SIPAS, $n respondents x 33 items x 63 units ($(du -h "$f" | cut -f1) of CSV)"
  measure "$n" read-bytes "$PY" benches/peers/read_bytes.py "$f" "$REPEATS"
  measure "$n" rust-unweighted rust_sipas "$f" wilson "unweighted, Wilson CI"
  measure "$n" rust-weighted rust_sipas "$f" logit "weighted, logit CI, Taylor SE" --weight w
  measure "$n" count-floor "$COUNT_FLOOR" "$f" "$REPEATS"
  measure "$n" par-index-python "$PY" benches/peers/par_index_python.py "$f" "$REPEATS"
  measure "$n" pandas "$PY" benches/peers/pandas_shares.py "$f" "$REPEATS"
  measure "$n" side-by-side "$PY" benches/peers/side_by_side.py "$f" "$REPEATS"
  if [ "$n" -le 100000 ]; then
    measure "$n" svy "$PY" benches/peers/svy_peer.py "$f" 1
    measure "$n" r-survey Rscript benches/peers/r_survey.R "$f"
  fi
done

# --- criterion -----------------------------------------------------------------------------
if [ "${BENCH_SKIP_CRITERION:-0}" != "1" ]; then
  echo "== criterion: scoring and what-if"
  measure 0 criterion-scoring cargo bench -q -p par-index --bench scoring -- --noplot --quick
  echo "== criterion: SIPAS (in-memory CSV bytes)"
  filter="sipas_36k"; [ "${BENCH_LARGE:-0}" = "1" ] && filter="sipas_"
  measure 0 criterion-sipas cargo bench -q -p par-index --bench sipas -- --noplot --quick "$filter"
  echo "== Monte Carlo uncertainty (benches/uncertainty.rs)"
  measure 0 criterion-uncertainty cargo bench -q -p par-index --bench uncertainty -- --noplot --quick
fi
echo "== Monte Carlo from Python (same problem, 10,000 replications)"
measure 0 uncertainty-python "$PY" benches/peers/uncertainty_python.py 10000 3

# --- JS, sizes -----------------------------------------------------------------------------
echo "== JS what-if (bindings-wasm/bench/whatif.mjs)"
# Always rebuilt: a package left from an older build would time (and size) old code.
# shellcheck source=scripts/wasm-tools.sh
source scripts/wasm-tools.sh > "$OUT/wasm-tools.log" 2>&1 || echo "   wasm tools FAILED, see $OUT/wasm-tools.log"
bash bindings-wasm/build.sh > "$OUT/wasm-build.log" 2>&1 || echo "   wasm build FAILED, see $OUT/wasm-build.log"
(cd bindings-wasm && node bench/whatif.mjs) > "$OUT/js-whatif.log" 2>&1 || echo "   FAILED, see $OUT/js-whatif.log"
cat "$OUT/js-whatif.log"
echo "== JS Monte Carlo (bindings-wasm/bench/uncertainty.mjs, the lazily loaded second module)"
(cd bindings-wasm && node bench/uncertainty.mjs) > "$OUT/js-uncertainty.log" 2>&1 || echo "   FAILED, see $OUT/js-uncertainty.log"
cat "$OUT/js-uncertainty.log"
{
  wasm=bindings-wasm/dist/web/par_index_wasm_bg.wasm
  [ -f "$wasm" ] && echo "wasm_gzip=$(gzip -9c "$wasm" | wc -c)" && echo "wasm_raw=$(wc -c < "$wasm")"
  wheel="$(ls bindings-python/dist/par_index-*.whl target/wheels/par_index-*.whl "$OUT"/wheels/par_index-*.whl 2>/dev/null | head -n1 || true)"
  if [ -z "$wheel" ]; then
    echo "== building the wheel for its size (maturin, release)" >&2
    (cd bindings-python && PYO3_PYTHON="$PY" "$VENV/bin/maturin" build --release --quiet -i "$PY" -o "$OUT/wheels") >&2
    wheel="$(ls "$OUT"/wheels/par_index-*.whl | head -n1)"
  fi
  echo "wheel=$(basename "$wheel")"
  echo "wheel_size=$(wc -c < "$wheel")"
} > "$OUT/sizes.env"
cat "$OUT/sizes.env"

echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.env"
echo "elapsed=$(( $(date +%s) - START_EPOCH ))" >> "$OUT/machine.env"
"$PY" benches/peers/report.py "$OUT" "$TARGET/criterion" "$START_EPOCH" > BENCHMARKS.md
echo "== wrote BENCHMARKS.md"
