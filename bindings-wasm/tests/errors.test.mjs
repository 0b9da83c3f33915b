// Errors that only the JavaScript layer raises, tested directly on the installed package:
// "panic" (a trap of the WebAssembly module) and "not_built" (loadUncertainty() in a copy of the
// package without its uncertainty/ module). "not_initialized" needs the browser build (a call
// before `await init()`): tests/browser.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { ParIndexError, version } from "par-index";

const require = createRequire(import.meta.url);
const main = require.resolve("par-index"); // <package>/dist/node/index.cjs
const packageDir = dirname(dirname(dirname(main)));

test("loadUncertainty() in a copy without its uncertainty/ module rejects with not_built", async () => {
  const copy = mkdtempSync(join(tmpdir(), "par-index-no-uncertainty-"));
  try {
    cpSync(packageDir, copy, {
      recursive: true,
      filter: (src) => !relative(packageDir, src).split(sep).includes("uncertainty"),
    });
    const api = require(join(copy, "dist", "node", "index.cjs"));
    await assert.rejects(api.loadUncertainty(), (e) => {
      assert.ok(e instanceof api.ParIndexError, `not a ParIndexError: ${e}`);
      assert.equal(e.code, "not_built");
      assert.equal(e.path, "uncertainty");
      return true;
    });
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});

// Last: the trap leaves this file's instance of the module in an unknown state.
test("a trap of the WebAssembly module becomes a ParIndexError with code panic", () => {
  // The core panics on no input (and a panic aborts into a trap), so a trap is made by hand: a
  // handle to no object makes the module read far outside its memory. It is reached through a
  // public call, so the package's own error conversion is what is tested.
  const native = require(join(dirname(main), "par_index_wasm.js"));
  const bogus = Object.create(native.WasmSurveyDesign.prototype);
  bogus.__wbg_ptr = 0xfffffff0;
  const original = native.coreVersion;
  native.coreVersion = () => bogus.toJson();
  try {
    assert.throws(() => version(), (e) => {
      assert.ok(e instanceof ParIndexError, `not a ParIndexError: ${e}`);
      assert.equal(e.code, "panic");
      assert.equal(e.path, "");
      assert.equal(e.kind, "internal");
      return true;
    });
  } finally {
    native.coreVersion = original;
  }
});
