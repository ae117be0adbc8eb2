"""Apps for Pilot tests: the real model once per session, a fresh store per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.config import Settings
from app.core.notebook import Notebook
from app.store.embedder import Embedder
from app.tui.app import make_app
from tests.conftest import DEMO


@pytest.fixture(scope="session")
def real_embedder() -> Embedder:
    embedder = Embedder()
    embedder.load()
    return embedder


def _builder(home: Path, embedder: Embedder):
    """Build the app on a home (the same one across calls: a restart), with the real model."""

    def build(**kwargs):
        return make_app(Notebook(Settings(home=home), embedder), **kwargs)

    build.home = home
    return build


@pytest.fixture
def make(tmp_path, real_embedder):
    return _builder(tmp_path / "home", real_embedder)


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory, real_embedder) -> Path:
    """A home with the demo notes imported, once per session (tests work on copies)."""
    home = tmp_path_factory.mktemp("demo") / "home"
    notebook = Notebook(Settings(home=home), real_embedder)
    notebook.import_file(DEMO)
    notebook.close()
    return home


@pytest.fixture
def make_on_demo(tmp_path, real_embedder, demo_home):
    """make, on a copy of the demo notes' home."""
    shutil.copytree(demo_home, tmp_path / "home")
    return _builder(tmp_path / "home", real_embedder)
