"""Shared fixtures: the repository root, the source texts, and the loaded dataset."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from termgraph import loader
from termgraph.paths import default_seeds
from termgraph.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def seeds() -> Path:
    path = Path(os.environ.get("TERMGRAPH_SEEDS", default_seeds(ROOT)))
    assert path.is_dir(), f"the source texts are missing: {path} (set TERMGRAPH_SEEDS)"
    return path


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(root=ROOT)


@pytest.fixture(scope="session")
def data(settings):
    return loader.load(settings)
