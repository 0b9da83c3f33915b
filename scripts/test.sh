#!/usr/bin/env bash
# The one command that runs every test: Rust, Python, JavaScript (Node and browser), then the
# cross-binding comparison of conformance outputs. Installs what it needs on a fresh machine.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
rm -rf out/conformance
for part in rust python js; do
  if [ -f "scripts/test-$part.sh" ]; then
    bash "scripts/test-$part.sh"
  fi
done
python3 scripts/compare-conformance.py
# A short smoke of every fuzz target (the long campaign is `bash scripts/fuzz.sh`).
SECONDS_PER_TARGET=10 bash scripts/fuzz.sh
