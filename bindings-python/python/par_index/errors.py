"""The exceptions of par_index: one base class, one subclass per concern.

Every exception carries ``code`` (a stable snake_case name, the same in Rust, Python and
JavaScript) and ``path`` (where the problem is: a node such as ``criteria[2].children[0].max_points``,
a row such as ``row 17, column value``, or a field). The native module raises them from one place.
"""

from __future__ import annotations

__all__ = [
    "ParIndexError",
    "MethodologyError",
    "InputError",
    "DecimalOverflowError",
    "SurveyError",
    "InternalError",
]


class ParIndexError(ValueError):
    """Base class of every error raised by par_index."""

    #: The concern: "methodology", "input", "arithmetic", "survey" or "internal".
    kind: str = "par_index"

    def __init__(self, message: str, code: str = "error", path: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.path = path

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (type(self), (self.message, self.code, self.path))


class MethodologyError(ParIndexError):
    """The methodology is not usable (malformed JSON, inconsistent tree or tiers)."""

    kind = "methodology"


class InputError(ParIndexError):
    """The assessment input is not usable (unknown code, bad value, bad CSV row)."""

    kind = "input"


class DecimalOverflowError(ParIndexError, ArithmeticError):
    """Exact decimal arithmetic would leave the range of a decimal (about 7.9e28)."""

    kind = "arithmetic"


class SurveyError(ParIndexError):
    """A survey design, responses or aggregation option is not usable."""

    kind = "survey"


class InternalError(ParIndexError):
    """A bug inside par_index (a caught panic); please report it."""

    kind = "internal"
