"""Search on a Chroma server through the token-checking proxy, beside the embedded index, on one store.

    python bench/server_search.py                 # 10,000 items (the store is built once, cached)
    python bench/server_search.py --items 2000

The store is bench/scale.py's (the demo and jittered copies of its items). A Chroma server (`chroma
run` of the pinned chromadb) and Caddy with deploy/Caddyfile are started on loopback ports for the
run and stopped at its end. Figures: sending every item to the server (`kith reindex`'s work), the
in-process search latency (the same queries, warm) on each index and their ratio, and cold `kith
search` on each (a new process: the server's costs chromadb's import and connection).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from scale import QUERIES, build, percentile  # noqa: E402

from app.config import Settings  # noqa: E402
from app.core.search import search  # noqa: E402
from app.store.embedder import Embedder  # noqa: E402
from app.store.store import Store  # noqa: E402
from tests.support.index_server import IndexServer  # noqa: E402

ROUNDS = 4


def latencies(embedded: Store, on_server: Store) -> tuple[list[float], list[float]]:
    """Each query on one index then the other, in turn (the server's background compaction, a drift of the
    machine's speed, hit both alike)."""
    search(embedded, "warm up")
    search(on_server, "warm up")
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(ROUNDS):
        for query in QUERIES:
            for store, kept in zip((embedded, on_server), times, strict=True):
                start = time.perf_counter()
                search(store, query)
                kept.append(time.perf_counter() - start)
    return times


def cold(home: Path, server: IndexServer, runs: int = 5) -> dict[str, float]:
    """Cold `kith search`, embedded and on the server in turn (a drift of the machine hits both alike)."""
    base = dict(os.environ, KITH_HOME=str(home))
    envs = {"embedded": base, "server": dict(base, KITH_INDEX_URL=server.url, KITH_INDEX_TOKEN=server.token)}
    times: dict[str, list[float]] = {label: [] for label in envs}
    for _ in range(runs):
        for label, env in envs.items():
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "app.cli", "search", "who solved hiring problems"], env=env,
                           cwd=ROOT, capture_output=True, check=True)
            times[label].append(time.perf_counter() - start)
    ratios = [s / e for s, e in zip(times["server"], times["embedded"], strict=True)]
    return {"cold_search_embedded_s": statistics.median(times["embedded"]),
            "cold_search_server_s": statistics.median(times["server"]),
            "cold_search_server_over_embedded": statistics.median(ratios)}


def figures(items: int) -> dict[str, float]:
    from app.core.matching import pairs_version
    from app.store.db import MIGRATIONS

    schema = hashlib.sha256(("".join(MIGRATIONS) + pairs_version()).encode()).hexdigest()[:12]
    cached = Path(tempfile.gettempdir()) / f"kith-scale-{items}-{schema}"
    if not (cached / "kith.db").exists():
        shutil.rmtree(cached, ignore_errors=True)
        build(cached, items)
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        shutil.copytree(cached, home)
        server = IndexServer(Path(tmp) / "server").start()
        try:
            embedder = Embedder()
            embedder.load()
            embedded = Store(Settings(home=home), embedder)
            on_server = Store(Settings(home=home, index_url=server.url, index_token=server.token), embedder)
            start = time.perf_counter()
            on_server.rebuild_index()
            sent = time.perf_counter() - start
            here, there = latencies(embedded, on_server)
            out = {
                "items": on_server.server().count(), "send_every_item_s": sent,
                "search_embedded_p50_ms": 1000 * statistics.median(here),
                "search_embedded_p95_ms": 1000 * percentile(here, 95),
                "search_server_p50_ms": 1000 * statistics.median(there),
                "search_server_p95_ms": 1000 * percentile(there, 95),
                "search_server_over_embedded_p50": statistics.median(there) / statistics.median(here),
                "search_server_over_embedded_per_query": statistics.median(
                    t / h for t, h in zip(there, here, strict=True)),
                "search_server_over_embedded_p95": percentile(there, 95) / percentile(here, 95),
            }
            embedded.close()
            on_server.close()
            out.update(cold(home, server))
        finally:
            server.stop()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--items", type=int, default=10_000)
    result = figures(ap.parse_args().items)
    width = max(map(len, result))
    for key, value in result.items():
        print(f"  {key:<{width}}  {value:,.2f}" if isinstance(value, float) else f"  {key:<{width}}  {value:,}")
    print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in result.items()}))


if __name__ == "__main__":
    main()
