"""This library from Python: `par_index.sipas` on a pandas DataFrame (as pd.read_csv gives it),
and the core's streaming CSV reader on the file (`Aggregator.add_csv_stream`), both to full
results (levels, shares, SE, intervals, element and overall indices, ranks).

Usage: python benches/peers/par_index_python.py FILE [repeats]
"""

from __future__ import annotations


import pandas as pd

import par_index as pi
from common import best, cli, emit


def main() -> None:
    path, repeats = cli()
    design = pi.presets.survey_design("sipas-national-2022")
    df = pd.read_csv(path)
    for ci, weight in (("wilson", None), ("logit", "w")):
        tag = "weighted, logit CI, Taylor SE" if weight else "unweighted, Wilson CI"
        s, res = best(lambda: pi.sipas(df, design, weight=weight, ci=ci), repeats)
        items = res.items()
        emit(peer="par_index (Python, DataFrame)", task=f"full results, {tag}", rows=len(df), seconds=s,
             repeats=repeats, cells=int(items["share"].notna().sum()))

        def stream() -> object:
            agg = pi.Aggregator(design, weighted=weight is not None)
            return agg.add_csv_stream(path, weight=weight).finish(ci)

        s, _ = best(stream, repeats)
        emit(peer="par_index (Python, CSV file)", task=f"full results, {tag}", rows=len(df), seconds=s,
             repeats=repeats)


if __name__ == "__main__":
    main()
