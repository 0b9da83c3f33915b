"""Methodologies and scorecards, with pandas tables, HTML display and charts."""

from __future__ import annotations

import decimal
import json
import os
from functools import cached_property
from typing import Any, Dict, List, Optional, Sequence, Union

from . import _native
from ._display import scorecard_html, table_html
from .analysis import Comparison, Gap, Profile, Uncertainty, WhatIf
from ._input import read_text_or_path, records_of, to_assessments, value_text
from .errors import InputError

__all__ = ["Methodology", "Scorecard", "Audit", "Assessments", "TierBand", "display"]

Assessments = _native.Assessments

_DECIMAL_UNIT_COLUMNS = ("points", "max_points", "index", "tree_points", "bonus", "penalty")


def _numbers(values: Sequence[Optional[str]], exact: bool) -> List[Any]:
    if exact:
        return [None if v is None else decimal.Decimal(v) for v in values]
    return [float("nan") if v is None else float(v) for v in values]


def display(value: Union[str, decimal.Decimal, float, int], places: int = 2, mode: str = "half_up") -> str:
    """A value rounded for display, as official tables print it: ``places`` decimals,
    ``mode`` "half_up" (the PAR Index) or "half_even"."""
    text = value if isinstance(value, str) else format(decimal.Decimal(str(value)), "f")
    return _native.display(text, places, mode)


class TierBand:
    """One tier band: code, label, lower bound (percent) and colour."""

    __slots__ = ("code", "label", "min", "color")

    def __init__(self, code: str, label: str, min: decimal.Decimal, color: Optional[str]) -> None:
        self.code = code
        self.label = label
        self.min = min
        self.color = color

    def __repr__(self) -> str:
        return f"TierBand({self.code!r}, {self.label!r}, min={self.min}, color={self.color!r})"


class Methodology:
    """A validated methodology: criteria tree, tiers, rounding, ranking and policies."""

    def __init__(self, inner: "_native.Methodology") -> None:
        self._inner = inner

    @classmethod
    def from_json(cls, source: Union[str, "os.PathLike[str]", bytes, Dict[str, Any]]) -> "Methodology":
        """Reads a methodology from JSON text, a dict, or a path to a JSON file."""
        return cls(_native.Methodology.from_json(read_text_or_path(source, "methodology")))

    @property
    def id(self) -> str:
        """The methodology id, e.g. ``par2023-ministries``."""
        return self._inner.id

    def title(self, lang: str = "en") -> str:
        """The title in ``"vi"`` or ``"en"``."""
        return self._inner.title(lang)

    @property
    def max_points(self) -> decimal.Decimal:
        """The maximum points."""
        return decimal.Decimal(self._inner.max_points)

    def input_codes(self) -> List[str]:
        """The leaf and adjustment codes that take values, in tree order."""
        return self._inner.input_codes()

    def to_json(self) -> str:
        """The methodology as JSON text."""
        return self._inner.to_json()

    def to_dict(self) -> Dict[str, Any]:
        """The methodology as a dict (decimals as strings)."""
        return json.loads(self._inner.to_json())  # type: ignore[no-any-return]

    @cached_property
    def tier_bands(self) -> List[TierBand]:
        """The bands of the default tier scheme, highest first (empty without tiers)."""
        tiers = self.to_dict().get("tiers") or {}
        schemes = tiers.get("schemes") or []
        default = tiers.get("default")
        scheme = next((s for s in schemes if s.get("id") == default), schemes[0] if schemes else None)
        if not scheme:
            return []
        out = []
        for b in scheme.get("bands", []):
            label = b.get("label") or {}
            lo = b.get("min")
            out.append(TierBand(b["code"], label.get("en") or label.get("vi") or b["code"],
                                decimal.Decimal(str(lo)) if lo is not None else decimal.Decimal(0),
                                b.get("color")))
        return out

    def score(
        self,
        assessments: Any,
        *,
        unit: str = "unit",
        group: str = "group",
        layout: str = "auto",
        ignore: Sequence[str] = (),
        delimiter: str = ",",
    ) -> "Scorecard":
        """Scores assessments given as a pandas or polars DataFrame (long: unit, code, value
        [, group]; or wide: one column per code), a CSV or JSON path, CSV text, a list of dicts,
        or the JSON dict form ``{"units": [...]}``."""
        native = to_assessments(assessments, unit=unit, group=group, layout=layout, ignore=ignore, delimiter=delimiter)
        return Scorecard(self._inner.score(native), self)

    def __repr__(self) -> str:
        return f"<Methodology {self.id}: {self.title()}>"


class Audit:
    """The audit trail of one unit: every node's points and how they were found."""

    def __init__(self, unit: str, text: str, summary: str, columns: Dict[str, List[Any]]) -> None:
        self.unit = unit
        self.text = text
        self.summary = summary
        self._columns = columns

    def to_pandas(self, exact: bool = False) -> Any:
        """The lines as a DataFrame: code, label, depth, points, max_points, percent, status,
        input, how."""
        import pandas as pd

        cols = dict(self._columns)
        for c in ("points", "max_points", "percent"):
            cols[c] = _numbers(cols[c], exact)
        return pd.DataFrame(cols)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        return table_html(self.to_pandas(), caption=f"Audit trail of {self.unit}", footer=self.summary)


class Scorecard:
    """Every unit's points, maximum, index, tier and rank at every node, exact."""

    def __init__(self, inner: "_native.Scorecard", methodology: Optional[Methodology] = None) -> None:
        self._inner = inner
        self._methodology = methodology

    @property
    def methodology(self) -> str:
        """The id of the methodology scored with."""
        return self._inner.methodology

    def __len__(self) -> int:
        return len(self._inner)

    def to_json(self) -> str:
        """The scorecard as JSON text (decimals as strings)."""
        return self._inner.to_json()

    def to_dict(self) -> Dict[str, Any]:
        """The scorecard as a dict (decimals as strings)."""
        return json.loads(self._inner.to_json())  # type: ignore[no-any-return]

    def to_pandas(self, exact: bool = False, display: bool = False) -> Any:
        """One row per unit in ranked order: unit, group, points, max_points, index, tier, rank,
        then label_vi, label_en, tier_label, group_size, tree_points, bonus, penalty.

        Numbers are float64; ``exact=True`` gives ``decimal.Decimal`` values; ``display=True``
        gives the rounded strings official tables print (two decimals for the PAR Index)."""
        import pandas as pd

        t = self._inner.units_table()
        cols: Dict[str, Any] = {"unit": t["unit"], "group": t["group"]}
        for c in ("points", "max_points", "index"):
            cols[c] = t[f"{c}_display"] if display else _numbers(t[c], exact)
        cols["tier"] = t["tier"]
        cols["rank"] = pd.array(t["rank"], dtype="int64")
        cols["label_vi"] = t["label_vi"]
        cols["label_en"] = t["label_en"]
        cols["tier_label"] = t["tier_label"]
        cols["group_size"] = pd.array(t["group_size"], dtype="int64")
        for c in ("tree_points", "bonus", "penalty"):
            cols[c] = t[f"{c}_display"] if display else _numbers(t[c], exact)
        return pd.DataFrame(cols)

    def nodes(self, exact: bool = False) -> Any:
        """One row per unit and node: unit, code, label, points, max_points, percent, status,
        input."""
        import pandas as pd

        t = self._inner.nodes_table()
        cols = dict(t)
        for c in ("points", "max_points", "percent"):
            cols[c] = _numbers(t[c], exact)
        return pd.DataFrame(cols)

    def explain(self, unit: str) -> Audit:
        """The audit trail of one unit (``str()`` gives the text, ``.to_pandas()`` the lines)."""
        text, summary, cols = self._inner.explain(unit)
        return Audit(unit, text, summary, cols)

    def explain_json(self, unit: str) -> str:
        """The audit trail of one unit as JSON text."""
        return self._inner.explain_json(unit)

    def profile(self, unit: str) -> Profile:
        """Strengths and weaknesses of one unit against its group: per node its points, points
        lost, percent, the group's best and mean, and its rank in the group (``.to_pandas()``,
        ``.weaknesses(n)``, ``.strengths()``, ``.plot()``; ``.to_dict()`` the core's result)."""
        return Profile(self._inner.profile_json(unit), self)

    def gap(self, unit: str) -> Gap:
        """What one unit needs for the next tier and the next rank (``.next_tier``,
        ``.next_rank``), and where points are left (``.headroom()``)."""
        return Gap(self._inner.gap_json(unit))

    def compare(self, previous: "Scorecard", mapping: Optional[Dict[str, str]] = None) -> Comparison:
        """Changes against a previous year's scorecard (``mapping``: previous code to current
        code): ``.units()`` (index, points, rank and tier moves), ``.nodes()``, ``new_units``,
        ``dropped_units``, ``unmapped_codes``, ``unmapped_previous_codes``."""
        return Comparison(self._inner.compare_json(previous._inner, dict(mapping or {})))

    def what_if(self, changes: Any = (), weights: Any = None) -> WhatIf:
        """Re-scores with changed values (``[{"unit", "code", "value"}]`` or a DataFrame of
        those columns) and, with ``weights`` (``{code: weight}``, ``[{"code", "weight"}]`` or
        a DataFrame), re-weighted children of weighted nodes: ``.scorecard`` (a
        :class:`Scorecard`), ``.movements()`` and, after re-weighting, ``.methodology``."""
        if self._methodology is None:
            raise InputError("what_if needs the methodology this scorecard was scored with", "input_type", "what_if")
        rows = [{"unit": c["unit"], "code": c["code"],
                 "value": None if c.get("value") is None else (c["value"] if isinstance(c["value"], (bool, str))
                                                                 else value_text(c["value"]))}
                for c in records_of(changes)]
        if weights is None:
            card, movements = self._methodology._inner.what_if(self._inner, json.dumps(rows))
            return WhatIf(Scorecard(card, self._methodology), movements)
        pairs = weights.items() if isinstance(weights, dict) else ((w["code"], w["weight"]) for w in records_of(weights))
        weight_rows = [{"code": code, "weight": value_text(weight)} for code, weight in pairs]
        inner, card, movements = self._methodology._inner.what_if_weights(self._inner, json.dumps(weight_rows),
                                                                          json.dumps(rows))
        methodology = Methodology(inner)
        return WhatIf(Scorecard(card, methodology), movements, methodology)

    def uncertainty(self, spec: Any) -> Uncertainty:
        """Monte Carlo uncertainty of indices and ranks (``spec``: dict, JSON text or path, e.g.
        ``{"replications": 1000, "seed": 1, "weights": {"distribution": {"type": "uniform",
        "relative": 0.25}}}``): ``.units()``, ``.sensitivity()``, ``.plot()``."""
        if self._methodology is None:
            raise InputError("uncertainty needs the methodology this scorecard was scored with", "input_type",
                             "uncertainty")
        text = read_text_or_path(spec, "uncertainty spec")
        return Uncertainty(self._methodology._inner.uncertainty_json(self._inner, text))

    def display(self, value: Union[str, decimal.Decimal, float]) -> str:
        """A value rounded for display as the methodology says."""
        return self._inner.display(value if isinstance(value, str) else format(decimal.Decimal(str(value)), "f"))

    def tier_bands(self) -> List[TierBand]:
        """The tier bands of the methodology (for charts and colours)."""
        return self._methodology.tier_bands if self._methodology is not None else []

    def _repr_html_(self) -> str:
        return scorecard_html(self.to_pandas(display=True), self.tier_bands(), title=self.methodology)

    def __repr__(self) -> str:
        df = self.to_pandas(display=True)[["rank", "unit", "group", "points", "max_points", "index", "tier"]]
        return f"<Scorecard {self.methodology}: {len(self)} units>\n{df.to_string(index=False)}"

    def plot(self, ax: Any = None, group: Optional[str] = None, **kwargs: Any) -> Any:
        """A ranking bar chart of the index with the tier thresholds (needs matplotlib:
        ``pip install par-index[plot]``). Returns the matplotlib Axes."""
        from ._plot import ranking_chart

        df = self.to_pandas()
        if group is not None:
            df = df[df["group"] == group]
        return ranking_chart(df, self.tier_bands(), ax=ax, title=self.methodology, **kwargs)
