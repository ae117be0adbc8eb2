"""Does search answer the same with the index on a Chroma server? Every shared set's queries, hit by hit.

    python bench/server_answers.py

Search is the only thing that reads the index (matches, recaps and follow-ups read the database), so
the quality table is the same in server mode exactly when every query's hits are. For each set of
bench/quality.py, its notes are imported into one home, and each of its queries is searched there
with the database's own vectors and then through the proxy (`chroma run` and Caddy on loopback, as
bench/server_search.py): the top 20, as `kith_eval.py` asks for them, must be the same people in the
same order; the largest difference of a score is printed beside.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from quality import SETS  # noqa: E402

from app.config import Settings  # noqa: E402
from app.core.capture import read_notes_file, save_notes  # noqa: E402
from app.core.search import search  # noqa: E402
from app.store.embedder import Embedder  # noqa: E402
from app.store.store import Store  # noqa: E402
from tests.support.index_server import IndexServer  # noqa: E402

LIMIT = 20


def main() -> None:
    embedder = Embedder()
    embedder.load()
    with tempfile.TemporaryDirectory() as tmp:
        server = IndexServer(Path(tmp) / "server").start()
        try:
            print(f"{'set':<10} {'queries':>7} {'same hits':>9} {'largest score difference':>25}")
            for name, folder in SETS.items():
                home = Path(tmp) / name
                embedded = Store(Settings(home=home), embedder)
                save_notes(embedded, read_notes_file(folder / "notes.jsonl"))
                on_server = Store(Settings(home=home, index_url=server.url, index_token=server.token), embedder)
                queries = [q["query"] for q in json.loads((folder / "truth.json").read_text())["queries"]]
                same, gap = 0, 0.0
                for query in queries:
                    here, there = search(embedded, query, limit=LIMIT), search(on_server, query, limit=LIMIT)
                    same += [(h.contact, h.item_id) for h in here] == [(h.contact, h.item_id) for h in there]
                    gap = max([gap, *(abs(a.score - b.score) for a, b in zip(here, there, strict=False))])
                print(f"{name:<10} {len(queries):>7} {same:>9} {gap:>25.6f}")
                embedded.close()
                on_server.close()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
