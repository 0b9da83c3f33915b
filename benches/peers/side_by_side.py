"""This library and pandas timed in turn in one process: each repetition runs `par_index.sipas`
(full results, unweighted, Wilson intervals) on the DataFrame and pandas' wide groupby of the
shares alone (`pandas_shares.shares`), each first in turn. Interleaved, both see the same load on a shared machine,
so their ratio depends less on when each ran than the separate runs' ratio does.

Usage: python benches/peers/side_by_side.py FILE [repeats]
"""

from __future__ import annotations

import sys
import time

import pandas as pd

import par_index as pi
from common import emit
from pandas_shares import shares


def main() -> None:
    path = sys.argv[1]
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    design = pi.presets.survey_design("sipas-national-2022")
    df = pd.read_csv(path)
    ours = peer = float("inf")
    for k in range(repeats):
        # Each goes first in turn (neither always runs right after the other).
        for which in ((0, 1) if k % 2 == 0 else (1, 0)):
            t = time.perf_counter()
            if which == 0:
                pi.sipas(df, design, ci="wilson")
                ours = min(ours, time.perf_counter() - t)
            else:
                shares(df)
                peer = min(peer, time.perf_counter() - t)
    emit(peer="interleaved: par_index (Python, DataFrame)", task="full results, unweighted, Wilson CI",
         rows=len(df), seconds=ours, repeats=repeats)
    emit(peer="interleaved: pandas", task="shares only (unweighted groupby)", rows=len(df), seconds=peer,
         repeats=repeats)


if __name__ == "__main__":
    main()
