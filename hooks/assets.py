"""What the build ships into ``site/assets/`` for the exercises.

- the Pyodide runtime, copied from ``node_modules/pyodide``;
- the checker wheel, built from the working tree (``hooks/wheel.py``);
- one JSON file per exercise, and ``checker.json``, the manifest the worker
  reads first (wheel name, a build hash that versions every URL, exercise ids).

Files are rewritten only when their bytes change, so that ``mkdocs serve``
does not reload what did not move. Nothing is fetched from the network.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from hooks.wheel import build_wheel

ROOT = Path(__file__).resolve().parent.parent
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
)  # the standard library and the lock's info: hooks/runtime.py


def check_pyodide() -> None:
    """Fail early, before any page is rendered, when ``npm ci`` has not run."""
    missing = [name for name in PYODIDE_FILES if not (PYODIDE_DIR / name).is_file()]
    if missing:
        raise PluginError(
            f"node_modules/pyodide is missing or incomplete ({', '.join(missing)}): "
            "run `npm ci` (or `make setup`) first"
        )


def ship_assets(site: Path, exercises: dict[str, dict[str, Any]]) -> None:
    """Pyodide, the checker wheel, the exercises' JSON and the manifest into ``site/assets``."""
    assets = site / "assets"
    digest = hashlib.sha256()
    _copy_pyodide(assets / "pyodide")
    wheel = build_wheel(ROOT, assets)
    digest.update(wheel.read_bytes())
    for data in _write_exercises(assets / "exercises", exercises):
        digest.update(data)
    manifest = {
        "checker_version": wheel.name.split("-")[1],
        "wheel": wheel.name,
        "build": digest.hexdigest()[:16],
        "exercises": sorted(exercises),
    }
    _write_if_changed(assets / "checker.json", json.dumps(manifest, indent=1).encode())


def _copy_pyodide(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for name in PYODIDE_FILES:
        _copy_if_changed(PYODIDE_DIR / name, target / name)


def _write_exercises(out: Path, exercises: dict[str, dict[str, Any]]) -> list[bytes]:
    """One ``<id>.json`` per exercise (stale ones removed); their bytes, in id order."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    wanted = set()
    for ex_id, exercise in sorted(exercises.items()):
        data = json.dumps(exercise, ensure_ascii=False, separators=(",", ":")).encode()
        name = f"{ex_id}.json"
        wanted.add(name)
        _write_if_changed(_inside(out, name), data)
        written.append(data)
    for stale in out.glob("*.json"):
        if stale.name not in wanted:
            stale.unlink()
    return written


def _copy_if_changed(src: Path, dst: Path) -> None:
    s = src.stat()
    if dst.is_file():
        d = dst.stat()
        if d.st_size == s.st_size and d.st_mtime_ns == s.st_mtime_ns:
            return
    shutil.copy2(src, dst)


def _inside(folder: Path, name: str) -> Path:
    """``folder / name``, refusing any name that would land outside ``folder``."""
    path = (folder / name).resolve()
    if path.parent != folder.resolve():
        raise PluginError(f"refusing to write {name!r} outside {folder}")
    return path


def _write_if_changed(path: Path, data: bytes) -> None:
    if not path.is_file() or path.read_bytes() != data:
        path.write_bytes(data)
