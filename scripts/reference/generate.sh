#!/bin/sh
# Regenerate the survey conformance cases. Needs: a Python with statsmodels (e.g. the venv
# /tmp/refvenv: python -m venv /tmp/refvenv && /tmp/refvenv/bin/pip install statsmodels scipy pandas)
# and R with the survey and jsonlite packages (Debian: r-base-core r-cran-survey).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cases="$here/../../conformance/cases"
py=${PYTHON:-/tmp/refvenv/bin/python}
work=$(mktemp -d)
"$py" "$here/ci_cases.py" "$cases"
"$py" "$here/sipas_cases.py" prepare "$work"
Rscript "$here/sipas_reference.R" "$work"
"$py" "$here/sipas_cases.py" assemble "$work" "$cases"
rm -rf "$work"
