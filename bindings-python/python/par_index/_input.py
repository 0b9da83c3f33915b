"""Conversion of analysts' inputs (DataFrames, CSV paths, dicts, records) to native objects.

Nothing here scores or checks values: every rule is applied by the core, which reports the
record or row at fault.
"""

from __future__ import annotations

import decimal
import json
import math
import os
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

from . import _native
from .errors import InputError

PathLike = Union[str, "os.PathLike[str]"]


def _looks_like_path(text: str) -> bool:
    """A string is a path when it names an existing file, or ends in .json and is one line."""
    t = text.strip()
    if t.startswith(("{", "[")) or "\n" in t:
        return False
    return os.path.isfile(t) or t.lower().endswith(".json")


def read_text_or_path(source: Any, what: str) -> str:
    """JSON text from a dict, JSON text itself, or a path to a JSON file."""
    if isinstance(source, Mapping):
        return json.dumps(source)
    if isinstance(source, bytes):
        return source.decode("utf-8")
    if isinstance(source, str) and not _looks_like_path(source):
        return source
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        try:
            return path.read_text(encoding="utf-8-sig")
        except OSError as e:
            raise InputError(f"{path}: cannot read the {what}: {e}", "io", str(path)) from None
    raise InputError(
        f"a {what} is given as JSON text, a dict or a path, not {type(source).__name__}", "input_type", what
    )


def value_text(v: Any) -> str:
    """A cell as the core's value text: numbers, yes/no, NA; empty for no value."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, decimal.Decimal):
        return "" if v.is_nan() else format(v, "f")
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        v = float(v)
        if math.isnan(v):
            return ""
        if math.isinf(v):
            return "inf"
        if v.is_integer() and abs(v) < 1e16:
            return str(int(v))
        return format(decimal.Decimal(repr(v)), "f")
    try:  # numpy scalars, pandas NA
        import pandas as pd

        if v is pd.NA or v is pd.NaT:
            return ""
    except ImportError:  # pragma: no cover
        pass
    if hasattr(v, "item"):
        return value_text(v.item())
    return str(v)


def _cell(v: Any) -> Optional[str]:
    t = value_text(v)
    return t if t != "" else None


def columns_of(frame: Any) -> Optional[Dict[str, List[Any]]]:
    """A pandas or polars DataFrame (or any DataFrame-like) as a dict of column lists."""
    mod = type(frame).__module__
    if mod.startswith("pandas") and hasattr(frame, "columns") and hasattr(frame, "to_dict"):
        return {str(c): frame[c].tolist() for c in frame.columns}
    if mod.startswith("polars") and hasattr(frame, "to_dict"):
        return {str(k): list(v) for k, v in frame.to_dict(as_series=False).items()}
    if hasattr(frame, "__dataframe__") and hasattr(frame, "columns"):  # other frames
        import pandas as pd

        return columns_of(pd.api.interchange.from_dataframe(frame))
    return None


def records_of(table: Any) -> List[Dict[str, Any]]:
    """Rows of a list of dicts or of a data frame (pandas, polars) as dicts."""
    cols = columns_of(table)
    if cols is None:
        return list(table)
    keys = list(cols)
    return [dict(zip(keys, row)) for row in zip(*cols.values())]


def _from_columns(
    cols: Dict[str, List[Any]], unit: str, group: str, layout: str, ignore: Sequence[str]
) -> "_native.Assessments":
    if unit not in cols:
        raise InputError(f"no {unit!r} column (pass unit= to name the column of unit ids)", "csv", "columns")
    n = len(cols[unit])
    long = layout == "long" or (layout == "auto" and "code" in cols and "value" in cols)
    units = [value_text(u) for u in cols[unit]]
    groups: List[Optional[str]] = [_cell(g) for g in cols[group]] if group in cols else [None] * n
    if long:
        for extra in cols:
            if extra not in (unit, group, "code", "value") and extra not in ignore:
                raise InputError(
                    "unknown column in long layout (list it in ignore= to skip it)", "csv", f"column {extra}"
                )
        codes = [value_text(c) for c in cols["code"]]
        values = [value_text(v) for v in cols["value"]]
        return _native.Assessments.from_records(units, groups, codes, values)
    skip = {unit, group, "label_vi", "label_en", *ignore}
    codes_wide = [c for c in cols if c not in skip]
    r_units: List[str] = []
    r_groups: List[Optional[str]] = []
    r_codes: List[str] = []
    r_values: List[str] = []
    for i in range(n):
        for c in codes_wide:
            r_units.append(units[i])
            r_groups.append(groups[i])
            r_codes.append(c)
            r_values.append(value_text(cols[c][i]))
        if not codes_wide:
            r_units.append(units[i])
            r_groups.append(groups[i])
            r_codes.append("")
            r_values.append("")
    return _native.Assessments.from_records(r_units, r_groups, r_codes, r_values)


def to_assessments(
    data: Any,
    *,
    unit: str = "unit",
    group: str = "group",
    layout: str = "auto",
    ignore: Sequence[str] = (),
    delimiter: str = ",",
) -> "_native.Assessments":
    """Any supported assessment input as native assessments."""
    if isinstance(data, _native.Assessments):
        return data
    inner = getattr(data, "_inner", None)
    if isinstance(inner, _native.Assessments):
        return inner
    cols = columns_of(data)
    if cols is not None:
        return _from_columns(cols, unit, group, layout, ignore)
    if isinstance(data, Mapping):
        if "units" in data:
            return _native.Assessments.from_json(json.dumps(data, default=json_default))
        # a dict of columns
        return _from_columns({str(k): list(v) for k, v in data.items()}, unit, group, layout, ignore)
    if isinstance(data, (list, tuple)):
        rows = list(data)
        if rows and all(isinstance(r, Mapping) and "values" in r for r in rows):
            return _native.Assessments.from_json(json.dumps({"units": rows}, default=json_default))
        if not all(isinstance(r, Mapping) for r in rows):
            raise InputError("a list of assessments must hold dicts", "input_type", "records")
        keys: List[str] = []
        for r in rows:
            for k in r:
                if k not in keys:
                    keys.append(str(k))
        cols = {k: [r.get(k) for r in rows] for k in keys}
        if not rows:
            cols = {unit: [], "code": [], "value": []}
        return _from_columns(cols, unit, group, layout, ignore)
    if isinstance(data, bytes):
        data = data.decode("utf-8")
    if isinstance(data, str) and data.lstrip().startswith("{"):
        return _native.Assessments.from_json(data)
    if isinstance(data, str) and "\n" in data:
        return _native.Assessments.from_csv_text(data, layout, unit, group, list(ignore), delimiter)
    if isinstance(data, (str, os.PathLike)):
        path = Path(data)
        if path.suffix.lower() == ".json":
            return _native.Assessments.from_json(read_text_or_path(path, "assessments file"))
        return _native.Assessments.from_csv_path(str(path), layout, unit, group, list(ignore), delimiter)
    raise InputError(
        "assessments are a DataFrame, a CSV or JSON path, CSV text, a list of dicts or the JSON dict form,"
        f" not {type(data).__name__}",
        "input_type",
        "assessments",
    )


def json_default(o: Any) -> Any:
    """For json.dumps: Decimals as exact text, NumPy scalars as Python numbers."""
    if isinstance(o, decimal.Decimal):
        return format(o, "f")
    if hasattr(o, "item"):
        return o.item()
    raise TypeError(f"{type(o).__name__} is not JSON serializable")
