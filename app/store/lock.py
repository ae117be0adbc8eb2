"""One owner per store: an exclusive lock, and the name of whoever holds it."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from filelock import FileLock, Timeout

from app.errors import StoreBusy
from app.store.files import write_atomic


class StoreLock:
    """An exclusive lock on a Kith home, held by one process at a time, until release()."""

    def __init__(self, home: Path, timeout: float):
        self.home = home
        self.timeout = timeout
        self._lock = FileLock(home / "kith.lock", mode=0o600, thread_local=False)
        self._owner = home / "kith.owner"

    def acquire(self) -> None:
        """Take the store, waiting up to timeout seconds; StoreBusy names the holder."""
        if self._lock.is_locked:
            return
        try:
            self._lock.acquire(timeout=self.timeout)
        except Timeout:
            raise StoreBusy(f"the store {self.home} is in use by {self.holder()}; "
                            "close it or try again in a moment") from None
        owner = {"pid": os.getpid(), "command": " ".join(["kith", *sys.argv[1:]])[:120]}
        write_atomic(self._owner, json.dumps(owner).encode())

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release(force=True)

    def holder(self) -> str:
        """Who holds the store, as well as the owner file tells."""
        try:
            owner = json.loads(self._owner.read_text())
            return f"another Kith process (pid {owner['pid']}, `{owner['command']}`)"
        except (OSError, ValueError, KeyError):
            return "another Kith process"
