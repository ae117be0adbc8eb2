"""Where the ONNX export of the embedding model lives: a cache keyed by the weights' hash.

The cache folder is shared by every Kith home of the user (it holds no personal
data): `KITH_CACHE`, or the platform's user cache directory. Hashing ~90 MB of
weights takes a fraction of a second, so a small index remembers the hash of each
weights file by its path, size and modification time; a changed file is hashed again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable
from pathlib import Path

from app.errors import KithError
from app.store.files import write_atomic

WEIGHTS = ("model.safetensors",)
EXPORT_VERSION = 3
"""Bumped when the exported graph changes shape, so old exports are not reused."""


def cache_dir(cache: Path | None = None) -> Path:
    """The model cache folder: the argument, else KITH_CACHE, else the user cache directory."""
    if cache is not None:
        return Path(cache).expanduser()
    if os.environ.get("KITH_CACHE", "").strip():
        return Path(os.environ["KITH_CACHE"]).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("kith", appauthor=False))


def weights_file(model_dir: Path) -> Path:
    for name in WEIGHTS:
        if (model_dir / name).is_file():
            return model_dir / name
    raise KithError(f"no model weights in {model_dir} (looked for {', '.join(WEIGHTS)})", title="Model")


def weights_hash(weights: Path, cache: Path) -> str:
    """sha256 of the weights, remembered by path, size and mtime so it is computed once."""
    stat = weights.stat()
    key = f"{weights.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    known_file = cache / "hashes.json"
    try:
        known = json.loads(known_file.read_text())
    except (OSError, ValueError):
        known = {}
    if key in known:
        return str(known[key])
    digest = hashlib.sha256()
    with weights.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    known[key] = digest.hexdigest()
    cache.mkdir(parents=True, exist_ok=True)
    write_atomic(known_file, json.dumps(known, indent=1).encode())
    return known[key]


def cached_model(model_dir: Path, cache: Path | None, overlay: Path | None = None) -> Path:
    """Where the ONNX graph of the model in model_dir (with the weights of overlay in place of its own) is (or will
    be) cached."""
    folder = cache_dir(cache) / "models"
    stem = weights_hash(weights_file(model_dir), folder)[:32]
    if overlay is not None:  # named by its file too: the pair and the query encoder's exports are kept side by side
        stem += f"+{overlay.stem}-{weights_hash(overlay, folder)[:16]}"
    return folder / f"{stem}-v{EXPORT_VERSION}.onnx"


def onnx_model(model_dir: Path, cache: Path | None, notice: Callable[[str], None],
               overlay: Path | None = None) -> Path:
    """The ONNX graph of the model in model_dir (overlay: see onnx_graph.build), exported (once, with a notice)
    when not cached yet."""
    target = cached_model(model_dir, cache, overlay)
    folder = target.parent
    if target.exists():
        return target
    from filelock import FileLock

    with FileLock(str(folder / ".export.lock")):  # two processes at first start export once
        if not target.exists():
            notice("preparing the embedding model for fast start-up (once, a few seconds)…")
            # onnx costs ~2.5 s to import: only here, once per set of weights.
            from app.store.onnx_graph import build, optimise, weights_beside

            raw, partial = (target.with_name(f".{target.name}.{os.getpid()}{end}") for end in (".raw", ""))
            weights = weights_beside(target)
            try:
                build(model_dir, raw, overlay)
                # The weights file gets its final name (the graph names it); the graph, renamed last, marks
                # the export done: a killed export leaves no graph behind, and the next one writes both again.
                optimise(raw, partial, weights)
                for written in (weights, partial):  # on disk before the graph says they are
                    _sync(written)
                os.replace(partial, target)
                if os.name == "posix":  # a folder opens for syncing on POSIX systems only
                    _sync(folder)
            except BaseException:
                weights.unlink(missing_ok=True)
                raise
            finally:
                raw.unlink(missing_ok=True)
                partial.unlink(missing_ok=True)
            _drop_older_exports(target)
    return target


def _sync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _overlay_name(name: str) -> str:
    """An overlay's file name without the digest a fitting script's fold encoder is named by ("<digest>-fold0"): a
    fold retrained since replaces its own export."""
    return re.sub(r"^[0-9a-f]{16}-", "", name)


def _drop_older_exports(target: Path) -> None:
    """Remove the exports of the same weights by an older Kith (a lower EXPORT_VERSION), and those of the same model
    with another overlay of the same name (a pair encoder retrained since): ~90 MB each. A newer Kith's, in the same
    cache, stays."""
    stem = target.name.rsplit("-v", 1)[0]
    for old in target.parent.glob(f"{stem}-v*.onnx*"):
        version = re.fullmatch(rf"{re.escape(stem)}-v(\d+)\.onnx(?:\.data)?", old.name)
        if version and int(version[1]) < EXPORT_VERSION:
            old.unlink(missing_ok=True)
    if "+" in stem:
        model, overlay = stem.split("+", 1)
        name = _overlay_name(overlay.rsplit("-", 1)[0])
        for other in target.parent.glob(f"{model}+*-v*.onnx*"):
            # an export named before overlays were named by their file (a bare hash) was the pair encoder's
            found = re.fullmatch(rf"{re.escape(model)}\+(?:(.+)-)?[0-9a-f]{{16}}-v\d+\.onnx(?:\.data)?", other.name)
            if found and _overlay_name(found[1] or name) == name and not other.name.startswith(f"{stem}-v"):
                other.unlink(missing_ok=True)
