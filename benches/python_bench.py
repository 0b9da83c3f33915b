"""SIPAS from Python: the DataFrame path against the Rust path on the same 1,000,000 rows.

Data as in benches/sipas.rs: 1,000,000 respondents x 33 items (design sipas-national-2022) x 63
units, weights with two decimals, about 3 % empty answers.

- Rust path: the core's streaming CSV reader on the CSV file (`Aggregator.add_csv_stream`, no
  Python per row), then `finish`.
- Python path: the same data already in a pandas DataFrame (as `pd.read_csv` gives it, nullable
  answers as float64 with NaN), through `pi.sipas` (column buffers, GIL released), then `finish`.

Prints seconds (best of N) and the ratio; the target is the Python path within 1.5x of the Rust
path. Run: python benches/python_bench.py [rows] [repeats]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import par_index as pi

ITEMS = 33
UNITS = 63


def frame(rows: int) -> pd.DataFrame:
    rng = np.random.default_rng(0x2545F491)
    df = pd.DataFrame({
        "unit": [f"unit-{(r * 7919) % UNITS:02d}" for r in range(rows)],
        "w": (1 + rng.integers(0, 4, rows) + rng.integers(0, 100, rows) / 100).round(2),
    })
    x = rng.integers(0, 100, (rows, ITEMS))
    answers = np.select([x < 3, x < 50, x < 80, x < 90, x < 96], [np.nan, 5, 4, 3, 2], 1).astype("float64")
    for i in range(ITEMS):
        df[f"q{i + 1}"] = answers[:, i]
    return df


def best(f, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    design = pi.presets.survey_design("sipas-national-2022")
    df = frame(rows)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "responses.csv"
        df.astype({f"q{i + 1}": "Int64" for i in range(ITEMS)}).to_csv(path, index=False)
        for ci, weight in (("wilson", None), ("logit", "w")):
            def rust() -> None:
                pi.Aggregator(design, weighted=weight is not None).add_csv_stream(path, weight=weight).finish(ci)

            def python() -> None:
                pi.sipas(df, design, weight=weight, ci=ci)

            a = pi.Aggregator(design, weighted=weight is not None).add_csv_stream(path, weight=weight).finish(ci)
            assert a.to_json() == pi.sipas(df, design, weight=weight, ci=ci).to_json(), "paths disagree"
            r, p = best(rust, repeats), best(python, repeats)
            print(f"{rows} rows, {ci:7s} weighted={weight is not None}: rust (CSV stream) {r:.3f} s, "
                  f"python (DataFrame) {p:.3f} s, ratio {p / r:.2f}x")


if __name__ == "__main__":
    main()
