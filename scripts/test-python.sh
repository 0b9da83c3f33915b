#!/usr/bin/env bash
# Python: builds the wheel with maturin into a virtual environment, installs it, checks the
# stubs (mypy.stubtest), runs pytest (API, errors, conformance, README blocks), then executes the
# example script and notebook. Idempotent; safe on a fresh machine; exits non-zero on failure.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="${PAR_INDEX_VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"

echo "== python: virtual environment at $VENV"
if [ ! -x "$PY" ]; then
  python3 -m venv "$VENV" || {
    apt-get update -q >/dev/null && apt-get install -y -q python3-venv >/dev/null && python3 -m venv "$VENV"
  }
fi
"$PY" -m pip install --quiet --upgrade pip
"$PY" -m pip install --quiet "maturin>=1.9,<2" "pandas>=1.5" numpy pytest mypy hypothesis nbclient nbformat \
  ipykernel matplotlib "dask[distributed]" polars pyarrow

echo "== python: build the wheel (maturin, release)"
rm -rf bindings-python/dist
export PYO3_PYTHON="$PY"
(cd bindings-python && "$VENV/bin/maturin" build --release --quiet -i "$PY" -o dist)
WHEEL="$(ls bindings-python/dist/par_index-*.whl | head -n1)"
"$PY" -m pip install --quiet --force-reinstall --no-deps "$WHEEL"

# Everything below runs from a folder outside the source tree, so the installed wheel is tested.
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
"$PY" -c "import par_index, sys; assert 'site-packages' in par_index.__file__, par_index.__file__; print('testing', par_index.__file__)"

echo "== python: stubs (mypy.stubtest) and types (mypy)"
"$PY" -m mypy.stubtest par_index --mypy-config-file "$ROOT/bindings-python/mypy.ini"
"$PY" -m mypy -p par_index --config-file "$ROOT/bindings-python/mypy.ini"

echo "== python: pytest"
PAR_INDEX_REPO="$ROOT" "$PY" -m pytest -p no:cacheprovider "$ROOT/bindings-python/tests" -q -rs

echo "== python: example script"
MPLBACKEND=Agg "$PY" "$ROOT/examples/python/par2023.py" > "$WORK/script.out"
tail -n 5 "$WORK/script.out"

echo "== python: Dask example (partitioned aggregation, merged states)"
"$PY" "$ROOT/examples/python/sipas_dask.py" | tail -n 1

echo "== python: benchmark smoke run (DataFrame path vs the core's CSV path; full run: 1,000,000 rows)"
"$PY" "$ROOT/benches/python_bench.py" 20000 1

echo "== python: example notebook"
MPLBACKEND=Agg "$PY" - "$ROOT/examples/python/par2023.ipynb" <<'PYEOF'
import sys
import nbformat
from nbclient import NotebookClient

path = sys.argv[1]
nb = nbformat.read(path, as_version=4)
NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(__import__("pathlib").Path(path).parent)}}).execute()
cells = sum(1 for c in nb.cells if c.cell_type == "code")
print(f"notebook: {cells} code cells executed without error")
PYEOF
echo "== python: all checks passed"
