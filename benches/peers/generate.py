"""Writes the benchmark responses data set as CSV: one row per respondent.

Columns: unit (63 units, unit-00 .. unit-62), w (design weight, two decimals, 1.00-4.99),
q1 .. q33 (answers 1-5 of the national SIPAS questionnaire; about 3 % blank = no answer).
Answer mix: 5 47 %, 4 30 %, 3 10 %, 2 6 %, 1 4 %, blank 3 %. Deterministic: the same rows
count gives the same bytes on any machine (numpy PCG64, fixed seed).

Usage: python benches/peers/generate.py ROWS OUT.csv
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ITEMS = 33
UNITS = 63
SEED = 0x2545F491
CHUNK = 100_000


def write(rows: int, path: Path) -> None:
    rng = np.random.default_rng(SEED)
    # answer code -> text; 0 means blank
    text = np.array(["", "1", "2", "3", "4", "5"], dtype=object)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="\n") as f:
        f.write("unit,w," + ",".join(f"q{i + 1}" for i in range(ITEMS)) + "\n")
        for start in range(0, rows, CHUNK):
            n = min(CHUNK, rows - start)
            r = np.arange(start, start + n)
            units = np.char.add("unit-", np.char.zfill(((r * 7919) % UNITS).astype(str), 2))
            w = 1 + rng.integers(0, 4, n) + rng.integers(0, 100, n) / 100
            x = rng.integers(0, 100, (n, ITEMS))
            a = np.select([x < 3, x < 50, x < 80, x < 90, x < 96], [0, 5, 4, 3, 2], 1)
            cells = text[a]
            lines = [
                f"{u},{wt:.2f}," + ",".join(row)
                for u, wt, row in zip(units.tolist(), w.tolist(), cells.tolist())
            ]
            f.write("\n".join(lines) + "\n")


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    write(int(sys.argv[1]), Path(sys.argv[2]))


if __name__ == "__main__":
    main()
