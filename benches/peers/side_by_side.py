"""This library and pandas timed in turn in one process: each repetition runs `par_index.sipas`
(full results, unweighted, Wilson intervals) on the DataFrame, pandas' wide groupby of the
shares alone (`pandas_shares.shares`) and pandas computing the same item results as this library
(`pandas_shares.full_results`), in every order in turn. Interleaved, all see the
same load on a shared machine, so their ratios depend less on when each ran than the separate
runs' ratios do.

Usage: python benches/peers/side_by_side.py FILE [repeats]
"""

from __future__ import annotations

import itertools
import time

import pandas as pd

import par_index as pi
from common import cli, emit
from pandas_shares import full_results, shares


def main() -> None:
    path, repeats = cli()
    design = pi.presets.survey_design("sipas-national-2022")
    df = pd.read_csv(path)
    calls = (lambda: pi.sipas(df, design, ci="wilson"), lambda: shares(df), lambda: full_results(df))
    best = [float("inf")] * len(calls)
    # Every order in turn: each call runs first, last, and after each of the others.
    orders = list(itertools.permutations(range(len(calls))))
    for k in range(repeats):
        for which in orders[k % len(orders)]:
            t = time.perf_counter()
            calls[which]()
            best[which] = min(best[which], time.perf_counter() - t)
    emit(peer="interleaved: par_index (Python, DataFrame)", task="full results, unweighted, Wilson CI",
         rows=len(df), seconds=best[0], repeats=repeats)
    emit(peer="interleaved: pandas", task="shares only (unweighted groupby)", rows=len(df), seconds=best[1],
         repeats=repeats)
    emit(peer="interleaved: pandas", task="full results (levels, shares, means, Wilson; unweighted)", rows=len(df),
         seconds=best[2], repeats=repeats)

if __name__ == "__main__":
    main()
