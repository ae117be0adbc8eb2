"""Work run in a thread beside the caller's: SQLite, ONNX Runtime and numpy release the GIL, so on two
cores the two overlap.

A plain thread rather than concurrent.futures, which costs ~40 ms to import: cold `kith search` and
`kith add` would pay it before their first result.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Beside(Generic[T]):
    """Starts work(*args) at once in a thread; result() waits for it and returns its value or raises its error.

    Used as a context manager, the block does not end before the work has (even when the block raises): what
    the work reads, a database connection say, is not closed under it.
    """

    def __init__(self, work: Callable[..., T], *args: object, name: str = "kith-beside"):
        self._value: T | None = None
        self._error: BaseException | None = None

        def run() -> None:
            try:
                self._value = work(*args)
            except BaseException as e:  # handed to the caller by result()
                self._error = e

        self._thread = threading.Thread(target=run, name=name, daemon=True)
        self._thread.start()

    def result(self) -> T:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]

    def __enter__(self) -> Beside[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self._thread.join()
