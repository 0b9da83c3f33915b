#!/usr/bin/env python3
"""Validates the shipped data and the conformance inputs against the committed JSON Schemas, so
the schemas editors use stay true to what the library reads."""
import json
import sys
from pathlib import Path

import jsonschema

root = Path(__file__).resolve().parents[1]
checked = failed = 0


def check(schema_name, instance, where, should_pass=True):
    global checked, failed
    schema = json.loads((root / "docs" / "schema" / schema_name).read_text(encoding="utf-8"))
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(instance))
    checked += 1
    if should_pass and errors:
        failed += 1
        print(f"FAIL {where}: {errors[0].message} at {list(errors[0].absolute_path)}")


for f in sorted((root / "core" / "data" / "methodologies").glob("*.json")):
    check("methodology.schema.json", json.loads(f.read_text(encoding="utf-8")), str(f.relative_to(root)))
survey_schema = root / "docs" / "schema" / "survey-design.schema.json"
if survey_schema.exists():
    for f in sorted((root / "core" / "data" / "survey-designs").glob("*.json")):
        check("survey-design.schema.json", json.loads(f.read_text(encoding="utf-8")), str(f.relative_to(root)))
for f in sorted((root / "conformance" / "cases").glob("*.json")):
    case = json.loads(f.read_text(encoding="utf-8"))
    m = case["input"].get("methodology")
    if isinstance(m, dict) and "expected" in case:
        check("methodology.schema.json", m, f"{f.name}: input.methodology")
print(f"schemas: {checked - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
