"""Contacts import throughput: a generated LinkedIn Connections.csv of N rows into an empty home, timed whole
(`kith import` in a subprocess, as a user runs it). Prints rows per second, median of runs."""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PREAMBLE = ('Notes:\n"When exporting your connection data, you may notice that some of the email addresses are '
            'missing."\n\n')


def write_connections(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        handle.write(PREAMBLE)
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"])
        for n in range(rows):
            writer.writerow([f"Person{n}", f"Surname{n % 997}", f"https://www.linkedin.com/in/person-{n}",
                             f"p{n}@example.org" if n % 10 == 0 else "", f"Company {n % 311}", "Operations lead",
                             f"{1 + n % 28:02d} Oct 2026"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    rates = []
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "Connections.csv"
        write_connections(source, args.rows)
        for run in range(args.runs):
            home = Path(tmp) / f"home{run}"
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "app.cli", "import", str(source), "--json"], check=True,
                           capture_output=True, env=dict(os.environ, KITH_HOME=str(home)))
            rates.append(args.rows / (time.perf_counter() - start))
    print(f"contacts import, {args.rows} LinkedIn connections, whole command: "
          f"median {statistics.median(rates):,.0f} rows/s (runs: {', '.join(f'{r:,.0f}' for r in rates)})")


if __name__ == "__main__":
    main()
