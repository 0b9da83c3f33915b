#!/usr/bin/env bash
# Builds, packs and tests the npm package `par-index` (bindings-wasm) and the web example.
# Idempotent and safe on a fresh machine: installs what is missing, then
#   1. builds the package (bindings-wasm/build.sh) and packs it with npm pack,
#   2. installs the tarball into a temporary consumer folder and runs the node --test suite
#      there (API tests, the shared conformance cases, the errors only JavaScript raises), so
#      what ships is what is tested,
#   3. type-checks a sample consumer with tsc --strict against the shipped declarations,
#   4. serves examples/web with the packed files on 127.0.0.1 and drives Debian's chromium
#      headless with playwright-core (screenshot: out/screenshots/web.png).
# Exits non-zero on the first failure.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
wasm="$root/bindings-wasm"
cd "$root"

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

echo "== tools"
# shellcheck source=scripts/wasm-tools.sh
source "$root/scripts/wasm-tools.sh"
chromium="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  sudo_if_needed apt-get update
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
fi
echo "node $(node --version), $(wasm-bindgen --version), $("$chromium" --version 2>/dev/null | head -1)"

echo "== build"
"$wasm/build.sh"

work="$(mktemp -d "${TMPDIR:-/tmp}/par-index-js.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "== pack"
tarball="$(cd "$wasm" && npm pack --silent --pack-destination "$work" | tail -1)"
tar -tzf "$work/$tarball" | sed 's/^/  /'

echo "== install the tarball into a consumer folder"
consumer="$work/consumer"
mkdir -p "$consumer/test"
printf '{\n  "name": "par-index-consumer",\n  "private": true,\n  "type": "module"\n}\n' > "$consumer/package.json"
(cd "$consumer" && npm install --no-audit --no-fund --no-package-lock --silent "$work/$tarball")
cp "$wasm/tests/api.test.mjs" "$wasm/tests/conformance.test.mjs" "$wasm/tests/errors.test.mjs" "$consumer/test/"
cp "$wasm/tests/consumer/typecheck.ts" "$wasm/tests/consumer/tsconfig.json" "$consumer/"

echo "== node --test (installed package)"
(cd "$consumer" && PAR_INDEX_ROOT="$root" node --test --test-reporter=spec test/api.test.mjs test/conformance.test.mjs test/errors.test.mjs)

echo "== tsc --strict (sample consumer)"
"$wasm/node_modules/.bin/tsc" -p "$consumer/tsconfig.json"
echo "tsc: the sample consumer type-checks"

echo "== browser (examples/web with the packed package, chromium headless)"
site="$work/site"
mkdir -p "$site/par-index"
cp "$root/examples/web/index.html" "$root/examples/web/app.js" "$root/examples/web/style.css" \
  "$root/examples/web/sample-responses.csv" "$site/"
cp -r "$consumer/node_modules/par-index/dist/web/"* "$site/par-index/"
# The same files next to the example, so `python3 -m http.server -d examples/web` shows it.
mkdir -p "$root/examples/web/par-index"
cp -r "$consumer/node_modules/par-index/dist/web/"* "$root/examples/web/par-index/"
CHROMIUM="$chromium" node "$wasm/tests/browser.mjs" "$site" "$root/out/screenshots/web.png"

gz="$(gzip -9c "$wasm/dist/web/par_index_wasm_bg.wasm" | wc -c)"
gz_unc="$(gzip -9c "$wasm/dist/web/uncertainty/par_index_wasm_bg.wasm" | wc -c)"
echo "== all JS checks passed (par_index_wasm_bg.wasm: $gz bytes gzipped; uncertainty/par_index_wasm_bg.wasm, loaded on demand: $gz_unc bytes gzipped)"
