"""HTML tables for Jupyter (no dependency beyond pandas)."""

from __future__ import annotations

import html
from typing import Any, Dict, Optional, Sequence

_FALLBACK = ["#1a7f37", "#2f6fb3", "#b26b00", "#8250df", "#6e7781", "#cf222e"]


def _esc(v: Any) -> str:
    if v is None:
        return ""
    try:
        import math

        if isinstance(v, float) and math.isnan(v):
            return ""
    except Exception:  # pragma: no cover
        pass
    return html.escape(str(v))


def table_html(df: Any, caption: str = "", footer: str = "", colors: Optional[Dict[str, str]] = None,
               color_column: Optional[str] = None) -> str:
    """A plain HTML table of a DataFrame; rows coloured by ``color_column`` through ``colors``."""
    cols = list(df.columns)
    out = ['<table class="par-index">']
    if caption:
        out.append(f"<caption style='text-align:left;font-weight:bold'>{_esc(caption)}</caption>")
    out.append("<thead><tr>" + "".join(f"<th>{_esc(c)}</th>" for c in cols) + "</tr></thead><tbody>")
    for row in df.itertuples(index=False):
        cells = []
        for c, v in zip(cols, row):
            style = ""
            if colors is not None and c == color_column and v in colors:
                style = f" style='background:{colors[v]};color:white;font-weight:bold;text-align:center'"
            cells.append(f"<td{style}>{_esc(v)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    if footer:
        out.append(f"<p><small>{_esc(footer)}</small></p>")
    return "".join(out)


def band_colors(bands: Sequence[Any]) -> Dict[str, str]:
    """Tier code to colour, from the bands (fallback palette when a band has none)."""
    return {b.code: (b.color or _FALLBACK[i % len(_FALLBACK)]) for i, b in enumerate(bands)}


def scorecard_html(df: Any, bands: Sequence[Any], title: str = "") -> str:
    """The ranked scorecard table, tiers shown in colour, followed by a legend."""
    shown = df[["rank", "unit", "group", "points", "max_points", "index", "tier"]]
    colors = band_colors(bands)
    legend = " ".join(
        f"<span style='background:{colors[b.code]};color:white;padding:0 4px'>{_esc(b.code)}</span> "
        f"{_esc(b.label)} ≥ {_esc(b.min)} %"
        for b in bands
    )
    return table_html(shown, caption=title, colors=colors, color_column="tier") + (
        f"<p><small>{legend}</small></p>" if legend else ""
    )
