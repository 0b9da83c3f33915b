"""par_index: score composite public-administration indices (Vietnam's PAR Index, SIPAS)
exactly, with an audit trail. A thin layer over the Rust core ``par-index``.

>>> import par_index as pi
>>> m = pi.presets.methodology("par2023-ministries")
>>> card = m.score(pi.presets.assessments("par2023-ministries"))
>>> card.to_pandas().loc[0, "unit"]
'Ministry of Justice'
"""

from __future__ import annotations

from . import analysis, presets
from ._native import __version__
from .analysis import Comparison, Gap, Profile, Uncertainty, WhatIf, signed
from .errors import (
    DecimalOverflowError,
    InputError,
    InternalError,
    MethodologyError,
    ParIndexError,
    SurveyError,
)
from .scoring import Assessments, Audit, Methodology, Scorecard, TierBand, display
from .survey import CI_METHODS, Aggregator, SipasResult, SurveyDesign, proportion_ci, sipas

__all__ = [
    "__version__",
    "presets",
    "analysis",
    "Methodology",
    "Assessments",
    "Scorecard",
    "Audit",
    "TierBand",
    "display",
    "Profile",
    "Gap",
    "WhatIf",
    "Comparison",
    "Uncertainty",
    "signed",
    "SurveyDesign",
    "Aggregator",
    "SipasResult",
    "sipas",
    "proportion_ci",
    "CI_METHODS",
    "ParIndexError",
    "MethodologyError",
    "InputError",
    "DecimalOverflowError",
    "SurveyError",
    "InternalError",
]
