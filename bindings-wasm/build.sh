#!/usr/bin/env bash
# Builds the npm package `par-index` into bindings-wasm/dist:
#   dist/web/   ES module for browsers and bundlers (wasm-bindgen --target web)
#   dist/node/  CommonJS for Node (wasm-bindgen --target nodejs), with an ES module entry
#   dist/index.d.ts  the hand-checked TypeScript declarations
# Needs: the wasm32-unknown-unknown target, wasm-bindgen-cli of the pinned version, and
# (optional, for size) `wasm-opt` from the npm package binaryen in node_modules.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$here"

# Optimisation level: "z" (smallest, default) or "s"/"3" (faster, larger); wasm-opt follows it.
level="${PAR_INDEX_WASM_OPT_LEVEL:-z}"
# A target folder of its own per level: these settings must not disturb native builds.
export CARGO_TARGET_DIR="${PAR_INDEX_WASM_TARGET_DIR:-$root/target/wasm-$level}"
export CARGO_PROFILE_RELEASE_OPT_LEVEL="$level"
export CARGO_PROFILE_RELEASE_LTO=fat
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
export CARGO_PROFILE_RELEASE_PANIC=abort

echo "== cargo build (wasm32-unknown-unknown, release, opt-level $level)"
# PAR_INDEX_WASM_FEATURES=uncertainty adds the Monte Carlo analysis (over the size budget).
cargo build -p par-index-wasm --target wasm32-unknown-unknown --release --features "${PAR_INDEX_WASM_FEATURES:-}"
raw="$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/par_index_wasm.wasm"

want="$(grep -o '^wasm-bindgen = "=[0-9.]*"' "$root/Cargo.toml" | grep -o '[0-9][0-9.]*')"
have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')"
if [ "$want" != "$have" ]; then
  echo "wasm-bindgen CLI $have does not match the crate's $want: cargo install wasm-bindgen-cli --version $want" >&2
  exit 1
fi

rm -rf dist
mkdir -p dist/web dist/node
echo "== wasm-bindgen $have"
wasm-bindgen --target web --out-dir dist/web "$raw"
wasm-bindgen --target nodejs --out-dir dist/node "$raw"
# The generated declarations type values as `any`; the package ships its own (js/index.d.ts).
rm -f dist/web/*.d.ts dist/node/*.d.ts

# wasm-opt is slow: optimise once per distinct input and keep the result in the target folder.
opt="$here/node_modules/.bin/wasm-opt"
if [ -x "$opt" ]; then
  cache="$CARGO_TARGET_DIR/wasm-opt-cache"
  mkdir -p "$cache"
  for dir in dist/web dist/node; do
    f="$dir/par_index_wasm_bg.wasm"
    key="$(sha256sum "$f" | cut -c1-32)-O$level"
    if [ ! -f "$cache/$key.wasm" ]; then
      echo "== wasm-opt -O$level $f"
      "$opt" "-O$level" --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
        --enable-mutable-globals --strip-debug --strip-producers "$f" -o "$cache/$key.tmp"
      mv "$cache/$key.tmp" "$cache/$key.wasm"
    fi
    cp "$cache/$key.wasm" "$f"
  done
else
  echo "wasm-opt not found (npm ci in bindings-wasm installs it): the .wasm is not optimised" >&2
fi

body="$(cat js/api.js)"

cat > dist/web/index.js <<EOF
// par-index for browsers and bundlers (ES module). Call the default export once, and await
// it, before anything else.
import initWasm, * as native from "./par_index_wasm.js";

let ready = false;
$body

const api = createApi(native, () => ready);

export default async function init(input) {
  if (ready) return;
  await initWasm(input === undefined ? undefined : { module_or_path: input });
  ready = true;
}

export const {
  ParIndexError, Methodology, Assessments, Scorecard, SurveyDesign, SipasResult,
  presets, sipas, proportionCi, display, version,
} = api;
EOF

cat > dist/node/index.cjs <<EOF
// par-index for Node (CommonJS). The WebAssembly module is loaded synchronously on require;
// init() exists for code shared with the browser build and resolves at once.
"use strict";
const native = require("./par_index_wasm.js");

$body

const api = createApi(native, () => true);
async function init() {}
module.exports = { ...api, init, default: init };
EOF

cat > dist/node/index.mjs <<'EOF'
// par-index for Node (ES module entry over the CommonJS build: one instance, one error class).
import api from "./index.cjs";

export default api.init;
export const {
  ParIndexError, Methodology, Assessments, Scorecard, SurveyDesign, SipasResult,
  presets, sipas, proportionCi, display, version,
} = api;
EOF

printf '{\n  "type": "commonjs"\n}\n' > dist/node/package.json
cp js/index.d.ts dist/index.d.ts

for dir in dist/web dist/node; do
  bytes="$(wc -c < "$dir/par_index_wasm_bg.wasm")"
  gz="$(gzip -9c "$dir/par_index_wasm_bg.wasm" | wc -c)"
  echo "== $dir/par_index_wasm_bg.wasm: $bytes bytes, $gz bytes gzipped"
done
