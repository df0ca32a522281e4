"""MkDocs hook: ``.br`` and ``.gz`` beside every large text or WebAssembly asset.

A host that serves a precompressed sibling when the browser accepts it (see
the README: nginx ``gzip_static``/``brotli_static``, Caddy
``precompressed``, Netlify and Cloudflare Pages do it themselves) sends these
bytes with ``Content-Encoding: br`` or ``gzip``; ``make serve``, the tests'
server and the benchmark do the same with :func:`negotiate`.

Brotli at its best quality takes tens of seconds on the Pyodide runtime, so
compressed files are cached in ``.cache/precompressed/`` by the hash of what
they compress. Without the ``brotli`` package (``make setup`` installs it)
only ``.gz`` files are written. ``mkdocs serve`` writes none: its own server
would not send them.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from mkdocs.config.defaults import MkDocsConfig

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = ROOT / ".cache" / "precompressed"
CACHE_DAYS = 14  # cache entries unused for longer are removed

SUFFIXES = {
    ".html",
    ".css",
    ".js",
    ".mjs",
    ".json",
    ".xml",
    ".svg",
    ".txt",
    ".webmanifest",
    ".wasm",
    ".zip",  # the standard library for Pyodide: stored entries (hooks/runtime.py)
}
MIN_SIZE = 1024
MAX_RATIO = 0.9  # a sibling that saves less than 10 % is not worth a second file
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))

log = logging.getLogger("mkdocs.hooks.precompress")
_command = "build"


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def _compressors() -> dict[str, Callable[[bytes], bytes]]:
    found: dict[str, Callable[[bytes], bytes]] = {".gz": _gzip}
    try:
        import brotli
    except ImportError:
        log.info("brotli is not installed (`make setup` installs it): writing .gz files only")
    else:
        found[".br"] = lambda data: bytes(brotli.compress(data, quality=11))
    return found


def _cached(data: bytes, suffix: str, compress: Callable[[bytes], bytes]) -> bytes:
    entry = CACHE_DIR / (hashlib.sha256(data).hexdigest() + suffix)
    if entry.is_file():
        entry.touch()
        return entry.read_bytes()
    out = compress(data)
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    tmp = entry.with_suffix(".tmp")
    tmp.write_bytes(out)
    tmp.replace(entry)
    return out


def precompress(site: Path) -> int:
    """Write or refresh the siblings of every large asset of ``site``; return how many."""
    compressors = _compressors()
    written = 0
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.suffix not in SUFFIXES:
            continue
        data = path.read_bytes()
        for suffix, compress in compressors.items():
            sibling = path.with_name(path.name + suffix)
            out = _cached(data, suffix, compress) if len(data) >= MIN_SIZE else b""
            if out and len(out) <= MAX_RATIO * len(data):
                if not sibling.is_file() or sibling.read_bytes() != out:
                    sibling.write_bytes(out)
                written += 1
            elif sibling.is_file() and path.name != "sitemap.xml":  # MkDocs writes its own
                sibling.unlink()
    # Siblings of files that are gone (an older stdlib zip, a renamed bundle).
    for _, suffix in ENCODINGS:
        for sibling in site.rglob("*" + suffix):
            if not sibling.with_suffix("").exists():
                sibling.unlink()
    return written


def negotiate(path: Path, accept_encoding: str) -> tuple[Path, Literal["br", "gzip"] | None]:
    """The file to send for ``path`` and its ``Content-Encoding`` (None: as it is)."""
    accepted = set()
    for item in accept_encoding.split(","):
        name, _, params = item.strip().partition(";")
        if params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000"):
            accepted.add(name.strip().lower())
    for encoding, suffix in ENCODINGS:
        sibling = path.with_name(path.name + suffix)
        if encoding in accepted and sibling.is_file():
            return sibling, "br" if encoding == "br" else "gzip"
    return path, None


def _prune_cache() -> None:
    if not CACHE_DIR.is_dir():
        return
    limit = time.time() - CACHE_DAYS * 86400
    for entry in CACHE_DIR.iterdir():
        if entry.stat().st_mtime < limit:
            entry.unlink()


def on_startup(*, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
    global _command
    _command = command


def on_post_build(*, config: MkDocsConfig) -> None:
    if _command == "serve":
        return
    written = precompress(Path(config.site_dir))
    _prune_cache()
    log.debug(f"{written} precompressed files")
