"""kill -9 of the real app while typing: the draft comes back at the next start (tmux, real SIGKILL)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux to drive a real terminal")


def screen(session: str) -> str:
    return subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout


def wait_for(session: str, text: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        shown = screen(session)
        if text in shown:
            return shown
        time.sleep(0.1)
    raise AssertionError(f"{text!r} never appeared:\n{screen(session)}")


def start(session: str, home) -> int:
    command = f"cd {ROOT} && KITH_HOME={home} exec {sys.executable} -m app.cli"
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "40", command], check=True)
    pid = subprocess.run(["tmux", "list-panes", "-t", session, "-F", "#{pane_pid}"], capture_output=True,
                         text=True, check=True).stdout.strip()
    return int(pid)


def test_typing_survives_sigkill(tmp_path):
    home = tmp_path / "home"
    session = f"kith-crash-{os.getpid()}"
    try:
        pid = start(session, home)
        wait_for(session, "Who did you talk to?")
        subprocess.run(["tmux", "send-keys", "-t", session, "-l", "Lena Ortiz"], check=True)
        subprocess.run(["tmux", "send-keys", "-t", session, "Enter"], check=True)  # on to the note
        time.sleep(0.3)
        typed = "Her warehouse keeps shipping the wrong parts"
        subprocess.run(["tmux", "send-keys", "-t", session, "-l", typed], check=True)
        time.sleep(2.2)  # at most two seconds of typing may be lost: everything older must be on disk
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.3)
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
        draft = json.loads((home / "draft.json").read_text())
        assert typed in draft["text"] or draft["contact"] == "Lena Ortiz" and typed in draft["text"]

        start(session, home)
        wait_for(session, "Recover your unsaved note?")
        shown = wait_for(session, "Her warehouse keeps shipping")
        assert "Lena Ortiz" in shown
        subprocess.run(["tmux", "send-keys", "-t", session, "Enter"], check=True)
        deadline = time.monotonic() + 20
        while "Recover your unsaved note?" in screen(session) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "Her warehouse keeps" in wait_for(session, "Her warehouse keeps")  # in the editor, the modal gone
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
