"""The exercise catalogue: exercises loaded through the validator, and where each is embedded.

``load_exercises`` reads ``exercises/*.yml`` as ``python -m checker validate``
does; ``place_exercises`` finds every ``/// exercise | <id>`` block of every
page, in reading order, and fails the build with ``page:line`` on an unknown,
missing or repeated id.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.utils.meta import get_data

from checker.tools.exercises import ExerciseFileError, load_catalogue
from hooks.exercise_block import Catalog, Placement

log = logging.getLogger("mkdocs.hooks.catalogue")

ROOT = Path(__file__).resolve().parent.parent
EXERCISES_DIR = ROOT / "exercises"

_BLOCK = re.compile(r"^\s*/{3,}\s*exercise\b(?P<rest>.*)$")
_BLOCK_ARG = re.compile(r"^\s*\|\s*(?P<id>[^\s|]+)\s*$")
_FENCE = re.compile(r"^\s*(?P<fence>`{3,}|~{3,})")
_H1 = re.compile(r"^#\s+(?P<title>.+?)\s*#*\s*$")


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


def reset(catalog: Catalog, exercises: dict[str, dict[str, Any]]) -> None:
    """A fresh catalogue for a new build (``mkdocs serve`` rebuilds in one process)."""
    catalog.exercises = exercises
    catalog.placements = {}
    catalog.order = []
    catalog.lesson_titles = {}


def place_exercises(catalog: Catalog, nav: Navigation, files: Files, docs_dir: Path) -> None:
    """Find every exercise block of every page, in reading order; fail on unknown ids."""
    nav_uris = [page.file.src_uri for page in nav.pages]
    pages = {f.src_uri: f for f in files.documentation_pages()}
    ordered = [u for u in nav_uris if u in pages] + sorted(u for u in pages if u not in nav_uris)
    docs_rel = docs_dir.relative_to(ROOT) if docs_dir.is_relative_to(ROOT) else docs_dir
    errors: list[str] = []
    for uri in ordered:
        content = pages[uri].content_string
        title = page_title(content, uri)
        catalog.lesson_titles[uri] = title
        for line, ex_id in find_blocks(content):
            where = f"{docs_rel / uri}:{line}"
            if not ex_id:
                errors.append(f"{where}: exercise block without an id (`/// exercise | <id>`)")
            elif ex_id not in catalog.exercises:
                errors.append(f"{where}: unknown exercise id '{ex_id}' (no exercises/{ex_id}.yml)")
            elif ex_id in catalog.placements:
                first = catalog.placements[ex_id]
                errors.append(
                    f"{where}: exercise '{ex_id}' is already embedded at "
                    f"{docs_rel / first.page}:{first.line}"
                )
            else:
                catalog.placements[ex_id] = Placement(page=uri, title=title, line=line)
                catalog.order.append(ex_id)
    if errors:
        raise PluginError("\n".join(errors))
    _warn_misplaced(catalog)


def _warn_misplaced(catalog: Catalog) -> None:
    """An exercise embedded nowhere, or elsewhere than its ``lesson:``, is worth a warning."""
    for ex_id, exercise in sorted(catalog.exercises.items()):
        lesson = exercise.get("lesson")
        placement = catalog.placements.get(ex_id)
        if placement is None:
            log.warning(f"exercise '{ex_id}' is not embedded in any page (lesson: {lesson})")
        elif lesson and lesson != placement.page:
            log.warning(
                f"exercise '{ex_id}' says lesson: {lesson} but is embedded in {placement.page}"
            )
