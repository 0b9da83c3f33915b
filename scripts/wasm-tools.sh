#!/usr/bin/env bash
# Installs what bindings-wasm/build.sh needs, when missing: the wasm32-unknown-unknown target,
# wasm-bindgen-cli of the version pinned in Cargo.toml (about 2.5 minutes, so only when the
# installed one differs) and the npm packages of bindings-wasm (binaryen's wasm-opt, typescript,
# playwright-core) from the committed lock file. Sourced by test-js.sh and benchmarks.sh; run
# from the repository root.
command -v node >/dev/null || { echo "node (>= 18) is required" >&2; return 1; }
command -v cargo >/dev/null || { echo "cargo (rustup) is required" >&2; return 1; }
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown || return 1
fi
want="$(grep -o '^wasm-bindgen = "=[0-9.]*"' Cargo.toml | grep -o '[0-9][0-9.]*' || true)"
[ -n "$want" ] || { echo "Cargo.toml pins no wasm-bindgen version" >&2; return 1; }
have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$want" != "$have" ]; then
  echo "installing wasm-bindgen-cli $want (found: ${have:-none})"
  cargo install wasm-bindgen-cli --version "$want" || return 1
fi
if [ ! -f bindings-wasm/node_modules/.package-lock.json ] \
  || [ bindings-wasm/package-lock.json -nt bindings-wasm/node_modules/.package-lock.json ]; then
  (cd bindings-wasm && npm ci --no-audit --no-fund) || return 1
fi
