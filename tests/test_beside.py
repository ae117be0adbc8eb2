"""Work beside the caller's thread (app.beside): its value, or its error, reaches the caller."""

from __future__ import annotations

import threading
import time

import pytest

from app.beside import Beside


def test_the_work_runs_in_another_thread_and_its_value_comes_back():
    caller = threading.get_ident()
    assert Beside(lambda a, b: (a + b, threading.get_ident() != caller), 2, 3).result() == (5, True)


def test_an_error_of_the_work_is_raised_to_the_caller_not_lost():
    def broken() -> None:
        raise ValueError("the word search failed")

    with pytest.raises(ValueError, match="the word search failed"):
        Beside(broken).result()


def test_a_block_that_raises_still_waits_for_the_work():
    release, finished = threading.Event(), threading.Event()

    def slow() -> None:
        release.wait(5)
        time.sleep(0.2)  # still working when the block raises
        finished.set()

    with pytest.raises(RuntimeError), Beside(slow):
        release.set()
        raise RuntimeError("the caller failed first")
    assert finished.is_set()
