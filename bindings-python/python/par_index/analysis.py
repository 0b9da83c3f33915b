"""Reports of the analysis of a scorecard: strengths and weaknesses (:class:`Profile`), the gap
to the next tier and rank (:class:`Gap`), what-if (:class:`WhatIf`), year over year
(:class:`Comparison`) and Monte Carlo uncertainty (:class:`Uncertainty`).

Every report is computed by the core; these classes only turn its JSON into pandas tables,
HTML and charts. ``.to_dict()`` gives the core's result unchanged (decimals as strings)."""

from __future__ import annotations

import decimal
import json
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence

from ._display import table_html

if TYPE_CHECKING:  # pragma: no cover
    from .scoring import Methodology, Scorecard

__all__ = ["Profile", "Gap", "WhatIf", "Comparison", "Uncertainty", "signed"]

_PROFILE_COLUMNS = ("code", "label", "depth", "points", "max_points", "lost", "percent", "group_best",
                    "group_mean", "versus_mean", "group_mean_lost", "group_rank")
_PROFILE_DECIMALS = ("points", "max_points", "lost", "percent", "group_best", "group_mean", "versus_mean",
                     "group_mean_lost")


def _number(v: Optional[str], exact: bool) -> Any:
    if exact:
        return None if v is None else decimal.Decimal(v)
    return float("nan") if v is None else float(v)


def _label(label: Any, lang: str) -> str:
    if isinstance(label, dict):
        return str(label.get(lang) or label.get("en") or label.get("vi") or "")
    return "" if label is None else str(label)


def _frame(rows: Sequence[Dict[str, Any]], columns: Sequence[str], decimals: Sequence[str], ints: Sequence[str],
           exact: bool, lang: str = "en") -> Any:
    """A DataFrame of ``columns`` from the core's rows: ``decimals`` (strings) as float64 or
    ``Decimal``, ``ints`` as nullable Int64, ``label`` in ``lang``."""
    import pandas as pd

    cols: Dict[str, Any] = {}
    for c in columns:
        values = [r.get(c) for r in rows]
        if c in decimals:
            cols[c] = pd.Series([_number(v, exact) for v in values], dtype=object if exact else "float64")
        elif c in ints:
            cols[c] = pd.array(values, dtype="Int64")
        elif c == "label":
            cols[c] = [_label(v, lang) for v in values]
        else:
            cols[c] = values
    return pd.DataFrame(cols, columns=list(columns))


def signed(value: Any, places: int = 2) -> str:
    """A change as official reports print it: ``"+4.30"``, ``"-8.20"``, ``"0.00"`` (half up;
    empty for a missing value)."""
    from .scoring import display

    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = display(value if isinstance(value, str) else str(value), places)
    if text.startswith("-") and decimal.Decimal(text) == 0:
        text = text[1:]
    return text if text.startswith("-") or decimal.Decimal(text) == 0 else "+" + text


class _Report:
    """A core result kept as its JSON text."""

    _caption = ""

    def __init__(self, text: str) -> None:
        self._text = text
        self._data: Dict[str, Any] = json.loads(text)

    def to_dict(self) -> Dict[str, Any]:
        """The core's result as a dict (decimals as strings), exactly as the core serialises it."""
        return json.loads(self._text)  # type: ignore[no-any-return]

    def to_json(self) -> str:
        """The core's result as JSON text."""
        return self._text


class Profile(_Report):
    """Strengths and weaknesses of one unit against its group: per node its points, points lost
    (most first), percent, the group's best and mean, and its rank in the group."""

    def __init__(self, text: str, card: "Scorecard") -> None:
        super().__init__(text)
        self._card = card

    @property
    def unit(self) -> str:
        """The unit."""
        return str(self._data["unit"])

    def to_pandas(self, exact: bool = False, lang: str = "en") -> Any:
        """One row per node, most points lost first: code, label, depth, points, max_points,
        lost, percent, group_best, group_mean, versus_mean, group_mean_lost, group_rank. float64 by default;
        ``exact=True`` gives ``decimal.Decimal``."""
        return _frame(self._data["nodes"], _PROFILE_COLUMNS, _PROFILE_DECIMALS, ("depth", "group_rank"), exact, lang)

    def weaknesses(self, n: int = 5, exact: bool = False, lang: str = "en") -> Any:
        """The ``n`` sub-criteria (leaves) where the unit trails its group's mean most, worst
        first; same columns as :meth:`to_pandas`."""
        rows = json.loads(self._card._inner.weaknesses_json(self.unit, n))
        return _frame(rows, _PROFILE_COLUMNS, _PROFILE_DECIMALS, ("depth", "group_rank"), exact, lang)

    def strengths(self, exact: bool = False, lang: str = "en") -> Any:
        """The nodes where the unit is above its group's mean, furthest first; same columns as
        :meth:`to_pandas`."""
        rows = json.loads(self._card._inner.strengths_json(self.unit))
        return _frame(rows, _PROFILE_COLUMNS, _PROFILE_DECIMALS, ("depth", "group_rank"), exact, lang)

    def plot(self, ax: Any = None, n: int = 10, lang: str = "en") -> Any:
        """Horizontal bars of the points lost on the ``n`` sub-criteria (leaves) where the unit
        lost most, with the group's mean loss on each marked (needs matplotlib:
        ``pip install 'par-index[plot]'``). Returns the matplotlib Axes."""
        from ._plot import weaknesses_chart

        df = self.to_pandas(lang=lang)
        df = df[df["depth"] == df["depth"].max()].head(n)
        return weaknesses_chart(df, ax=ax, title=f"Points lost: {self.unit}")

    def _repr_html_(self) -> str:
        df = self.to_pandas()
        return table_html(df.round(2), caption=f"Profile of {self.unit} against its group (most points lost first)")

    def __repr__(self) -> str:
        return f"<Profile of {self.unit}>\n" + self.to_pandas().round(2).to_string(index=False)


class Gap(_Report):
    """What one unit needs for the next tier and the next rank (exact decimals), and which
    leaves have points left."""

    @property
    def unit(self) -> str:
        """The unit."""
        return str(self._data["unit"])

    @property
    def index(self) -> decimal.Decimal:
        """The unit's index."""
        return decimal.Decimal(self._data["index"])

    @property
    def tier(self) -> Optional[str]:
        """The unit's tier."""
        return self._data.get("tier")

    @property
    def next_tier(self) -> Optional[Dict[str, Any]]:
        """The next tier band up: tier, label, min_index, inclusive, points_needed,
        index_needed (``Decimal``), requires; ``None`` at the top."""
        t = self._data.get("next_tier")
        if t is None:
            return None
        out = dict(t)
        for k in ("min_index", "points_needed", "index_needed"):
            if out.get(k) is not None:
                out[k] = decimal.Decimal(out[k])
        return out

    @property
    def next_rank(self) -> Optional[Dict[str, Any]]:
        """The unit ranked just above: unit, rank, points_needed, index_needed (``Decimal``);
        ``None`` for the leader."""
        r = self._data.get("next_rank")
        if r is None:
            return None
        out = dict(r)
        for k in ("points_needed", "index_needed"):
            if out.get(k) is not None:
                out[k] = decimal.Decimal(out[k])
        return out

    def headroom(self, exact: bool = False, lang: str = "en") -> Any:
        """The leaves with points left, most first: code, label, available, cumulative."""
        return _frame(self._data["headroom"], ("code", "label", "available", "cumulative"),
                      ("available", "cumulative"), (), exact, lang)

    def _summary(self) -> str:
        parts = [f"{self.unit}: index {self._data['index']}, tier {self.tier or '-'}"]
        t = self._data.get("next_tier")
        if t is not None:
            parts.append(f"tier {t['tier']} needs {t['points_needed']} points ({t['index_needed']} index points)")
        r = self._data.get("next_rank")
        if r is not None:
            parts.append(f"overtaking {r['unit']} (rank {r['rank']}) needs {r['points_needed']} points")
        return "; ".join(parts)

    def _repr_html_(self) -> str:
        return table_html(self.headroom(exact=True), caption=self._summary(), footer="headroom: points left per leaf")

    def __repr__(self) -> str:
        return f"<Gap {self._summary()}>"


class WhatIf:
    """The result of a what-if: the new :class:`~par_index.Scorecard` and every unit's
    movement."""

    def __init__(self, scorecard: "Scorecard", movements_text: str, methodology: Optional["Methodology"] = None) -> None:
        self.scorecard = scorecard
        #: The re-weighted methodology after a what-if on weights (``None`` otherwise).
        self.methodology = methodology
        self._movements_text = movements_text
        self._movements: List[Dict[str, Any]] = json.loads(movements_text)

    def to_dict(self) -> Dict[str, Any]:
        """The core's result as a dict: ``{"scorecard": ..., "movements": [...]}``."""
        return {"scorecard": self.scorecard.to_dict(), "movements": json.loads(self._movements_text)}

    def movements(self, exact: bool = False) -> Any:
        """One row per unit in scorecard order: unit, group, index_before, index_after,
        rank_before, rank_after, tier_before, tier_after."""
        return _frame(self._movements, ("unit", "group", "index_before", "index_after", "rank_before", "rank_after",
                                        "tier_before", "tier_after"),
                      ("index_before", "index_after"), ("rank_before", "rank_after"), exact)

    def _repr_html_(self) -> str:
        return table_html(self.movements(exact=True), caption="What-if: movements")

    def __repr__(self) -> str:
        return "<WhatIf>\n" + self.movements(exact=True).to_string(index=False)


_UNIT_CHANGE_COLUMNS = ("unit", "group", "index_before", "index_after", "index_change", "points_before",
                        "points_after", "points_change", "rank_before", "rank_after", "rank_change", "tier_before",
                        "tier_after", "tier_move")
_NODE_CHANGE_COLUMNS = ("unit", "code", "previous_code", "points_before", "points_after", "points_change",
                        "percent_before", "percent_after", "percent_change")


class Comparison(_Report):
    """Changes against a previous scorecard: per unit and per node, in points and percentage
    points, rank changes (positive: up) and tier moves (positive: up)."""

    @property
    def new_units(self) -> List[str]:
        """Units only in the current scorecard."""
        return list(self._data["new_units"])

    @property
    def dropped_units(self) -> List[str]:
        """Units only in the previous scorecard."""
        return list(self._data["dropped_units"])

    @property
    def unmapped_codes(self) -> List[str]:
        """Current node codes with no counterpart in the previous methodology."""
        return list(self._data["unmapped_codes"])

    @property
    def unmapped_previous_codes(self) -> List[str]:
        """Previous node codes with no counterpart in the current methodology."""
        return list(self._data["unmapped_previous_codes"])

    def units(self, exact: bool = False, display: bool = False) -> Any:
        """One row per unit in both scorecards: unit, group, index_before, index_after,
        index_change, points_before, points_after, points_change, rank_before, rank_after,
        rank_change, tier_before, tier_after, tier_move. ``display=True`` gives the values as
        official reports print them (two decimals, changes signed: ``"+4.30"``)."""
        rows = self._data["units"]
        decimals: Sequence[str] = ("index_before", "index_after", "index_change", "points_before", "points_after",
                                   "points_change")
        if display:
            rows = [_shown(r, decimals) for r in rows]
            decimals = ()
        return _frame(rows, _UNIT_CHANGE_COLUMNS, decimals, ("rank_before", "rank_after", "rank_change", "tier_move"),
                      exact)

    def nodes(self, exact: bool = False, display: bool = False) -> Any:
        """One row per unit and mapped node: unit, code, previous_code, points_before,
        points_after, points_change, percent_before, percent_after, percent_change (percentage
        points). ``display=True`` as in :meth:`units`."""
        rows = self._data["nodes"]
        decimals: Sequence[str] = ("points_before", "points_after", "points_change", "percent_before",
                                   "percent_after", "percent_change")
        if display:
            rows = [_shown(r, decimals) for r in rows]
            decimals = ()
        return _frame(rows, _NODE_CHANGE_COLUMNS, decimals, (), exact)

    def _repr_html_(self) -> str:
        notes = []
        for name in ("new_units", "dropped_units", "unmapped_codes", "unmapped_previous_codes"):
            if self._data[name]:
                notes.append(f"{name}: {', '.join(self._data[name])}")
        return table_html(self.units(display=True), caption="Changes against the previous scorecard",
                          footer="; ".join(notes))

    def __repr__(self) -> str:
        return "<Comparison>\n" + self.units(display=True).to_string(index=False)


def _shown(row: Dict[str, Any], decimals: Sequence[str]) -> Dict[str, Any]:
    from .scoring import display

    out = dict(row)
    for c in decimals:
        v = row.get(c)
        if v is None:
            out[c] = None
        elif c.endswith("_change"):
            out[c] = signed(v)
        else:
            out[c] = display(v)
    return out


class Uncertainty(_Report):
    """Monte Carlo uncertainty of indices and ranks: per unit the nominal, median and 5-95 %
    ranks, the mean index and the probability of each tier; per input factor the sensitivity
    indices (when asked for)."""

    @property
    def seed(self) -> int:
        """The seed used."""
        return int(self._data["seed"])

    @property
    def replications(self) -> int:
        """Replications summarised."""
        return int(self._data["replications"])

    @property
    def factors(self) -> List[str]:
        """The input factors."""
        return list(self._data["factors"])

    @property
    def mean_absolute_rank_shift(self) -> float:
        """Mean over units and replications of |rank - nominal rank|."""
        return float(self._data["mean_absolute_rank_shift"])

    def units(self, exact: bool = False) -> Any:
        """One row per unit in scorecard order: unit, group, nominal_index, nominal_rank,
        nominal_tier, median_rank, rank_p05, rank_p95, mean_rank, mean_index, index_sd, then
        ``P(X)`` per tier band (``P(none)`` below every band)."""
        import pandas as pd

        rows = self._data["units"]
        df = _frame(rows, ("unit", "group", "nominal_index", "nominal_rank", "nominal_tier", "median_rank", "rank_p05",
                           "rank_p95", "mean_rank", "mean_index", "index_sd"),
                    ("nominal_index",), ("nominal_rank", "median_rank", "rank_p05", "rank_p95"), exact)
        for c in ("mean_rank", "mean_index", "index_sd"):
            df[c] = pd.Series([float(r[c]) for r in rows], dtype="float64")
        tiers: List[str] = []
        for r in rows:
            for t in r["tiers"]:
                name = f"P({t['tier'] if t['tier'] is not None else 'none'})"
                if name not in tiers:
                    tiers.append(name)
        for name in tiers:
            df[name] = pd.Series([next((float(t["probability"]) for t in r["tiers"]
                                        if f"P({t['tier'] if t['tier'] is not None else 'none'})" == name),
                                       float("nan")) for r in rows], dtype="float64")
        return df

    def rank_counts(self) -> Any:
        """Replications at each rank: one row per unit, one column per rank (1, 2, ...)."""
        import pandas as pd

        rows = self._data["units"]
        width = max((len(r["rank_counts"]) for r in rows), default=0)
        data = [list(r["rank_counts"]) + [0] * (width - len(r["rank_counts"])) for r in rows]
        return pd.DataFrame(data, index=[r["unit"] for r in rows], columns=list(range(1, width + 1)), dtype="int64")

    def sensitivity(self, unit: Optional[str] = None) -> Any:
        """Sensitivity indices: factor, first_order, total (NaN when the output does not vary);
        of the whole ranking, or of one ``unit``'s rank (with ``"per_unit": true`` in the spec).
        Empty without ``"sensitivity"`` in the spec."""
        import pandas as pd

        s = self._data.get("sensitivity")
        factors: List[Dict[str, Any]] = []
        if s is not None:
            if unit is None:
                factors = s["factors"]
            else:
                match = [u for u in s.get("units", []) if u["unit"] == unit]
                if not match:
                    raise KeyError(f"no per-unit sensitivity for {unit!r}")
                factors = match[0]["factors"]
        nan = float("nan")
        return pd.DataFrame({
            "factor": [f["factor"] for f in factors],
            "first_order": pd.Series([nan if f["first_order"] is None else float(f["first_order"]) for f in factors],
                                     dtype="float64"),
            "total": pd.Series([nan if f["total"] is None else float(f["total"]) for f in factors], dtype="float64"),
        })

    def plot(self, ax: Any = None) -> Any:
        """Rank intervals: per unit a bar from the 5th to the 95th percentile rank, the nominal
        and median ranks marked, units sorted by nominal rank (group by group, in scorecard
        order, when there are several groups; needs matplotlib:
        ``pip install 'par-index[plot]'``). Returns the matplotlib Axes."""
        from ._plot import rank_intervals_chart

        import pandas as pd

        df = self.units()
        df["_group"] = pd.factorize(df["group"].fillna(""), sort=False)[0]
        df = df.sort_values(["_group", "nominal_rank"], kind="stable")
        return rank_intervals_chart(df, ax=ax, title=f"Rank intervals ({self.replications} replications)")

    def _repr_html_(self) -> str:
        return table_html(self.units().round(3), caption=f"Uncertainty: {self.replications} replications, "
                                                         f"seed {self.seed}")

    def __repr__(self) -> str:
        return (f"<Uncertainty {self.replications} replications, seed {self.seed}>\n"
                + self.units().round(3).to_string(index=False))
