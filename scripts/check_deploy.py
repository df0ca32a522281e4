#!/usr/bin/env python3
"""Check a build made for publishing before it goes out.

    .venv/bin/python scripts/check_deploy.py site https://example.org/cours/

``make pages SITE_URL=…`` runs it after building as the Pages workflow does;
the workflow runs the same command. It fails (exit 1) when:

- ``SITE_URL`` is not an absolute http(s) URL ending with ``/``, or points at
  this machine (127.0.0.1, localhost…);
- a page has no canonical link under ``SITE_URL``, or a page, the sitemap or
  a JSON file names a loopback address;
- the sitemap is empty or lists a page outside ``SITE_URL`` (Material's instant
  navigation follows only the sitemap's pages);
- a Content-Security-Policy placeholder was left in a page;
- a page that embeds an exercise has no exercise widget, or a file the
  exercise runtime needs (``assets/checker.json`` and what it names) is missing;
- the service worker's placeholders were not filled in, or the web app
  manifest is missing.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hooks.site_build import find_blocks  # noqa: E402

LOOPBACK = re.compile(r"\b(?:127\.0\.0\.1|localhost|0\.0\.0\.0|\[::1\])\b")
# What the build writes with addresses in it (the runtime's own scripts name 0.0.0.0 and such).
TEXT_SUFFIXES = {".html", ".xml", ".json", ".webmanifest"}
_CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)"')
_LOC = re.compile(r"<loc>([^<]+)</loc>")


def check_url(site_url: str) -> list[str]:
    parts = urlsplit(site_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or not site_url.endswith("/"):
        return [f"SITE_URL={site_url!r}: expected an absolute http(s) URL ending with '/'"]
    if LOOPBACK.search(parts.netloc):
        return [f"SITE_URL={site_url!r} points at this machine, not at the published site"]
    return []


def check_pages(site: Path, site_url: str) -> list[str]:
    problems: list[str] = []
    for path in sorted(site.rglob("*")):
        if path.suffix not in TEXT_SUFFIXES or not path.is_file():
            continue
        rel = path.relative_to(site).as_posix()
        text = path.read_text(encoding="utf-8", errors="replace")
        found = LOOPBACK.search(text)
        if found:
            problems.append(f"{rel}: names {found.group(0)}")
        if path.suffix != ".html" or rel == "404.html":
            continue
        canonical = _CANONICAL.search(text)
        if canonical is None or not canonical.group(1).startswith(site_url):
            got = canonical.group(1) if canonical else "none"
            problems.append(f"{rel}: canonical link {got}, expected one under {site_url}")
        if "__CSP_" in text:
            problems.append(f"{rel}: Content-Security-Policy placeholder left in the page")
    return problems


def check_sitemap(site: Path, site_url: str) -> list[str]:
    sitemap = site / "sitemap.xml"
    if not sitemap.is_file():
        return ["sitemap.xml is missing"]
    locs = _LOC.findall(sitemap.read_text(encoding="utf-8"))
    if not locs:
        return ["sitemap.xml lists no page: instant navigation would be off"]
    return [
        f"sitemap.xml: {loc} is not under {site_url}"
        for loc in locs
        if not loc.startswith(site_url)
    ]


def check_exercises(site: Path, docs: Path = ROOT / "docs") -> list[str]:
    problems: list[str] = []
    for md in sorted(docs.rglob("*.md")):
        ids = [i for _, i in find_blocks(md.read_text(encoding="utf-8")) if i]
        stem = md.relative_to(docs).as_posix().removesuffix(".md")
        page = site / (
            "index.html" if stem == "index" else f"{stem.removesuffix('/index')}/index.html"
        )
        if ids and page.is_file():
            html = page.read_text(encoding="utf-8")
            problems += [
                f"{page.relative_to(site)}: no widget for exercise {i}"
                for i in ids
                if f'data-exercise="{i}"' not in html
            ]
    manifest = site / "assets" / "checker.json"
    if not manifest.is_file():
        return [*problems, "assets/checker.json is missing"]
    data = json.loads(manifest.read_text(encoding="utf-8"))
    needed = [data["wheel"], data["pyodide"]["stdlib"], "pyodide/pyodide.asm.wasm"]
    needed += [f"exercises/{i}.json" for i in data["exercises"]]
    problems += [f"assets/{n} is missing" for n in needed if not (site / "assets" / n).is_file()]
    return problems


def check_offline(site: Path) -> list[str]:
    worker = site / "sw.js"
    if not worker.is_file():
        return ["sw.js is missing"]
    problems = []
    if "__OFFLINE_" in worker.read_text(encoding="utf-8"):
        problems.append("sw.js: placeholders left (hooks/offline.py did not run)")
    if not (site / "manifest.webmanifest").is_file():
        problems.append("manifest.webmanifest is missing")
    return problems


def check(site: Path, site_url: str) -> list[str]:
    problems = check_url(site_url)
    if problems:
        return problems
    return (
        check_pages(site, site_url)
        + check_sitemap(site, site_url)
        + check_exercises(site)
        + check_offline(site)
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("site_url")
    args = parser.parse_args()
    problems = check(args.site, args.site_url)
    for problem in problems:
        print(f"deploy check: {problem}", file=sys.stderr)
    if problems:
        return 1
    pages = sum(1 for _ in args.site.rglob("*.html"))
    print(f"deploy check: {pages} pages ready for {args.site_url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
