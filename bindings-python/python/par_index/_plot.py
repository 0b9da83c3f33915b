"""Charts (matplotlib is the optional extra ``par-index[plot]``)."""

from __future__ import annotations

from typing import Any, Optional, Sequence

from ._display import band_colors


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("charts need matplotlib: pip install 'par-index[plot]'") from e
    return plt


def ranking_chart(df: Any, bands: Sequence[Any], ax: Any = None, title: str = "", lang: str = "en") -> Any:
    """Horizontal bars of the index per unit, best on top, coloured by tier, with the tier
    thresholds as vertical lines."""
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(8, max(2.5, 0.32 * len(df) + 1)))
    colors = band_colors(bands)
    d = df.iloc[::-1]
    names = d["label_en" if lang == "en" else "label_vi"].where(d["label_en"] != "", d["unit"]) if "label_en" in d else d["unit"]
    ax.barh(list(names), list(d["index"]), color=[colors.get(t, "#8c959f") for t in d["tier"]])
    for b in bands:
        ax.axvline(float(b.min), color=colors[b.code], linestyle="--", linewidth=1)
        ax.text(float(b.min), len(d) - 0.4, f" {b.code} ≥ {b.min}", color=colors[b.code], fontsize=8, va="bottom")
    lo = min([float(x) for x in d["index"]] + [float(b.min) for b in bands] + [100.0])
    ax.set_xlim(max(0.0, lo - 5.0), 100.0)
    ax.set_xlabel("index (%)")
    if title:
        ax.set_title(title)
    return ax


def elements_chart(df: Any, ax: Any = None, title: str = "", unit: Optional[str] = None) -> Any:
    """SIPAS: per element the share satisfied (mean over the element's items) with the items'
    interval bars."""
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4))
    d = df if unit is None else df[df["unit"] == unit]
    labels = [f"{u} · {e}" for u, e in zip(d["unit"], d["element"])] if unit is None else list(d["element"])
    y = list(range(len(d)))
    ax.barh(y, list(d["index"]), color="#2f6fb3")
    if "ci_low" in d and "ci_high" in d:
        lo = [i - l if l == l else 0.0 for i, l in zip(d["index"], d["ci_low"])]
        hi = [h - i if h == h else 0.0 for i, h in zip(d["index"], d["ci_high"])]
        ax.errorbar(list(d["index"]), y, xerr=[lo, hi], fmt="none", ecolor="black", capsize=3)
    ax.set_yticks(y)
    ax.set_yticklabels(labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("satisfied (%)")
    if title:
        ax.set_title(title)
    return ax


def weaknesses_chart(df: Any, ax: Any = None, title: str = "") -> Any:
    """Horizontal bars of the points a unit lost per node (most on top), each with a tick at
    the group's mean loss on that node (the core's ``group_mean_lost``)."""
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(8, max(2.5, 0.4 * len(df) + 1)))
    labels = [f"{c} {l}".strip() if l else str(c) for c, l in zip(df["code"], df["label"])]
    y = list(range(len(df)))
    ax.barh(y, [float(v) for v in df["lost"]], color="#cf222e", label="points lost")
    ax.scatter([float(v) for v in df["group_mean_lost"]], y, marker="|", s=400, color="black", zorder=3, label="group mean lost")
    ax.set_yticks(y)
    ax.set_yticklabels(labels)
    ax.invert_yaxis()
    ax.set_xlim(left=0)
    ax.set_xlabel("points lost")
    ax.legend(loc="lower right", fontsize=8)
    if title:
        ax.set_title(title)
    return ax


def rank_intervals_chart(df: Any, ax: Any = None, title: str = "") -> Any:
    """Per unit (in the given order, first on top) a bar over the ranks from the 5th to the 95th
    percentile rank (each rank a cell of width 1), with the nominal rank (diamond) and the median rank (bar) marked."""
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(8, max(2.5, 0.32 * len(df) + 1)))
    y = list(range(len(df)))
    lo = [float(v) for v in df["rank_p05"]]
    hi = [float(v) for v in df["rank_p95"]]
    ax.barh(y, [h - l + 0.8 for l, h in zip(lo, hi)], left=[l - 0.4 for l in lo], height=0.5, color="#8fb8de",
            label="5-95 % rank")
    ax.scatter([float(v) for v in df["median_rank"]], y, marker="|", s=200, color="black", zorder=3,
               label="median rank")
    ax.scatter([float(v) for v in df["nominal_rank"]], y, marker="D", s=30, color="#cf222e", zorder=4,
               label="nominal rank")
    ax.set_yticks(y)
    ax.set_yticklabels(list(df["unit"]))
    ax.invert_yaxis()
    top = max(hi + [float(v) for v in df["nominal_rank"]] + [1.0])
    ax.set_xlim(0.5, top + 0.5)
    ax.set_xlabel("rank (1 = best)")
    ax.legend(loc="upper right", fontsize=8)
    if title:
        ax.set_title(title)
    return ax
