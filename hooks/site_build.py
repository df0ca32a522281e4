"""MkDocs hook: exercise widgets, self-hosted Pyodide, the checker wheel, CSP.

Registered in ``mkdocs.yml`` under ``hooks:``. It

- loads ``exercises/*.yml`` and registers the exercise Markdown extension
  (``hooks/exercise_block.py``) with them (``on_config``);
- finds every ``/// exercise | <id>`` block of every page before rendering,
  failing the build with ``page:line`` on an unknown id (``on_nav``);
- ships into ``site/assets/``: the Pyodide runtime from
  ``node_modules/pyodide``, the checker wheel built from the working tree,
  one JSON file per exercise and a small manifest (``on_post_build``);
- fills in the Content-Security-Policy ``<meta>`` of ``overrides/main.html``
  with the hashes of the theme's inline scripts (``on_post_build``).

Nothing is fetched from the network, at build time or at run time.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
import shutil
import sys
from pathlib import Path
from typing import Any, Literal

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.utils.meta import get_data

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # so that ``hooks.*`` imports work from the hook file
    sys.path.insert(0, str(ROOT))

from checker.tools.exercises import ExerciseFileError, load_catalogue  # noqa: E402
from hooks.exercise_block import Catalog, ExerciseExtension, Placement  # noqa: E402
from hooks.wheel import build_wheel  # noqa: E402

log = logging.getLogger("mkdocs.hooks.site_build")

EXERCISES_DIR = ROOT / "exercises"
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
)  # the standard library and the lock's info: hooks/runtime.py
CSP_SCRIPT_TOKEN = "__CSP_SCRIPT_HASHES__"
CSP_STYLE_TOKEN = "__CSP_STYLE_HASHES__"

_BLOCK = re.compile(r"^\s*/{3,}\s*exercise\b(?P<rest>.*)$")
_BLOCK_ARG = re.compile(r"^\s*\|\s*(?P<id>[^\s|]+)\s*$")
_FENCE = re.compile(r"^\s*(?P<fence>`{3,}|~{3,})")
_H1 = re.compile(r"^#\s+(?P<title>.+?)\s*#*\s*$")
_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
_STYLE = re.compile(r"<style(?P<attrs>[^>]*)>(?P<body>.*?)</style>", re.S | re.I)
_STYLE_ATTR = re.compile(r"""<[a-zA-Z][^>]*?\sstyle=(?P<q>["'])(?P<value>.*?)(?P=q)""", re.S)

_JS_TYPES = {"module", "text/javascript", "application/javascript"}

_catalog = Catalog()
_command: str = "build"


# --------------------------------------------------------------------------- loading


def load_exercises(directory: Path = EXERCISES_DIR) -> dict[str, dict[str, Any]]:
    """Every ``exercises/*.yml``, validated as ``python -m checker validate`` does, by id.

    Exercise files come from pull requests: nothing is written before all pass.
    """
    try:
        return load_catalogue(directory)
    except ExerciseFileError as error:
        raise PluginError("invalid exercise files:\n" + "\n".join(error.problems)) from None


def find_blocks(markdown: str) -> list[tuple[int, str]]:
    """``(line, id)`` of every exercise block outside fenced code; ``id`` may be ''."""
    found: list[tuple[int, str]] = []
    fence: str | None = None
    for number, line in enumerate(markdown.splitlines(), start=1):
        m = _FENCE.match(line)
        if m:
            marker = m.group("fence")
            if fence is None:
                fence = marker
                continue
            if marker[0] == fence[0] and len(marker) >= len(fence):
                fence = None
                continue
        if fence is not None:
            continue
        block = _BLOCK.match(line)
        if block:
            arg = _BLOCK_ARG.match(block.group("rest"))
            found.append((number, arg.group("id") if arg else ""))
    return found


def page_title(markdown: str, fallback: str) -> str:
    body, meta = get_data(markdown)
    title = meta.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    for line in body.splitlines():
        m = _H1.match(line)
        if m:
            return m.group("title")
    return fallback


# --------------------------------------------------------------------------- events


def on_startup(*, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
    global _command
    _command = command


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    missing = [name for name in PYODIDE_FILES if not (PYODIDE_DIR / name).is_file()]
    if missing:
        raise PluginError(
            f"node_modules/pyodide is missing or incomplete ({', '.join(missing)}): "
            "run `npm ci` (or `make setup`) first"
        )
    _catalog.exercises = load_exercises()
    _catalog.placements = {}
    _catalog.order = []
    _catalog.lesson_titles = {}
    config.markdown_extensions.append(ExerciseExtension(catalog=_catalog))
    return config


def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
    """Find every exercise block of every page, in reading order; fail on unknown ids."""
    nav_uris = [page.file.src_uri for page in nav.pages]
    pages = {f.src_uri: f for f in files.documentation_pages()}
    ordered = [u for u in nav_uris if u in pages] + sorted(u for u in pages if u not in nav_uris)
    docs_dir = Path(config.docs_dir)
    docs_rel = docs_dir.relative_to(ROOT) if docs_dir.is_relative_to(ROOT) else docs_dir
    errors: list[str] = []
    for uri in ordered:
        content = pages[uri].content_string
        title = page_title(content, uri)
        _catalog.lesson_titles[uri] = title
        for line, ex_id in find_blocks(content):
            where = f"{docs_rel / uri}:{line}"
            if not ex_id:
                errors.append(f"{where}: exercise block without an id (`/// exercise | <id>`)")
            elif ex_id not in _catalog.exercises:
                errors.append(f"{where}: unknown exercise id '{ex_id}' (no exercises/{ex_id}.yml)")
            elif ex_id in _catalog.placements:
                first = _catalog.placements[ex_id]
                errors.append(
                    f"{where}: exercise '{ex_id}' is already embedded at "
                    f"{docs_rel / first.page}:{first.line}"
                )
            else:
                _catalog.placements[ex_id] = Placement(page=uri, title=title, line=line)
                _catalog.order.append(ex_id)
    if errors:
        raise PluginError("\n".join(errors))
    for ex_id, exercise in sorted(_catalog.exercises.items()):
        lesson = exercise.get("lesson")
        placement = _catalog.placements.get(ex_id)
        if placement is None:
            log.warning(f"exercise '{ex_id}' is not embedded in any page (lesson: {lesson})")
        elif lesson and lesson != placement.page:
            log.warning(
                f"exercise '{ex_id}' says lesson: {lesson} but is embedded in {placement.page}"
            )
    return nav


def on_post_build(*, config: MkDocsConfig) -> None:
    site = Path(config.site_dir)
    assets = site / "assets"
    digest = hashlib.sha256()

    target = assets / "pyodide"
    target.mkdir(parents=True, exist_ok=True)
    for name in PYODIDE_FILES:
        _copy_if_changed(PYODIDE_DIR / name, target / name)

    wheel = build_wheel(ROOT, assets)
    digest.update(wheel.read_bytes())

    out = assets / "exercises"
    out.mkdir(parents=True, exist_ok=True)
    wanted = set()
    for ex_id, exercise in sorted(_catalog.exercises.items()):
        data = json.dumps(exercise, ensure_ascii=False, separators=(",", ":")).encode()
        digest.update(data)
        name = f"{ex_id}.json"
        wanted.add(name)
        _write_if_changed(_inside(out, name), data)
    for stale in out.glob("*.json"):
        if stale.name not in wanted:
            stale.unlink()

    version = wheel.name.split("-")[1]
    manifest = {
        "checker_version": version,
        "wheel": wheel.name,
        "build": digest.hexdigest()[:16],
        "exercises": sorted(_catalog.exercises),
    }
    _write_if_changed(assets / "checker.json", json.dumps(manifest, indent=1).encode())
    apply_csp(site, dev=_command == "serve")


# --------------------------------------------------------------------------- CSP


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _is_js(attrs: str) -> bool:
    if re.search(r"\ssrc\s*=", attrs, re.I):
        return False
    m = re.search(r"""\stype\s*=\s*["']?([^"'\s>]+)""", attrs, re.I)
    return m is None or m.group(1).lower() in _JS_TYPES


def apply_csp(site: Path, *, dev: bool = False) -> None:
    """Replace the CSP tokens of every page with the hashes of all inline scripts and styles.

    The hashes of every page go into every page's policy: with instant
    navigation, the policy of the first page loaded stays in force for the
    whole visit. ``mkdocs serve`` injects its own live-reload script, so in
    that mode inline scripts are allowed instead.
    """
    pages = sorted(site.rglob("*.html"))
    texts = {p: p.read_text(encoding="utf-8") for p in pages}
    scripts: set[str] = set()
    styles: set[str] = set()
    style_attrs = False
    for text in texts.values():
        if CSP_SCRIPT_TOKEN not in text:
            continue
        scripts.update(_hash(m["body"]) for m in _SCRIPT.finditer(text) if _is_js(m["attrs"]))
        styles.update(_hash(m["body"]) for m in _STYLE.finditer(text))
        for m in _STYLE_ATTR.finditer(text):
            style_attrs = True
            styles.add(_hash(m["value"]))
    script_src = "'unsafe-inline'" if dev else " ".join(sorted(scripts))
    style_src = " ".join(sorted(styles))
    if style_attrs:
        style_src = "'unsafe-hashes' " + style_src
    for path, text in texts.items():
        if CSP_SCRIPT_TOKEN in text:
            text = text.replace(CSP_SCRIPT_TOKEN, script_src).replace(CSP_STYLE_TOKEN, style_src)
            path.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- files


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
