"""Peer: pandas groupby shares (satisfied = 4 or 5 over valid answers) and Wilson 95 % intervals,
per unit and item, unweighted (wide form, and the long form of melt + groupby); the unweighted
results this library gives per unit and item (counts at each level, valid n, share, mean, Wilson
interval), computed the fastest way we know in pandas; and the weighted shares alone. Timed on
the DataFrame already in memory (the CSV read is timed apart).

Usage: python benches/peers/pandas_shares.py FILE [repeats]
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from common import ITEMS, best, cli, emit

Z = 1.959963984540054


def shares(df: pd.DataFrame) -> pd.DataFrame:
    a = df[ITEMS]
    valid = a.notna()
    sat = a.ge(4)  # NaN compares False
    g = pd.concat([sat, valid.add_suffix("_n")], axis=1).groupby(df["unit"], sort=True).sum()
    return g


def shares_long(df: pd.DataFrame) -> pd.DataFrame:
    """The same shares as they are often written: answers melted to one row per respondent and
    item, then grouped by unit and item (slower than the wide form above, which is the peer the
    target is set against)."""
    long = df.melt(id_vars=["unit"], value_vars=ITEMS, var_name="item", value_name="answer")
    long = long.dropna(subset=["answer"])
    long["satisfied"] = long["answer"] >= 4
    return long.groupby(["unit", "item"], sort=True)["satisfied"].agg(["sum", "count"])


def shares_wilson(df: pd.DataFrame) -> dict[str, np.ndarray]:
    g = shares(df)
    k = g[ITEMS].to_numpy(dtype=float)
    n = g[[f"{c}_n" for c in ITEMS]].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        denom = 1 + Z * Z / n
        centre = (p + Z * Z / (2 * n)) / denom
        half = Z * np.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / denom
    return {"share": p, "low": centre - half, "high": centre + half}


LEVELS = (1, 2, 3, 4, 5)


def full_results(df: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per unit and item, as this library's unweighted item results: the count at each level,
    valid n, satisfied, share, mean and the Wilson interval (one wide groupby of all level
    indicators)."""
    a = df[ITEMS]
    levels = pd.concat([a.eq(v).add_suffix(f"_{v}") for v in LEVELS], axis=1).groupby(df["unit"], sort=True).sum()
    counts = np.stack([levels[[f"{c}_{v}" for c in ITEMS]].to_numpy(dtype=float) for v in LEVELS])
    n = counts.sum(axis=0)
    k = counts[3] + counts[4]
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        mean = np.tensordot(np.array(LEVELS, dtype=float), counts, axes=1) / n
        denom = 1 + Z * Z / n
        centre = (p + Z * Z / (2 * n)) / denom
        half = Z * np.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / denom
    return {"levels": counts, "n": n, "satisfied": k, "share": p, "mean": mean, "low": centre - half,
            "high": centre + half}


def weighted_shares(df: pd.DataFrame) -> pd.DataFrame:
    a = df[ITEMS]
    w = df["w"].to_numpy()[:, None]
    valid = a.notna().to_numpy()
    sat = a.ge(4).to_numpy()
    num = pd.DataFrame(sat * w, columns=ITEMS).groupby(df["unit"].to_numpy()).sum()
    den = pd.DataFrame(valid * w, columns=ITEMS).groupby(df["unit"].to_numpy()).sum()
    return num / den


def main() -> None:
    path, repeats = cli()
    t = time.perf_counter()
    df = pd.read_csv(path)
    read = time.perf_counter() - t
    emit(peer="pandas", task="pd.read_csv", rows=len(df), seconds=read, repeats=1)
    s, _ = best(lambda: shares(df), repeats)
    emit(peer="pandas", task="shares only (unweighted groupby)", rows=len(df), seconds=s, repeats=repeats)
    s, _ = best(lambda: shares_long(df), repeats)
    emit(peer="pandas", task="long-format shares (melt + groupby unit, item)", rows=len(df), seconds=s,
         repeats=repeats)
    s, r = best(lambda: shares_wilson(df), repeats)
    emit(peer="pandas", task="shares + Wilson intervals (unweighted)", rows=len(df), seconds=s, repeats=repeats,
         cells=int(np.isfinite(r["share"]).sum()))
    s, r = best(lambda: full_results(df), repeats)
    emit(peer="pandas", task="full results (levels, shares, means, Wilson; unweighted)", rows=len(df), seconds=s,
         repeats=repeats, cells=int(np.isfinite(r["share"]).sum()))
    s, _ = best(lambda: weighted_shares(df), repeats)
    emit(peer="pandas", task="weighted shares only (no SE)", rows=len(df), seconds=s, repeats=repeats)


if __name__ == "__main__":
    main()
