#!/usr/bin/env bash
# Rust: lints, unit/property/conformance tests, doctests, examples, packaging.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

echo "== rust: clippy (warnings are errors)"
cargo clippy -q -p par-index --all-targets -- -D warnings

echo "== rust: tests (unit, property, conformance, doctests)"
cargo test -p par-index

echo "== rust: examples"
out="$(cargo run -q -p par-index --example ministries_2023)"
printf '%s\n' "$out"
grep -q "ranking equals the published order: yes" <<<"$out"
grep -q "ministries at or above 80 %: 14 of 17" <<<"$out"
grep -q "average index: 84.38" <<<"$out"
cargo run -q -p par-index --example province >/dev/null

echo "== rust: cargo package (what crates.io would get builds on its own)"
cargo package -q -p par-index --allow-dirty

echo "== schemas: shipped data and conformance inputs validate against docs/schema"
python3 -c "import jsonschema" 2>/dev/null || python3 -m pip install --quiet jsonschema
python3 scripts/check-schemas.py
