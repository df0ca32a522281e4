"""MkDocs hook: the Python standard library the page loads, compiled at build time.

Stock Pyodide compiles every standard-library module it imports from source,
at each start, in the reader's browser: most of its start-up time. This hook
has Pyodide's own CPython (the npm package, under Node) import what the page's
worker imports, grade every exercise example, and compile the modules that
were loaded into a zip of sourceless ``.pyc`` files (``hooks/pyodide_job.py``).
The worker passes it to ``loadPyodide`` as ``stdLibURL``, with
``lockFileContents`` instead of fetching ``pyodide-lock.json``: no package is
loaded, only the lock's ``info`` (the ABI version Pyodide checks) is needed.

Both go into ``assets/checker.json`` (``"pyodide"``): the stdlib file name holds
a hash of its bytes. The result is cached in ``.cache/pyodide-stdlib/`` by a
key over everything it depends on (Pyodide, the wheel, the examples, the job).
The Pyodide parity test loads the same zip (``stdlib_for``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"
CACHE_DIR = ROOT / ".cache" / "pyodide-stdlib"
JOB_FILES = (
    Path(__file__).with_name("pyodide_job.py"),
    Path(__file__).with_name("pyodide_runtime.mjs"),
)
# -OO for the standard library only: no docstrings, no asserts (the checker keeps its own).
OPTIMIZE = 2
# Entries stored by default: the .br and .gz beside the zip (hooks/precompress.py)
# compress across files, a third smaller than deflating each entry. For a host
# that cannot send them (GitHub Pages), STDLIB_ZIP=deflated: the zip is sent as it is.
STDLIB_ZIP_MODES = ("stored", "deflated")
STOCK_FILES = ("python_stdlib.zip", "pyodide-lock.json")
CACHE_KEEP = 6  # cache entries kept (a few checker versions, for switching branches)

log = logging.getLogger("mkdocs.hooks.runtime")


@dataclass(frozen=True)
class Stdlib:
    path: Path  # the compiled zip, in the cache
    python: str
    modules: list[str]

    @property
    def site_name(self) -> str:
        digest = hashlib.sha256(self.path.read_bytes()).hexdigest()[:12]
        return f"stdlib-{digest}.zip"


def lock_info(pyodide_dir: Path = PYODIDE_DIR) -> dict[str, Any]:
    """The ``info`` of Pyodide's lock file: what ``loadPyodide`` checks without packages."""
    info = json.loads((pyodide_dir / "pyodide-lock.json").read_text(encoding="utf-8"))["info"]
    return dict(info)


def example_cases(exercises: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Every example reply and model answer of every exercise, with its exercise."""
    cases = []
    for _, exercise in sorted(exercises.items()):
        shipped = json.loads(json.dumps(exercise))  # what the site ships: the YAML as JSON
        texts = [e["text"] for e in exercise.get("examples") or []]
        texts += list(exercise.get("model_answers") or [])
        cases += [{"exercise": shipped, "text": text} for text in texts]
    return cases


def stdlib_deflated() -> bool:
    mode = os.environ.get("STDLIB_ZIP", "stored")
    if mode not in STDLIB_ZIP_MODES:
        raise PluginError(f"STDLIB_ZIP={mode!r}: expected one of {', '.join(STDLIB_ZIP_MODES)}")
    return mode == "deflated"


def stdlib_for(wheel: Path, cases: list[dict[str, Any]]) -> Stdlib:
    """The compiled standard library for this wheel, from the cache or built now."""
    for name in (*STOCK_FILES, "pyodide.mjs", "package.json"):
        if not (PYODIDE_DIR / name).is_file():
            raise PluginError(
                f"node_modules/pyodide/{name} is missing: run `npm ci` (or `make setup`)"
            )
    cases_json = json.dumps(cases, sort_keys=True)
    deflate = stdlib_deflated()
    key = hashlib.sha256()
    for part in (
        (PYODIDE_DIR / "package.json").read_bytes(),
        (PYODIDE_DIR / "python_stdlib.zip").read_bytes(),
        wheel.read_bytes(),
        cases_json.encode(),
        f"optimize={OPTIMIZE} deflate={deflate}".encode(),
        *(f.read_bytes() for f in JOB_FILES),
    ):
        key.update(hashlib.sha256(part).digest())
    stem = CACHE_DIR / key.hexdigest()[:24]
    zip_path, meta_path = stem.with_suffix(".zip"), stem.with_suffix(".json")
    if not (zip_path.is_file() and meta_path.is_file()):
        _build(wheel, cases_json, stem, deflate)
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    return Stdlib(zip_path, meta["python"], meta["modules"])


def _build(wheel: Path, cases_json: str, stem: Path, deflate: bool) -> None:
    node = shutil.which("node")
    if node is None:
        raise PluginError("node is needed to compile the standard library for Pyodide (Node 20)")
    stem.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pyodide-stdlib-") as tmp:
        cases = Path(tmp) / "cases.json"
        cases.write_text(cases_json, encoding="utf-8")
        out = Path(tmp) / "stdlib.zip"
        job = Path(tmp) / "job.json"
        job.write_text(
            json.dumps(
                {
                    "pyodide_dir": str(PYODIDE_DIR),
                    "wheel": str(wheel),
                    "cases": str(cases),
                    "out": str(out),
                    "optimize": OPTIMIZE,
                    "deflate": deflate,
                }
            ),
            encoding="utf-8",
        )
        proc = subprocess.run(
            [node, str(JOB_FILES[1]), str(job)],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if proc.returncode != 0:
            raise PluginError(
                f"compiling the standard library in Pyodide failed:\n{proc.stderr[-3000:]}"
            )
        meta = json.loads(proc.stdout)
        log.info(
            f"compiled {meta['written']} standard-library modules for Pyodide {meta['python']}"
        )
        shutil.copyfile(out, stem.with_suffix(".zip"))
        # Written last: a half-written cache entry is never taken for a whole one.
        stem.with_suffix(".json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    entries = sorted(CACHE_DIR.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[CACHE_KEEP:]:
        old.unlink()
        old.with_suffix(".zip").unlink(missing_ok=True)


def on_post_build(*, config: MkDocsConfig) -> None:
    """Ship the compiled standard library and describe it in ``assets/checker.json``."""
    from checker.tools.exercises import load_catalogue

    assets = Path(config.site_dir) / "assets"
    manifest_path = assets / "checker.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    stdlib = stdlib_for(
        assets / manifest["wheel"], example_cases(load_catalogue(ROOT / "exercises"))
    )
    target = assets / "pyodide"
    target.mkdir(parents=True, exist_ok=True)
    name = stdlib.site_name
    for stale in [*target.glob("stdlib-*.zip*"), *(target / n for n in STOCK_FILES)]:
        if stale.is_file() and not stale.name.startswith(name):
            stale.unlink()
    if not (target / name).is_file():
        shutil.copyfile(stdlib.path, target / name)
    manifest["pyodide"] = {"stdlib": f"pyodide/{name}", "lock_info": lock_info()}
    manifest_path.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
