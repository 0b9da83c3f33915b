"""Shared fixtures: the repository root (for conformance cases, data and examples)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(os.environ.get("PAR_INDEX_REPO") or Path(__file__).resolve().parents[2])


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO
