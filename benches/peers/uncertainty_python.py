"""Monte Carlo from Python: the problem of benches/uncertainty.rs (51 units x 49 indicators in 7
pillars of 7, weighted arithmetic means, weights perturbed uniformly by 25 % at both levels, ranks
per replication), 10,000 replications through `Scorecard.uncertainty`; replications per second
and the ratio to COINr's 7.87 replications/s.

Usage: python benches/peers/uncertainty_python.py [replications] [repeats]
"""

from __future__ import annotations

import sys

import par_index as pi
from common import best, emit


def problem() -> tuple[dict, list[dict]]:
    criteria = []
    for p in range(1, 8):
        children = [{"code": f"P{p}.{i}", "label": {"vi": "", "en": ""}, "max_points": "100",
                     "weight": str(1 + (p * i) % 4)} for i in range(1, 8)]
        criteria.append({"code": f"P{p}", "label": {"vi": "", "en": ""}, "max_points": "100",
                         "weight": str(1 + p % 3), "aggregation": "weighted_arithmetic", "children": children})
    m = {"id": "coinr-size", "title": {"vi": "", "en": ""}, "source": "bench", "max_points": "100",
         "aggregation": "weighted_arithmetic", "criteria": criteria}
    records = []
    for u in range(51):
        for p in range(1, 8):
            for i in range(1, 8):
                k = (p - 1) * 7 + i
                v = (u * 37 + k * 11 + u * k * 7) % 1001
                records.append({"unit": f"unit-{u:02d}", "code": f"P{p}.{i}", "value": f"{v / 10:.1f}"})
    return m, records


def main() -> None:
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    m, records = problem()
    card = pi.Methodology.from_json(m).score(records)
    spec = {"replications": reps, "seed": 2024,
            "weights": {"levels": [1, 2], "distribution": {"type": "uniform", "relative": 0.25}}}
    card.uncertainty({**spec, "replications": 500})  # warm up
    s, _ = best(lambda: card.uncertainty(spec), repeats)
    emit(peer="par_index (Python)", task=f"Monte Carlo {reps:,} replications, 51 x 49", rows=reps, seconds=s,
         repeats=repeats, per_second=reps / s, vs_coinr=reps / s * 0.127)


if __name__ == "__main__":
    main()
