"""Settings, from the environment (prefix KITH_) or the command line.

A plain pydantic model read from the environment by hand: pydantic-settings would
cost ~50 ms on every start, a tenth of the app's start-up budget.

This module is on the app's start-up path, before the first screen is drawn, and imports
nothing heavy there: the app needs only `home_dir()` (where the draft is) before its first
paint and builds `Settings` in a worker. The pydantic model is defined the first time
`Settings` is asked for (`from app.config import Settings` works as usual): importing pydantic
and building the model costs ~0.1 s, a sixth of the first screen.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

ENV_PREFIX = "KITH_"

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
"""Shipped data: the demo network, the labelled sentences, the classifier."""

FIELDS = ("home", "model", "index_url", "index_token", "index_token_file", "lock_timeout")
"""The settings' names (KITH_<NAME> in the environment); a test holds them level with Settings."""


def default_home() -> Path:
    """The platform's user data directory for Kith."""
    import platformdirs  # ~10 ms; only when neither --home nor KITH_HOME says where the store is

    return Path(platformdirs.user_data_dir("kith", appauthor=False))


def env_values(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The KITH_<NAME> variables that are set, by setting name (empty ones are ignored)."""
    environ = dict(os.environ) if environ is None else environ
    return {name: environ[ENV_PREFIX + name.upper()] for name in FIELDS
            if environ.get(ENV_PREFIX + name.upper(), "").strip()}


def home_dir(home: Path | None = None, environ: dict[str, str] | None = None) -> Path:
    """The store's folder, as Settings would give it, without building Settings: --home, KITH_HOME,
    else the platform's user data directory."""
    if home is None:
        value = env_values(environ).get("home")
        home = Path(value) if value is not None else default_home()
    return Path(home).expanduser()


_defining = threading.Lock()


def _define_settings() -> type:
    from pydantic import BaseModel, ConfigDict, Field  # ~0.1 s with the model: never before the first screen

    class Settings(BaseModel):
        """Kith's settings. Each can be set as KITH_<NAME> in the environment."""

        model_config = ConfigDict(extra="ignore")

        home: Path = Field(default_factory=default_home)
        """The whole store: SQLite database, vector index, drafts."""

        model: str | None = None
        """A sentence-transformers model name or folder; default: the shipped all-MiniLM-L6-v2."""

        index_url: str | None = None
        """The index on a Chroma server behind its token-checking proxy (http(s)://host:port); default: the
        index is the database's own vectors, and nothing opens a network connection."""

        index_token: str | None = None
        """The proxy's token (sent as `Authorization: Bearer`); only from the environment, never an argument."""

        index_token_file: Path | None = None
        """A file (readable by the user alone) holding the token, instead of index_token."""

        lock_timeout: float = 30.0
        """Seconds a write waits for another Kith process's write to finish (any number of processes share a
        home: the app open all day, `kith add` from scripts)."""

        @classmethod
        def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
            """Settings from KITH_<NAME> variables (empty ones are ignored)."""
            return cls.model_validate(env_values(environ))

    Settings.__module__, Settings.__qualname__ = __name__, "Settings"
    return Settings


def __getattr__(name: str) -> Any:
    if name != "Settings":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    with _defining:  # two threads asking at once must get one class
        settings = globals().get("Settings")
        if settings is None:
            settings = globals()["Settings"] = _define_settings()
    return settings

