#!/usr/bin/env python3
"""Checks that every binding produced byte-identical output for every conformance case.

Each runner writes out/conformance/<binding>/<case>.json; this compares the canonical JSON
(sorted keys, no spaces, whole floats as integers) of each case across the bindings that ran it.
"""
import json
import sys
from pathlib import Path

root = Path(__file__).resolve().parents[1] / "out" / "conformance"
bindings = sorted(p.name for p in root.iterdir() if p.is_dir()) if root.exists() else []
if "rust" not in bindings:
    print("compare-conformance: no Rust outputs; run the Rust tests first")
    sys.exit(1)
def canonical(v):
    """Numbers by value (Rust prints 1.0 where JavaScript prints 1); everything else as is."""
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return int(v)
    if isinstance(v, list):
        return [canonical(x) for x in v]
    if isinstance(v, dict):
        return {k: canonical(x) for k, x in v.items()}
    return v


cases = sorted(p.stem for p in (root / "rust").glob("*.json"))
passed = failed = 0
for name in cases:
    texts = {}
    for b in bindings:
        f = root / b / f"{name}.json"
        if f.exists():
            texts[b] = json.dumps(canonical(json.loads(f.read_text(encoding="utf-8"))), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    reference = texts["rust"]
    differing = [b for b, t in texts.items() if t != reference]
    if differing:
        failed += 1
        print(f"DIFFERS {name}: {', '.join(differing)} differ from rust")
    else:
        passed += 1
print(f"cross-binding comparison over {', '.join(bindings)}:")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
