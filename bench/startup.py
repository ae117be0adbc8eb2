"""How fast the app's first screen is drawn and takes typing, on a store of 10,000 notes.

Runs `kith` in a tmux pane (120x40), as a person would, and times launch → the capture screen's
placeholder on screen, cold processes, median of 5; beside it a bare Textual app
(header, text area, footer) for reference.

    python bench/startup.py
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RUNS = 5
BARE = textwrap.dedent("""
    from textual.app import App
    from textual.widgets import Footer, Header, TextArea
    class Bare(App):
        TITLE = "Bare"
        def compose(self):
            yield Header()
            yield TextArea(placeholder="Who did you talk to?")
            yield Footer()
    Bare().run()
""")


def build_store(home: Path, notes: int = 10_000) -> None:
    """10,000 notes over 500 contacts, each with a few understood items (no model: vectors are random)."""
    import numpy as np

    from app.store.db import Database
    from models import Item, Kind

    db = Database(home / "kith.db")
    rng = np.random.default_rng(1)
    kinds = list(Kind)
    with db.transaction():
        for n in range(notes):
            contact = db.ensure_contact(f"Person {n % 500:03d} Example")
            note = db.insert_note(contact, dt.date(2026, 1, 1) + dt.timedelta(days=n % 300),
                                  f"Note {n}: they keep struggling with hiring. Send the deck next week.", [],
                                  f"bench-{n}")
            for position in range(3):
                vector = rng.normal(size=384).astype("float32")
                db.insert_item(note, contact, Item(kind=kinds[(n + position) % 5], text=f"sentence {position}",
                                                   position=position), vector / np.linalg.norm(vector))
    db.close()


def time_to_screen(argv: list[str], env: dict[str, str], marker: str) -> float:
    """Seconds from launching argv in a fresh tmux pane until marker is on the screen."""
    session = f"kith-bench-{os.getpid()}"
    command = " ".join(f"{k}={v!r}" for k, v in env.items() if k.startswith("KITH_")) + " " + " ".join(
        repr(a) for a in argv)
    start = time.perf_counter()
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "40", command], check=True)
    elapsed = float("nan")
    try:
        while time.perf_counter() - start < 30:
            screen = subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True,
                                    text=True).stdout
            if marker in screen:
                elapsed = time.perf_counter() - start
                break
            time.sleep(0.01)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    return elapsed


def main() -> None:
    home = Path(tempfile.mkdtemp(prefix="kith-startup-"))
    build_store(home)
    env = dict(os.environ, KITH_HOME=str(home))
    kith = [sys.executable, "-m", "app.cli"]
    # Bytecode as after a user's first run (this machine sets PYTHONDONTWRITEBYTECODE=1).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "app"), str(ROOT / "models")], check=True)
    subprocess.run([*kith, "contacts"], env=env, capture_output=True, cwd=ROOT)  # warm the disk cache
    keepalive = f"kith-bench-keepalive-{os.getpid()}"  # a tmux server that stays up between runs
    subprocess.run(["tmux", "new-session", "-d", "-s", keepalive, "sleep 600"], check=True)
    kith_times = [time_to_screen(kith, env, "Who did you talk to?") for _ in range(RUNS)]
    bare = Path(home) / "bare.py"
    bare.write_text(BARE)
    bare_times = [time_to_screen([sys.executable, str(bare)], env, "Who did you talk to?") for _ in range(RUNS)]
    subprocess.run(["tmux", "kill-session", "-t", keepalive], capture_output=True)
    shutil.rmtree(home)
    k, b = statistics.median(kith_times), statistics.median(bare_times)
    print(f"kith first screen   {k:.3f} s (median of {RUNS}, 10,000 notes)  runs: "
          + " ".join(f"{t:.3f}" for t in kith_times))
    print(f"bare textual app    {b:.3f} s (median of {RUNS})  ratio {k / b:.2f}")


if __name__ == "__main__":
    main()
