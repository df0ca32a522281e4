"""MkDocs hook: do not ship what no page requests.

The theme copies source maps (a browser fetches them only when developer
tools are open) and the search stemmers of every language lunr knows, while
the search worker loads only those of the languages in ``mkdocs.yml``
(``plugins: search: lang``). Both go; the ``sourceMappingURL`` comments that
named the maps go with them, so that nothing points at a missing file.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

log = logging.getLogger("mkdocs.hooks.prune")

_MAP_COMMENT = re.compile(rb"\n?/[/*][#@] sourceMappingURL=[^\s*]+\.map(?:\s*\*/)?\s*$")
# Besides lunr.<lang>.min.js, what the search worker loads for some languages.
_LUNR_EXTRA = {"ja": ("tinyseg.js",), "jp": ("tinyseg.js",), "th": ("wordcut.js",)}


def search_languages(config: MkDocsConfig) -> list[str]:
    search = config.plugins.get("material/search") or config.plugins.get("search")
    if search is None:
        return []
    langs = search.config.get("lang") or []
    return [langs] if isinstance(langs, str) else list(langs)


def lunr_files_needed(languages: list[str]) -> set[str]:
    """Paths under ``assets/javascripts/lunr/`` that the search worker loads."""
    others = [lang for lang in languages if lang != "en"]
    needed = {f"min/lunr.{lang}.min.js" for lang in others}
    if others:
        needed.add("min/lunr.stemmer.support.min.js")
    if len(languages) > 1:
        needed.add("min/lunr.multi.min.js")
    for lang in others:
        needed.update(_LUNR_EXTRA.get(lang, ()))
    return needed


def prune(site: Path, languages: list[str]) -> list[Path]:
    """Remove source maps and unused lunr languages from ``site``; return what went."""
    removed: list[Path] = []
    for source_map in sorted(site.rglob("*.map")):
        script = source_map.with_suffix("")  # bundle.js.map -> bundle.js
        if script.is_file():
            data = script.read_bytes()
            stripped = _MAP_COMMENT.sub(b"\n", data)
            if stripped != data:
                script.write_bytes(stripped)
        source_map.unlink()
        removed.append(source_map)
    lunr = site / "assets" / "javascripts" / "lunr"
    if lunr.is_dir():
        keep = lunr_files_needed(languages)
        for path in sorted(p for p in lunr.rglob("*") if p.is_file()):
            if path.relative_to(lunr).as_posix() not in keep:
                path.unlink()
                removed.append(path)
    return removed


def on_post_build(*, config: MkDocsConfig) -> None:
    site = Path(config.site_dir)
    removed = prune(site, search_languages(config))
    log.debug(f"removed {len(removed)} files that no page requests")
