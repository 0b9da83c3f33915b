"""SIPAS: satisfaction-survey aggregation (per unit: items, elements, overall index).

Large DataFrames are handed to the core column by column: unit and group ids are factorized
and answer columns converted to float64 arrays by pandas/numpy, so no Python code runs per row;
the core aggregates with the GIL released.
"""

from __future__ import annotations

import decimal
import json
import os
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Union

from . import _native
from ._display import table_html
from ._input import columns_of, json_default, read_text_or_path
from .errors import InputError, SurveyError

__all__ = ["SurveyDesign", "Aggregator", "SipasResult", "sipas", "proportion_ci", "CI_METHODS"]

#: The interval methods (``-`` and ``_`` are interchangeable).
CI_METHODS = ("wilson", "clopper-pearson", "jeffreys", "agresti-coull", "normal", "logit", "korn-graubard")


def _design_preset_names() -> List[str]:
    return list(_native.preset_survey_design_names())


class SurveyDesign:
    """What is asked (items in elements), on which scale, which levels count as satisfied."""

    def __init__(self, inner: "_native.SurveyDesign") -> None:
        self._inner = inner

    @classmethod
    def from_json(cls, source: Union[str, "os.PathLike[str]", bytes, Dict[str, Any]]) -> "SurveyDesign":
        """Reads a design from JSON text, a dict, or a path to a JSON file."""
        return cls(_native.SurveyDesign.from_json(read_text_or_path(source, "survey design")))

    @classmethod
    def from_items(cls, items: Sequence[str]) -> "SurveyDesign":
        """Plain items: each item its own element, scale 1-5, satisfied 4 and 5."""
        return cls(_native.SurveyDesign.from_item_codes([str(i) for i in items]))

    @classmethod
    def preset(cls, name: str) -> "SurveyDesign":
        """A design that ships with the library."""
        return cls(_native.preset_survey_design(name))

    @property
    def items(self) -> List[str]:
        """Item codes, in design order."""
        return self._inner.item_codes()

    @property
    def elements(self) -> List[str]:
        """Element codes, in display order."""
        return self._inner.element_codes()

    def item_elements(self) -> Dict[str, str]:
        """Item code to element code."""
        return dict(zip(self._inner.item_codes(), self._inner.item_elements()))

    def to_json(self) -> str:
        """The design as JSON text."""
        return self._inner.to_json()

    def to_dict(self) -> Dict[str, Any]:
        """The design as a dict."""
        return json.loads(self._inner.to_json())  # type: ignore[no-any-return]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SurveyDesign) and self._inner == other._inner

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<SurveyDesign: {len(self.items)} items in {len(self.elements)} elements>"


def _as_design(design: Any) -> SurveyDesign:
    if isinstance(design, SurveyDesign):
        return design
    if isinstance(design, _native.SurveyDesign):
        return SurveyDesign(design)
    if isinstance(design, (list, tuple)):
        return SurveyDesign.from_items(design)
    if isinstance(design, (dict, bytes, os.PathLike)) or isinstance(design, str):
        return SurveyDesign.from_json(design)
    raise InputError(f"a design is a SurveyDesign or a list of item columns, not {type(design).__name__}",
                     "input_type", "design")


def _float_column(values: Any, name: str) -> Any:
    import numpy as np
    import pandas as pd

    s = values if isinstance(values, pd.Series) else pd.Series(values)
    if s.dtype == np.float64:
        return s.to_numpy()  # already floats with NaN for blanks: no copy
    try:
        return pd.to_numeric(s, errors="raise").to_numpy(dtype="float64", na_value=np.nan)
    except (ValueError, TypeError) as e:
        raise InputError(f"column {name}: answers must be numbers ({e})", "answer_out_of_scale", f"column {name}") from None


def _column_getter(frame: Any) -> Any:
    """A function giving a column's values without building a Series
    (``DataFrame._get_column_array``, a pandas internal that saves 15-150 µs a column, the most
    when pandas' own code is out of the CPU's caches after a large aggregation), None for a name
    it cannot give; the frame's columns are looked at once for all the names asked."""
    get = getattr(frame, "_get_column_array", None)
    columns = frame.columns
    if get is None or not columns.is_unique:
        return lambda name: None

    def column(name: str) -> Any:
        try:
            return get(columns.get_loc(name))
        except Exception:  # any other pandas: the caller takes the public way
            return None

    return column


def _float_columns(frame: Any, names: Sequence[str]) -> List[Any]:
    """The columns as float64 arrays. A NumPy float64 column is passed without a copy (fetched
    by :func:`_column_getter` when it gives a float64 array)."""
    import numpy as np

    float64 = np.dtype(np.float64)
    column = _column_getter(frame)
    out = []
    for name in names:
        array = column(name)
        if not (type(array) is np.ndarray and array.dtype == float64 and array.ndim == 1):
            array = _float_column(frame[name], name)
        out.append(array)
    return out


def _id_column(frame: Any, name: str) -> Any:
    """A column of ids for :func:`_factorize`: its Arrow-held array when it has one (read
    without building a Series), else the Series."""
    array = _column_getter(frame)(name)
    return array if _is_arrow(array) else frame[name]


def _is_arrow(array: Any) -> bool:
    return type(array).__name__.startswith("Arrow") and hasattr(array, "__arrow_array__")


def _arrow_string_chunks(values: Any) -> Optional[List[Any]]:
    """The chunks of a string column held by Arrow (pandas' strings with pyarrow), as NumPy
    views of their buffers: (offsets, data, validity, offset, length). None for any other
    column, or without pyarrow."""
    array: Any = values if _is_arrow(values) else getattr(values, "array", None)
    if not _is_arrow(array):
        return None
    try:
        import numpy as np
        import pyarrow as pa

        chunked = array.__arrow_array__()
        chunks = chunked.chunks if isinstance(chunked, pa.ChunkedArray) else [chunked]
        out = []
        for c in chunks:
            if pa.types.is_large_string(c.type):
                offsets_type: Any = np.int64
            elif pa.types.is_string(c.type):
                offsets_type = np.int32
            else:
                return None
            validity, offsets, data = c.buffers()
            out.append((np.frombuffer(offsets, dtype=offsets_type),
                        np.frombuffer(data, dtype=np.uint8) if data is not None else np.empty(0, dtype=np.uint8),
                        np.frombuffer(validity, dtype=np.uint8) if validity is not None else None,
                        c.offset, len(c)))
        return out
    except (ImportError, AttributeError, TypeError, ValueError):
        return None


def _factorize(values: Any, name: str = "unit") -> "tuple[Any, List[str]]":
    """Codes (int64, -1 for missing) and ids in order of first appearance, as pandas.factorize
    gives them; Arrow-held strings are read from their buffers by the core (faster)."""
    import numpy as np
    import pandas as pd

    chunks = _arrow_string_chunks(values)
    if chunks is not None:
        return _native.factorize_arrow_strings(chunks, name)
    codes, uniques = pd.factorize(values if isinstance(values, pd.Series) else pd.Series(values), use_na_sentinel=True)
    return np.ascontiguousarray(codes, dtype="int64"), [str(u) for u in uniques.tolist()]


class Aggregator:
    """A mergeable, picklable SIPAS aggregation state: add chunks, merge partial states,
    then :meth:`finish`."""

    def __init__(self, design: Any, weighted: bool = False) -> None:
        self._design = _as_design(design)
        self._inner = _native.Aggregator(self._design._inner, weighted)
        self._rows = 0

    @classmethod
    def _wrap(cls, inner: "_native.Aggregator") -> "Aggregator":
        self = cls.__new__(cls)
        self._inner = inner
        self._design = SurveyDesign(inner.design())
        self._rows = inner.respondent_count
        return self

    @property
    def design(self) -> SurveyDesign:
        """The design."""
        return self._design

    @property
    def weighted(self) -> bool:
        """Whether design weights are used."""
        return self._inner.weighted

    @property
    def respondent_count(self) -> int:
        """Respondents added so far."""
        return self._inner.respondent_count

    @property
    def unit_count(self) -> int:
        """Units seen so far."""
        return self._inner.unit_count

    def add(self, responses: Any, unit: str = "unit", group: Optional[str] = None,
            weight: Optional[str] = None) -> "Aggregator":
        """Adds responses: a pandas or polars DataFrame (one row per respondent, one column per
        item), a CSV path, or a list of dicts (flat rows, or ``{unit, group, weight, answers}``).
        Returns self. A CSV file is read by the core's reader (as in Rust and JavaScript: ids as
        written) when it takes every row, else as a DataFrame from ``pandas.read_csv``
        (compressed files, "NA" markers); a bad answer is then an error, with the rows before
        it added, as for a DataFrame."""
        if (weight is not None) != self.weighted:
            # (Weights given to an unweighted state would be dropped without a word.)
            raise InputError("a weight column was given to an unweighted aggregation (use Aggregator(design, "
                             "weighted=True))" if weight is not None else
                             "a weighted aggregation needs a weight column (weight=...)", "bad_option", "weight")
        if isinstance(responses, (str, os.PathLike)) and not str(responses).lstrip().startswith("["):
            # The core's reader first (about 10x pandas' read_csv on a survey file, and the file
            # read as Rust and JavaScript read it), into a state of its own merged only when it
            # takes every row; any file it does not take (compressed, "NA" markers, a row it
            # rejects, a path with "~") is read by pandas as before, and errors as before.
            trial = Aggregator(self._design, weighted=self.weighted)
            try:
                trial.add_csv_stream(responses, unit=unit, group=group, weight=weight)
            except (SurveyError, InputError):
                pass
            else:
                return self.merge(trial)
            import pandas as pd

            try:
                responses = pd.read_csv(Path(responses))
            except OSError as e:
                raise InputError(f"{responses}: cannot read the responses: {e}", "io", str(responses)) from None
        if isinstance(responses, str):
            self._rows += self._inner.add_responses_json(responses)
            return self
        if isinstance(responses, (list, tuple)):
            rows = list(responses)
            if not rows:
                return self
            if all(isinstance(r, dict) and "answers" in r for r in rows):
                self._rows += self._inner.add_responses_json(json.dumps(rows, default=json_default))
                return self
            import pandas as pd

            responses = pd.DataFrame(rows)
        frame = _frame(responses)
        if unit not in frame.columns:
            raise InputError(f"no column {unit!r} (pass unit= to name the column of unit ids)", "missing_column",
                             "header")
        items = self._design.items
        missing = [c for c in items if c not in frame.columns]
        if missing:
            raise InputError(f"header: column {missing[0]!r} not found", "missing_column", "header")
        if weight is not None and weight not in frame.columns:
            raise InputError(f"header: column {weight!r} not found", "missing_column", "header")
        if group is not None and group not in frame.columns:
            raise InputError(f"header: column {group!r} not found", "missing_column", "header")
        unit_codes, unit_names = _factorize(_id_column(frame, unit), unit)
        group_codes, group_names = _factorize(_id_column(frame, group), group) if group is not None else (None, [])
        weights = _float_columns(frame, [weight])[0] if weight is not None else None
        answers = _float_columns(frame, items)
        self._rows += self._inner.add_columns(unit_codes, unit_names, group_codes, group_names, weights, answers,
                                              self._rows)
        return self

    def add_csv_stream(self, path: Union[str, "os.PathLike[str]"], unit: str = "unit", group: Optional[str] = None,
                       weight: Optional[str] = None, delimiter: str = ",") -> "Aggregator":
        """Streams a CSV file of any size through the core's CSV reader (memory does not grow
        with the file; answers must be integer codes). Returns self."""
        self._rows += self._inner.add_csv_path(str(Path(path)), unit, group, weight, delimiter)
        return self

    def merge(self, other: "Aggregator") -> "Aggregator":
        """Merges another state of the same design and options into this one; returns self."""
        self._inner.merge(other._inner)
        self._rows = self._inner.respondent_count
        return self

    def finish(self, ci: Optional[str] = "wilson", level: float = 0.95) -> "SipasResult":
        """The result, with intervals by ``ci`` (None: no intervals) at ``level``."""
        return SipasResult(self._inner.finish(ci or "wilson", level), with_ci=ci is not None,
                           design=self._design)

    def to_state_json(self) -> str:
        """The state as JSON text (exact counts and sums)."""
        return self._inner.to_state_json()

    @classmethod
    def from_state_json(cls, text: str) -> "Aggregator":
        """A state read from :meth:`to_state_json`."""
        return cls._wrap(_native.Aggregator.from_state_json(text))

    def __reduce__(self) -> Any:
        return (Aggregator.from_state_json, (self.to_state_json(),))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Aggregator) and self._inner == other._inner

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<Aggregator: {self.respondent_count} respondents in {self.unit_count} units>"


def _frame(data: Any) -> Any:
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        return data
    mod = type(data).__module__
    if mod.startswith("polars"):
        return pd.DataFrame({c: data[c].to_numpy() for c in data.columns})
    cols = columns_of(data)
    if cols is not None:
        return pd.DataFrame(cols)
    if isinstance(data, dict):
        return pd.DataFrame(data)
    raise InputError(f"responses are a DataFrame, a CSV path or a list of dicts, not {type(data).__name__}",
                     "input_type", "responses")


def _numbers(values: Sequence[Optional[str]], exact: bool) -> List[Any]:
    if exact:
        return [None if v is None else decimal.Decimal(v) for v in values]
    return [float("nan") if v is None else float(v) for v in values]


class SipasResult:
    """SIPAS results: per unit and item, per unit and element, per unit overall."""

    def __init__(self, inner: "_native.SipasResult", with_ci: bool = True,
                 design: Optional[SurveyDesign] = None) -> None:
        self._inner = inner
        self._with_ci = with_ci
        self._design = design

    @property
    def ci(self) -> Optional[str]:
        """The interval method (None when intervals were not asked for)."""
        return self._inner.ci.replace("_", "-") if self._with_ci else None

    @property
    def level(self) -> float:
        """The confidence level."""
        return self._inner.level

    def items(self, exact: bool = False) -> Any:
        """One row per unit and item: unit, item, n, n_missing, satisfied, share, se, ci_low,
        ci_high, mean, n_eff, n_not_applicable, weighted_n. Shares are in [0, 1]."""
        import pandas as pd

        t = self._inner.items_table()
        cols: Dict[str, Any] = {"unit": t["unit"], "item": t["item"]}
        for c in ("n", "n_missing", "satisfied"):
            cols[c] = pd.array(t[c], dtype="int64")
        cols["share"] = _numbers(t["share"], exact)
        for c in ("se", "ci_low", "ci_high"):
            cols[c] = [float("nan") if v is None or not self._with_ci else v for v in t[c]]
        cols["mean"] = _numbers(t["mean"], exact)
        cols["n_eff"] = [float("nan") if v is None else v for v in t["n_eff"]]
        cols["n_not_applicable"] = pd.array(t["n_not_applicable"], dtype="int64")
        cols["weighted_n"] = _numbers(t["weighted_n"], exact)
        df = pd.DataFrame(cols)
        if not self._with_ci:
            df = df.drop(columns=["ci_low", "ci_high"])
        return df

    def elements(self, exact: bool = False) -> Any:
        """One row per unit and element: unit, element, index (percent)."""
        import pandas as pd

        t = self._inner.elements_table()
        return pd.DataFrame({"unit": t["unit"], "element": t["element"], "index": _numbers(t["index"], exact)})

    def overall(self, exact: bool = False) -> Any:
        """One row per unit: unit, index (percent), rank, group, group_rank."""
        import pandas as pd

        t = self._inner.overall_table()
        return pd.DataFrame({
            "unit": t["unit"],
            "index": _numbers(t["index"], exact),
            "rank": pd.array(t["rank"], dtype="Int64"),
            "group": t["group"],
            "group_rank": pd.array(t["group_rank"], dtype="Int64"),
        })

    def to_json(self) -> str:
        """The result as JSON text: ``{items, elements, overall, all, groups}``."""
        return self._inner.to_json()

    def to_dict(self) -> Dict[str, Any]:
        """The result as a dict (decimals as strings)."""
        return json.loads(self._inner.to_json())  # type: ignore[no-any-return]

    def element_intervals(self) -> Any:
        """Per unit and element: the index with the lowest and highest interval bound of its
        items (percent), for charts."""
        items = self.items()
        el = self.elements()
        if self._design is None or "ci_low" not in items:
            return el
        of = self._design.item_elements()
        items = items.assign(element=items["item"].map(of))
        bounds = items.groupby(["unit", "element"], sort=False).agg(ci_low=("ci_low", "min"), ci_high=("ci_high", "max"))
        out = el.merge(bounds.reset_index(), on=["unit", "element"], how="left")
        out["ci_low"] = out["ci_low"] * 100.0
        out["ci_high"] = out["ci_high"] * 100.0
        return out

    def _repr_html_(self) -> str:
        df = self.overall().sort_values("rank", na_position="last")
        df["index"] = [f"{v:.2f}" if v == v else "" for v in df["index"]]
        return table_html(df, caption=f"SIPAS overall index (intervals: {self.ci}, level {self.level})")

    def __repr__(self) -> str:
        return f"<SipasResult: {len(self.overall())} units>\n{self.overall().to_string(index=False)}"

    def plot(self, unit: Optional[str] = None, ax: Any = None, **kwargs: Any) -> Any:
        """Elements' indices with interval bars (the range of the items' intervals); needs
        matplotlib (``pip install par-index[plot]``)."""
        from ._plot import elements_chart

        return elements_chart(self.element_intervals(), ax=ax, unit=unit, **kwargs)


def sipas(
    responses: Any,
    design: Any,
    unit: str = "unit",
    weight: Optional[str] = None,
    ci: Optional[str] = "wilson",
    level: float = 0.95,
    group: Optional[str] = None,
) -> SipasResult:
    """Aggregates survey responses into SIPAS indices.

    ``responses``: a pandas or polars DataFrame (one row per respondent, a unit column and one
    column per item; integer, nullable integer or float; NaN/None/NA = no answer), a CSV path
    (see :meth:`Aggregator.add`), or a list of dicts. ``design``: a :class:`SurveyDesign` or a list of item columns.
    ``weight`` names a column of design weights; ``ci`` is one of :data:`CI_METHODS` or None."""
    agg = Aggregator(design, weighted=weight is not None)
    agg.add(responses, unit=unit, group=group, weight=weight)
    return agg.finish(ci=ci, level=level)


def proportion_ci(successes: float, n: float, method: str = "wilson", level: float = 0.95) -> "tuple[float, float]":
    """A confidence interval ``(low, high)`` for the share ``successes / n``."""
    return _native.proportion_ci(successes, n, method, level)
