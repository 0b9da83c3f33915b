"""Shared helpers of the peer scripts: best-of-N wall time and one JSON line per measurement."""

from __future__ import annotations

import json
import sys
import time
from typing import Any, Callable

ITEMS = [f"q{i + 1}" for i in range(33)]


def cli(repeats: int = 5) -> tuple[str, int]:
    """The peer scripts' arguments: FILE [repeats] (`repeats` when not given)."""
    return sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else repeats


def best(f: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """Runs `f` `repeats` times; returns the shortest wall time in seconds and the last result."""
    times = []
    out = None
    for _ in range(repeats):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    return min(times), out


def emit(**fields: Any) -> None:
    """Prints one measurement as a JSON line (the runner collects every such line)."""
    print("RESULT " + json.dumps(fields), flush=True)
