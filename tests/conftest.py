"""Keep the developer's machine out of the tests: a temporary KITH_HOME, offline, no network."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SUPPORT = Path(__file__).resolve().parent / "support"
DEMO = ROOT / "data" / "demo" / "notes.jsonl"
UNPUNCTUATED_MEMO = ("ok just off the call with tomasz he has a small print shop in gdansk and the problem is his two "
                     "big clients always pay ninety days late so he is short on cash every single month his wife is "
                     "expecting their second baby in march so he wants fewer late nights i told him i'd send him the "
                     "factoring company contact by friday")
"""A memo dictated with no punctuation at all: a problem, a personal detail and a to-do in one run of words."""


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory) -> Path:
    """One model cache for the session: the ONNX export happens once, in the first test that embeds."""
    return tmp_path_factory.mktemp("kith-cache")


@pytest.fixture(autouse=True)
def _private_home(tmp_path_factory, monkeypatch, model_cache):
    home = tmp_path_factory.mktemp("kith-home")
    monkeypatch.setenv("KITH_CACHE", str(model_cache))
    monkeypatch.setenv("KITH_HOME", str(home))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    for key in ("KITH_MODEL", "KITH_INDEX_URL", "KITH_INDEX_TOKEN", "KITH_INDEX_TOKEN_FILE"):
        monkeypatch.delenv(key, raising=False)
    return home


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


class Kith:
    """Runs the real `kith` command in a subprocess where the network is cut off."""

    def __init__(self, home: Path, net_log: Path, env: dict[str, str] | None = None):
        self.home = home
        self.net_log = net_log
        self.env = env or {}
        """More environment (the index server's address and token)."""

    def environment(self, **more: str) -> dict[str, str]:
        """What a process on this home runs in: the network cut off (attempts logged), a 2 s wait for a write."""
        return {**os.environ, "KITH_HOME": str(self.home), "KITH_TEST_NET_LOG": str(self.net_log),
                "PYTHONPATH": os.pathsep.join([str(SUPPORT), str(ROOT)]), "KITH_LOCK_TIMEOUT": "2", **self.env, **more}

    def __call__(self, *args: str, stdin: str | None = None, timeout: float = 600) -> Result:
        proc = subprocess.run([sys.executable, "-m", "app.cli", *args], input=stdin, env=self.environment(),
                              capture_output=True, text=True, timeout=timeout, cwd=ROOT)
        return Result(proc.returncode, proc.stdout, proc.stderr)

    def start(self, *args: str, output: int = subprocess.PIPE, **env: str) -> subprocess.Popen:
        """`kith ARGS` started, not waited for (to kill it, or to run several at once); env adds to its
        environment."""
        return subprocess.Popen([sys.executable, "-m", "app.cli", *args], env=self.environment(**env), cwd=ROOT,
                                stdout=output, stderr=output, text=True)

    def python(self, code: str, **popen) -> subprocess.Popen:
        """Python code started beside kith on this home (its home is sys.argv[1])."""
        return subprocess.Popen([sys.executable, "-c", code, str(self.home)], env=self.environment(), cwd=ROOT,
                                text=True, **popen)

    def ok(self, *args: str, stdin: str | None = None) -> Result:
        result = self(*args, stdin=stdin)
        assert result.code == 0, f"kith {' '.join(args)} failed: {result.err}"
        return result

    def network_attempts(self) -> list[str]:
        return self.net_log.read_text().splitlines() if self.net_log.exists() else []


def tree_digest(path: Path) -> str:
    """A checksum of every file under path (names and bytes), to prove nothing was written."""
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        digest.update(str(file.relative_to(path)).encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


@pytest.fixture
def kith(tmp_path) -> Kith:
    home = tmp_path / "home"
    return Kith(home, tmp_path / "network.log")


def imported_demo(tmp_path_factory, name: str) -> Kith:
    """A home with the demo network imported through the real CLI (for module-scoped fixtures)."""
    base = tmp_path_factory.mktemp(name)
    kith = Kith(base / "home", base / "network.log")
    kith.ok("import", str(DEMO))
    return kith


# ------------------------------------------------------------------ the index on a server


@pytest.fixture(scope="session")
def index_server(tmp_path_factory):
    """A Chroma server behind the token-checking proxy: the one .ci/run started (KITH_TEST_INDEX_URL,
    KITH_TEST_INDEX_TOKEN, KITH_TEST_CHROMA_PORT), or one of the session's own on free loopback ports."""
    from tests.support.index_server import IndexServer

    base = tmp_path_factory.mktemp("index-server")
    url, token, chroma = (os.environ.get(f"KITH_TEST_{n}") for n in ("INDEX_URL", "INDEX_TOKEN", "CHROMA_PORT"))
    if url and token and chroma:
        yield IndexServer(base, token=token, chroma_port=int(chroma), proxy_port=int(url.rsplit(":", 1)[1]))
        return
    server = own_index_server(base)
    yield server
    server.stop()


def own_index_server(base: Path, **options):
    """A Chroma server and its proxy started for one test (which may stop and start them); skipped without caddy."""
    import shutil

    from tests.support.index_server import IndexServer

    if shutil.which("caddy") is None:
        pytest.skip("the proxy binary `caddy` is not installed (apt-get install caddy; .ci/run does)")
    server = IndexServer(base, **options)
    try:
        return server.start()
    except BaseException:
        server.stop()
        raise


def on_server(home: Path, net_log: Path, server, **env: str) -> Kith:
    """Kith on this home with its index on the server (and no other connection allowed)."""
    return Kith(home, net_log, {"KITH_INDEX_URL": server.url, "KITH_INDEX_TOKEN": server.token,
                                "KITH_TEST_NET_ALLOW": f"127.0.0.1:{server.proxy_port}", **env})
