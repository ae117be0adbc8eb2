"""Settings, from the environment (prefix KITH_) or the command line.

A plain pydantic model read from the environment by hand: pydantic-settings would
cost ~50 ms on every start, a tenth of the app's start-up budget.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
from pydantic import BaseModel, ConfigDict, Field

ENV_PREFIX = "KITH_"

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
"""Shipped data: the demo network, the labelled sentences, the classifier."""


def default_home() -> Path:
    """The platform's user data directory for Kith."""
    return Path(platformdirs.user_data_dir("kith", appauthor=False))


class Settings(BaseModel):
    """Kith's settings. Each can be set as KITH_<NAME> in the environment."""

    model_config = ConfigDict(extra="ignore")

    home: Path = Field(default_factory=default_home)
    """The whole store: SQLite database, vector index, drafts, lock."""

    model: str | None = None
    """A sentence-transformers model name or folder; default: the shipped all-MiniLM-L6-v2."""

    chroma_url: str | None = None
    """A Chroma server (`chroma run`) for teams; default: the embedded index in the home."""

    chroma_token: str | None = None
    """The token for the Chroma server."""

    lock_timeout: float = 5.0
    """Seconds to wait for another Kith process to release the store."""

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Settings from KITH_<NAME> variables (empty ones are ignored)."""
        environ = dict(os.environ) if environ is None else environ
        values = {name: environ[ENV_PREFIX + name.upper()] for name in cls.model_fields
                  if environ.get(ENV_PREFIX + name.upper(), "").strip()}
        return cls.model_validate(values)
