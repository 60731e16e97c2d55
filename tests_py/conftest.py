"""Shared pytest fixtures of tests_py/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The checkout the tests run from."""
    return ROOT


@pytest.fixture
def clean_env() -> dict[str, str]:
    """The environment for child processes that must not see the project .venv (or any active env)."""
    env = dict(os.environ)
    venv_bin = str(ROOT / ".venv" / "bin")
    for name in ("VIRTUAL_ENV", "NNMOTIFS_PYTHON", "PYTHONHOME", "PYTHONPATH", "JUPYTER_PATH", "JUPYTER_DATA_DIR"):
        env.pop(name, None)
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p and p != venv_bin)
    return env
