"""Data that ships with the library: methodologies, tier schemes, example assessments, the
published 2023 ministry table and survey designs."""

from __future__ import annotations

from typing import Any, List

from . import _native
from .scoring import Methodology

__all__ = ["names", "methodology", "assessments", "tier_scheme_names", "par2023_ministries_table",
           "par2023_ministries_csv", "survey_design", "survey_design_names"]


def names() -> List[str]:
    """Names of the methodologies that ship with the library."""
    return list(_native.preset_names())


def methodology(name: str) -> Methodology:
    """A methodology that ships with the library (see :func:`names`)."""
    return Methodology(_native.preset_methodology(name))


def assessments(name: str) -> "_native.Assessments":
    """The example or published assessments of a preset methodology."""
    return _native.preset_assessments(name)


def tier_scheme_names() -> List[str]:
    """Names of the tier schemes that ship with the library."""
    return list(_native.preset_tier_scheme_names())


def par2023_ministries_table(exact: bool = False) -> Any:
    """The published PAR Index 2023 table of ministries (rank, unit_vi, unit_en, appraisal,
    survey, total, index) as a DataFrame."""
    import decimal

    import pandas as pd

    t = _native.preset_par2023_ministries_table()
    for c in ("appraisal", "survey", "total", "index"):
        t[c] = [decimal.Decimal(v) if exact else float(v) for v in t[c]]
    return pd.DataFrame(t)


def par2023_ministries_csv() -> str:
    """The raw CSV text of the published 2023 ministry table."""
    return _native.preset_par2023_ministries_csv()


def survey_design_names() -> List[str]:
    """Names of the survey designs that ship with the library."""
    from .survey import _design_preset_names

    return _design_preset_names()


def survey_design(name: str) -> Any:
    """A survey design that ships with the library (see :func:`survey_design_names`)."""
    from .survey import SurveyDesign

    return SurveyDesign.preset(name)
