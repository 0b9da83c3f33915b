#!/usr/bin/env bash
# Builds the npm package `par-index` into bindings-wasm/dist:
#   dist/web/   ES module for browsers and bundlers (wasm-bindgen --target web)
#   dist/node/  CommonJS for Node (wasm-bindgen --target nodejs), with an ES module entry
#   dist/{web,node}/uncertainty/  the same crate with its `uncertainty` feature (the Monte Carlo
#                analysis), a second module loaded lazily by loadUncertainty()
#   dist/index.d.ts  the hand-checked TypeScript declarations
# Needs: the wasm32-unknown-unknown target, wasm-bindgen-cli of the pinned version, and
# (optional, for size) `wasm-opt` from the npm package binaryen in node_modules.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$here"

# Optimisation level of the main module: "z" (smallest, default) or "s"/"3" (faster, larger);
# wasm-opt follows it. The Monte Carlo module is compute-bound and loaded only on demand, so it
# is built for speed: "3" by default (about 4x the replications/s of "z" for 85 KB gzipped).
level="${PAR_INDEX_WASM_OPT_LEVEL:-z}"
ulevel="${PAR_INDEX_WASM_UNCERTAINTY_OPT_LEVEL:-3}"
# A target folder of its own per level and module: these settings must not disturb native
# builds, and switching features must never relink the other module.
export CARGO_TARGET_DIR="${PAR_INDEX_WASM_TARGET_DIR:-$root/target/wasm-$level}"
unc_target="${PAR_INDEX_WASM_UNCERTAINTY_TARGET_DIR:-$root/target/wasm-$ulevel-uncertainty}"
export CARGO_PROFILE_RELEASE_LTO=fat
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
export CARGO_PROFILE_RELEASE_PANIC=abort

# Two modules from the same crate: the main one (every API but the Monte Carlo analysis, under
# the 300 KB gzipped budget) and, loaded lazily by loadUncertainty(), the crate built with its
# `uncertainty` feature.
raw_main="$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/par_index_wasm.wasm"
echo "== cargo build (wasm32-unknown-unknown, release, opt-level $level)"
CARGO_PROFILE_RELEASE_OPT_LEVEL="$level" cargo build -p par-index-wasm --target wasm32-unknown-unknown --release
raw_unc="$unc_target/wasm32-unknown-unknown/release/par_index_wasm.wasm"
echo "== cargo build --features uncertainty (the lazily loaded Monte Carlo module, opt-level $ulevel)"
CARGO_TARGET_DIR="$unc_target" CARGO_PROFILE_RELEASE_OPT_LEVEL="$ulevel" \
  cargo build -p par-index-wasm --target wasm32-unknown-unknown --release --features uncertainty

want="$(grep -o '^wasm-bindgen = "=[0-9.]*"' "$root/Cargo.toml" | grep -o '[0-9][0-9.]*')"
have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')"
if [ "$want" != "$have" ]; then
  echo "wasm-bindgen CLI $have does not match the crate's $want: cargo install wasm-bindgen-cli --version $want" >&2
  exit 1
fi

rm -rf dist
mkdir -p dist/web/uncertainty dist/node/uncertainty
echo "== wasm-bindgen $have"
wasm-bindgen --target web --out-dir dist/web "$raw_main"
wasm-bindgen --target nodejs --out-dir dist/node "$raw_main"
wasm-bindgen --target web --out-dir dist/web/uncertainty "$raw_unc"
wasm-bindgen --target nodejs --out-dir dist/node/uncertainty "$raw_unc"
# The generated declarations type values as `any`; the package ships its own (js/index.d.ts).
rm -f dist/web/*.d.ts dist/node/*.d.ts dist/web/uncertainty/*.d.ts dist/node/uncertainty/*.d.ts

# wasm-opt is slow: optimise once per distinct input and keep the result in the target folder.
opt="$here/node_modules/.bin/wasm-opt"
if [ -x "$opt" ]; then
  cache="$CARGO_TARGET_DIR/wasm-opt-cache"
  mkdir -p "$cache"
  for dir in dist/web dist/node dist/web/uncertainty dist/node/uncertainty; do
    f="$dir/par_index_wasm_bg.wasm"
    case "$dir" in *uncertainty) o="$ulevel" ;; *) o="$level" ;; esac
    key="$(sha256sum "$f" | cut -c1-32)-O$o"
    if [ ! -f "$cache/$key.wasm" ]; then
      echo "== wasm-opt -O$o $f"
      "$opt" "-O$o" --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
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

// The Monte Carlo analysis: a second module (uncertainty/), fetched on the first call.
let uncertainty = null;
export function loadUncertainty(input) {
  if (uncertainty === null) {
    uncertainty = (async () => {
      const second = await import("./uncertainty/par_index_wasm.js");
      await second.default(input === undefined ? undefined : { module_or_path: input });
      return api.createUncertainty(second);
    })();
    uncertainty.catch(() => { uncertainty = null; });
  }
  return uncertainty;
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

const { createUncertainty, ...api } = createApi(native, () => true);
async function init() {}

// The Monte Carlo analysis: a second module (uncertainty/), loaded synchronously on the first
// call; the promise is for code shared with the browser build.
let uncertainty = null;
function loadUncertainty() {
  if (uncertainty === null) {
    let second;
    try {
      second = require("./uncertainty/par_index_wasm.js");
    } catch (e) {
      if (e === null || typeof e !== "object" || e.code !== "MODULE_NOT_FOUND") return Promise.reject(e);
      return Promise.reject(new api.ParIndexError(
        "loadUncertainty: this copy of par-index has no uncertainty/ module (build it with build.sh)",
        "not_built", "uncertainty", "internal"));
    }
    uncertainty = Promise.resolve(createUncertainty(second));
  }
  return uncertainty;
}
module.exports = { ...api, init, loadUncertainty, default: init };
EOF

cat > dist/node/index.mjs <<'EOF'
// par-index for Node (ES module entry over the CommonJS build: one instance, one error class).
import api from "./index.cjs";

export default api.init;
export const {
  ParIndexError, Methodology, Assessments, Scorecard, SurveyDesign, SipasResult,
  presets, sipas, proportionCi, display, version, loadUncertainty,
} = api;
EOF

printf '{\n  "type": "commonjs"\n}\n' > dist/node/package.json
cp js/index.d.ts dist/index.d.ts

for dir in dist/web dist/node dist/web/uncertainty dist/node/uncertainty; do
  bytes="$(wc -c < "$dir/par_index_wasm_bg.wasm")"
  gz="$(gzip -9c "$dir/par_index_wasm_bg.wasm" | wc -c)"
  echo "== $dir/par_index_wasm_bg.wasm: $bytes bytes, $gz bytes gzipped"
done
# The main module must stay under its budget; the lazily loaded one is not counted in it.
main_gz="$(gzip -9c dist/web/par_index_wasm_bg.wasm | wc -c)"
if [ "$main_gz" -ge 300000 ]; then
  echo "dist/web/par_index_wasm_bg.wasm is $main_gz bytes gzipped: over the 300,000-byte budget" >&2
  exit 1
fi
