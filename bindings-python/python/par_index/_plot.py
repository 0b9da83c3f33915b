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
