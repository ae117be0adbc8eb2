"""A Chroma server (`chroma run`) behind the token-checking proxy (deploy/Caddyfile), on loopback ports.

For the tests and the bench: each process is started here and stopped by its pid (SIGTERM: a
SIGKILL during writes can wedge Chroma's compaction, chroma#7678).
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sysconfig
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
CADDYFILE = ROOT / "deploy" / "Caddyfile"
CHROMA = [str(Path(sysconfig.get_path("scripts")) / "chroma")]
"""`chroma` of the installed chromadb wheel (its Rust server; never the legacy Python one)."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(url: str, timeout: float = 60) -> None:
    """Wait until url answers at all (any HTTP status)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer within {timeout:.0f} s") from None
            time.sleep(0.1)


def _stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class IndexServer:
    """A Chroma server with its data in base/data, behind Caddy; url and token are what a member sets."""

    base: Path
    chroma_command: list[str] = field(default_factory=lambda: list(CHROMA))
    token: str = field(default_factory=lambda: secrets.token_hex(24))
    chroma_port: int = field(default_factory=free_port)
    proxy_port: int = field(default_factory=free_port)
    chroma: subprocess.Popen | None = None
    proxy: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.proxy_port}"

    @property
    def chroma_url(self) -> str:
        """The server itself, past the proxy (what only the host can reach)."""
        return f"http://127.0.0.1:{self.chroma_port}"

    def start(self) -> IndexServer:
        self.base.mkdir(parents=True, exist_ok=True)
        self.start_chroma()
        self.start_proxy()
        return self

    def start_chroma(self, data: Path | None = None) -> None:
        data = data or self.base / "data"
        env = dict(os.environ, ANONYMIZED_TELEMETRY="False")
        with open(self.base / "chroma.log", "ab") as log:
            self.chroma = subprocess.Popen(
                [*self.chroma_command, "run", "--path", str(data), "--host", "127.0.0.1", "--port",
                 str(self.chroma_port)], stdout=log, stderr=subprocess.STDOUT, env=env)
        _answers(f"{self.chroma_url}/api/v2/heartbeat")

    def start_proxy(self) -> None:
        caddy = shutil.which("caddy")
        if caddy is None:
            raise RuntimeError("caddy is not installed (apt-get install caddy)")
        config = self.base / "caddy"
        env = dict(os.environ, KITH_INDEX_TOKEN=self.token, KITH_PROXY_ADDRESS=self.url,
                   KITH_CHROMA_ADDRESS=f"127.0.0.1:{self.chroma_port}", XDG_CONFIG_HOME=str(config),
                   XDG_DATA_HOME=str(config), HOME=str(config))
        with open(self.base / "caddy.log", "ab") as log:
            self.proxy = subprocess.Popen([caddy, "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
                                          stdout=log, stderr=subprocess.STDOUT, env=env)
        _answers(f"{self.url}/api/v2/heartbeat")

    def stop_chroma(self) -> None:
        _stop(self.chroma)

    def stop_proxy(self) -> None:
        _stop(self.proxy)

    def stop(self) -> None:
        self.stop_proxy()
        self.stop_chroma()

    def direct(self, database: str):
        """A client of the server itself (not through the proxy), to read what it holds."""
        import chromadb
        from chromadb.config import Settings

        return chromadb.HttpClient(host="127.0.0.1", port=self.chroma_port, database=database,
                                   settings=Settings(anonymized_telemetry=False))

    def databases(self) -> list[str]:
        import chromadb
        from chromadb.config import Settings

        admin = chromadb.AdminClient(Settings(
            anonymized_telemetry=False, chroma_api_impl="chromadb.api.fastapi.FastAPI", chroma_server_host="127.0.0.1",
            chroma_server_http_port=self.chroma_port))
        return [d["name"] for d in admin.list_databases()]
