"""Runs the shared conformance cases (conformance/cases/*.json) through the public Python API,
checks them against `expected` / `expected_error`, and writes what was produced to
out/conformance/python/<name>.json for the byte-for-byte comparison with Rust and JavaScript."""

from __future__ import annotations

import json
import math
import re
import tempfile
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import par_index as pi
import pytest

from conftest import REPO

CASES = sorted((REPO / "conformance" / "cases").glob("*.json"))
OUT = REPO / "out" / "conformance" / "python"

#: Operations of the analysis issue, not (yet) part of the Python API.
UNSUPPORTED: set = set()


class Unsupported(Exception):
    """The case needs something the Python API does not take (e.g. a missing argument)."""


def _methodology(input: Dict[str, Any]) -> pi.Methodology:
    return pi.Methodology.from_json(input["methodology"])


def _score(input: Dict[str, Any]) -> pi.Scorecard:
    m = _methodology(input)
    if "assessments_csv" in input:
        o = input.get("csv_options") or {}
        return m.score(
            input["assessments_csv"],
            layout=o.get("layout", "auto"),
            unit=o.get("unit_column", "unit"),
            group=o.get("group_column", "group"),
            ignore=o.get("ignore_columns", ()),
            delimiter=o.get("delimiter", ","),
        )
    a = input["assessments"]
    return m.score(a if isinstance(a, str) else dict(a))


def _design(input: Dict[str, Any]) -> Any:
    return pi.SurveyDesign.from_json(input["design"]) if "design" in input else list(input["items"])


def run(operation: str, input: Dict[str, Any]) -> Any:
    if operation == "score":
        return _score(input).to_dict()
    if operation == "explain":
        return json.loads(_score(input).explain_json(input["unit"]))
    if operation == "profile":
        return _score(input).profile(input["unit"]).to_dict()
    if operation == "gap":
        return _score(input).gap(input["unit"]).to_dict()
    if operation == "what_if":
        return _score(input).what_if(input.get("changes", []), weights=input.get("weights")).to_dict()
    if operation == "compare":
        now = _score(input)
        before = _score({"methodology": input["previous_methodology"], "assessments": input["previous_assessments"]})
        return now.compare(before, input.get("mapping") or {}).to_dict()
    if operation == "uncertainty":
        spec = input["spec"]
        return _score(input).uncertainty(spec if isinstance(spec, str) else dict(spec)).to_dict()
    if operation == "validate":
        _methodology(input)
        return {"valid": True}
    if operation == "display":
        return {"display": pi.display(input["value"], input.get("places", 2), input.get("mode", "half_up"))}
    if operation == "proportion_ci":
        if "successes" not in input or "n" not in input:
            raise Unsupported("proportion_ci needs successes and n")
        low, high = pi.proportion_ci(input["successes"], input["n"], input.get("method") or "wilson",
                                     input.get("level", 0.95))
        return {"low": low, "high": high}
    if operation == "preset":
        (pi.presets.assessments if input.get("kind") == "assessments" else pi.presets.methodology)(input["name"])
        return {"valid": True}
    if operation == "sipas_csv":
        # The core's strict CSV reader: the first rejected row raises.
        options = input.get("options") or {}
        agg = pi.Aggregator(_design(input), weighted=options.get("weight_column") is not None)
        with tempfile.TemporaryDirectory() as folder:
            csv = Path(folder) / "responses.csv"
            csv.write_text(input["csv"], encoding="utf-8")
            agg.add_csv_stream(csv, unit=options.get("unit_column", "unit"), group=options.get("group_column"),
                               weight=options.get("weight_column"))
        return agg.finish(ci=options.get("ci") or "wilson", level=options.get("level", 0.95)).to_dict()
    if operation == "sipas":
        options = input.get("options") or {}
        result = pi.sipas(
            input.get("responses", []),
            _design(input),
            weight="weight" if options.get("weight") else None,
            ci=options.get("ci") or "wilson",
            level=options.get("level", 0.95),
        )
        return result.to_dict()
    raise Unsupported(f"operation {operation}")


def subset(expected: Any, actual: Any, tolerance: float, at: str) -> Optional[str]:
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"{at}: {actual!r}, expected an object"
        for k, v in expected.items():
            if k not in actual:
                return f"{at}.{k}: missing"
            why = subset(v, actual[k], tolerance, f"{at}.{k}")
            if why:
                return why
        return None
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return f"{at}: {actual!r}, expected {len(expected)} elements"
        for i, (e, a) in enumerate(zip(expected, actual)):
            why = subset(e, a, tolerance, f"{at}[{i}]")
            if why:
                return why
        return None
    num = (int, float)
    if isinstance(expected, num) and not isinstance(expected, bool) and isinstance(actual, num) \
            and not isinstance(actual, bool):
        if expected == actual or abs(float(expected) - float(actual)) <= tolerance:
            return None
        return f"{at}: {actual}, expected {expected} (tolerance {tolerance})"
    return None if expected == actual else f"{at}: {actual!r}, expected {expected!r}"


def run_case(path: Path) -> Tuple[str, Optional[str]]:
    """Returns (verdict, reason): verdict is passed, failed or skipped."""
    case = json.loads(path.read_text(encoding="utf-8"))
    name = case["name"]
    assert name == path.stem, "case name must equal its file name"
    op = case["operation"]
    if op in UNSUPPORTED:
        return "skipped", f"operation {op} is not in the Python API"
    tolerance = float(case.get("tolerance", 0.0))
    try:
        produced: Any = run(op, case["input"])
        error: Optional[pi.ParIndexError] = None
    except Unsupported as e:
        return "skipped", str(e)
    except pi.ParIndexError as e:
        error = e
        produced = {"error": {"code": e.code, "path": e.path}}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{name}.json").write_text(json.dumps(produced, indent=2, ensure_ascii=False), encoding="utf-8")
    if "expected" in case:
        if error is not None:
            return "failed", f"failed with {error.code} at {error.path}: {error}"
        return ("failed", why) if (why := subset(case["expected"], produced, tolerance, "output")) else ("passed", None)
    if "expected_error" in case:
        if error is None:
            return "failed", "succeeded, expected an error"
        why = subset(case["expected_error"], produced["error"], 0.0, "error")
        return ("failed", why) if why else ("passed", None)
    return "failed", "case has neither expected nor expected_error"


RESULTS: List[Tuple[str, str, Optional[str]]] = []


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case(path: Path) -> None:
    verdict, why = run_case(path)
    RESULTS.append((path.stem, verdict, why))
    if verdict == "skipped":
        pytest.skip(why)
    assert verdict == "passed", why


def test_conformance_summary(capsys: pytest.CaptureFixture[str]) -> None:
    """Prints the conformance tally (runs after the cases, pytest keeps file order)."""
    assert CASES, "no conformance cases found"
    passed = sum(1 for _, v, _ in RESULTS if v == "passed")
    failed = sum(1 for _, v, _ in RESULTS if v == "failed")
    skipped = sum(1 for _, v, _ in RESULTS if v == "skipped")
    with capsys.disabled():
        print(f"\npython-conformance: {passed} passed, {failed} failed, {skipped} skipped")
    assert passed > 0


#: Codes of docs/errors.md that no conformance case raises in Python, each tested directly by the
#: file named (which must mention the code). Keep it short: a code belongs here only when no
#: shared operation can raise it in Python.
DIRECT = {
    # Merging aggregation states: no conformance operation merges (JavaScript has no merge).
    "design_mismatch": "test_survey.py",
    # A panic inside the native module: the core panics on no input; a private hook panics.
    "internal": "test_errors.py",
    # Only the native module raises it; ci-error-missing-n is skipped (the Python API requires n).
    "invalid_input": "test_errors.py",
}


def uncovered(catalogue: str, covered: set, direct: Dict[str, str], binding: str) -> List[str]:
    """Codes of the error catalogue (rows starting with "| `code`") that are neither the code of a
    passing error case (`covered`), nor in `direct`, nor documented in a row of theirs as
    "`binding`: cannot occur"."""
    exempt: Dict[str, bool] = {}
    for line in catalogue.splitlines():
        m = re.match(r"\| `([^`]*)`", line)
        if m:
            exempt[m.group(1)] = exempt.get(m.group(1), False) or f"{binding}: cannot occur" in line
    return sorted(c for c, x in exempt.items() if not x and c not in covered and c not in direct)


def test_every_catalogued_error_code_is_tested() -> None:
    catalogue = (REPO / "docs" / "errors.md").read_text(encoding="utf-8")
    covered = set()
    for path in CASES:
        code = json.loads(path.read_text(encoding="utf-8")).get("expected_error", {}).get("code")
        if code and run_case(path)[0] == "passed":
            covered.add(code)
    for code, file in DIRECT.items():
        assert f"| `{code}` |" in catalogue, f"{code} is not in docs/errors.md"
        assert f'"{code}"' in (Path(__file__).parent / file).read_text(encoding="utf-8"), f"{file} does not test {code}"
    missing = uncovered(catalogue, covered, DIRECT, "Python")
    assert not missing, f"error codes with no conformance case and no direct Python test: {missing}"
    # The check itself can fail: an uncovered code is named.
    sample = "| `zz_new` | a |\n| `csv` | b |\n| `panic` | Python: cannot occur |\n"
    assert uncovered(sample, {"csv"}, {}, "Python") == ["zz_new"]
