"""Settings, from the environment (prefix KITH_) or the command line."""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
"""Shipped data: the demo network, the labelled sentences, the classifier."""


def default_home() -> Path:
    """The platform's user data directory for Kith."""
    return Path(platformdirs.user_data_dir("kith", appauthor=False))


class Settings(BaseSettings):
    """Kith's settings. Each can be set as KITH_<NAME> in the environment."""

    model_config = SettingsConfigDict(env_prefix="KITH_", extra="ignore")

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
