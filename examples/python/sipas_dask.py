"""SIPAS at scale: aggregate a responses dataset partitioned across a Dask LocalCluster, merge
the partial states (they pickle and merge exactly), and check the single-process result."""

import warnings

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
from distributed import Client, LocalCluster

import par_index as pi

ITEMS = ["q1", "q2", "q3", "q4"]


def partial_state(frame: pd.DataFrame) -> pi.Aggregator:
    """Aggregates one partition; runs on a worker and comes back pickled."""
    return pi.Aggregator(ITEMS, weighted=True).add(frame, unit="unit", weight="weight")


def main() -> None:
    warnings.filterwarnings("ignore", message="Sending large graph")
    rng = np.random.default_rng(1)
    n = 200_000
    df = pd.DataFrame({"unit": rng.choice([f"district-{i}" for i in range(12)], n),
                       "weight": rng.uniform(0.5, 2.0, n).round(3)})
    for q in ITEMS:
        df[q] = rng.integers(1, 6, n)
    ddf = dd.from_pandas(df, npartitions=8)
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, Client(cluster) as client:
        states = client.gather(client.compute([dask.delayed(partial_state)(p) for p in ddf.to_delayed()]))
    merged = states[0]
    for s in states[1:]:
        merged.merge(s)
    single = pi.Aggregator(ITEMS, weighted=True).add(df, weight="weight")
    assert merged == single, "merged partial states differ from the single-process state"
    result = merged.finish(ci="logit")
    assert result.to_json() == single.finish(ci="logit").to_json()
    print(result.overall().head().to_string(index=False))
    print(f"dask: {len(states)} partitions merged; equal to the single-process result: yes")


if __name__ == "__main__":
    main()
