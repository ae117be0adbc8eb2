"""Apps for Pilot tests: the real model once per session, a fresh store per test."""

from __future__ import annotations

import pytest

from app.config import Settings
from app.core.notebook import Notebook
from app.store.embedder import Embedder
from app.tui.app import make_app


@pytest.fixture(scope="session")
def real_embedder() -> Embedder:
    embedder = Embedder()
    embedder.load()
    return embedder


@pytest.fixture
def make(tmp_path, real_embedder):
    """Build the app on a home (the same one across calls: a restart), with the real model."""
    home = tmp_path / "home"

    def build(**kwargs):
        return make_app(Notebook(Settings(home=home), real_embedder), **kwargs)

    build.home = home
    return build
