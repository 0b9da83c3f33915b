"""Runs every ```python block of the README files (the Python section and the top README)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO

FILES = [REPO / "bindings-python" / "README.md", REPO / "README.md"]
BLOCKS = [
    (f"{f.relative_to(REPO)}:{i}", code)
    for f in FILES
    if f.exists()
    for i, code in enumerate(re.findall(r"```python\n(.*?)```", f.read_text(encoding="utf-8"), re.S))
]


def test_readme_has_python_blocks() -> None:
    assert any(name.startswith("bindings-python") for name, _ in BLOCKS)


@pytest.mark.parametrize("code", [c for _, c in BLOCKS], ids=[n for n, _ in BLOCKS])
def test_readme_block(code: str) -> None:
    exec(compile(code, "<README>", "exec"), {"__name__": "__readme__"})
