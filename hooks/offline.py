"""MkDocs hook: the course offline after one visit, and installable.

- Fills in ``sw.js`` (from ``docs/sw.js``): the build hash, the runtime hash,
  the course's pages and assets and the runtime's files. A new build gives a
  new ``sw.js``, which browsers install in place of the old one.
- Writes ``manifest.webmanifest`` (French name, standalone display) and its
  two icons, drawn here: an indigo square with a white speech bubble.

``docs/assets/javascripts/offline.js`` registers the service worker.
"""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

SW_NAME = "sw.js"
MANIFEST_NAME = "manifest.webmanifest"
ICON_SIZES = (192, 512)
INDIGO = (0x3F, 0x51, 0xB5)  # the theme's primary colour
WHITE = (0xFF, 0xFF, 0xFF)
_SIBLINGS = (".br", ".gz")
_PLACEHOLDERS = {
    "build": '"__OFFLINE_BUILD__"',
    "runtime": '"__OFFLINE_RUNTIME__"',
    "course": "/*__OFFLINE_COURSE__*/ []",
    "runtime_urls": "/*__OFFLINE_RUNTIME_URLS__*/ []",
}


def web_manifest(config: MkDocsConfig) -> dict[str, Any]:
    return {
        "name": config.site_name,
        "short_name": "Dire non",
        "description": config.site_description,
        "lang": "fr",
        "dir": "ltr",
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#{:02x}{:02x}{:02x}".format(*INDIGO),
        "icons": [
            {"src": f"assets/images/icone-{n}.png", "sizes": f"{n}x{n}", "type": "image/png"}
            for n in ICON_SIZES
        ],
    }


def icon_png(size: int) -> bytes:
    """An indigo square with a white speech bubble (a rounded box and its tail)."""
    left, right = round(size * 0.2), round(size * 0.8)
    top, bottom = round(size * 0.24), round(size * 0.66)
    radius = round(size * 0.1)
    tail_top, tail_left, tail_width = bottom, round(size * 0.3), round(size * 0.16)
    tail_height = round(size * 0.14)

    def inside(x: int, y: int) -> bool:
        if left <= x < right and top <= y < bottom:
            cx = min(max(x, left + radius), right - radius - 1)
            cy = min(max(y, top + radius), bottom - radius - 1)
            return (x - cx) ** 2 + (y - cy) ** 2 <= radius**2
        # The tail: a right triangle under the box, pointing down-left.
        dy = y - tail_top
        return 0 <= dy < tail_height and tail_left <= x < tail_left + tail_width * (
            1 - dy / tail_height
        )

    rows = []
    for y in range(size):
        row = bytearray(b"\x00")  # filter: none
        for x in range(size):
            row += bytes(WHITE if inside(x, y) else INDIGO)
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def shipped_files(site: Path) -> list[Path]:
    """Every file a browser may ask for: no precompressed sibling, no service worker."""
    return sorted(
        p
        for p in site.rglob("*")
        if p.is_file() and p.suffix not in _SIBLINGS and p.name != SW_NAME
    )


def _digest(site: Path, files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(site).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def page_url(rel: str) -> str:
    """``lecons/x/index.html`` -> ``lecons/x/``; ``index.html`` -> ``./``."""
    if rel == "index.html":
        return "./"
    return rel.removesuffix("index.html") if rel.endswith("/index.html") else rel


def plan(site: Path) -> dict[str, Any]:
    """What ``sw.js`` is told: hashes, the course's addresses and the runtime's."""
    manifest = json.loads((site / "assets" / "checker.json").read_text(encoding="utf-8"))
    version = f"?v={manifest['build']}"
    runtime_files = [
        site / "assets" / "pyodide" / name
        for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
    ]
    runtime_files += [
        site / "assets" / manifest["pyodide"]["stdlib"],
        site / "assets" / manifest["wheel"],
    ]
    runtime_urls = [f.relative_to(site).as_posix() for f in runtime_files]
    runtime_urls[-1] += version  # the worker asks for the wheel with the build's version
    exercises = site / "assets" / "exercises"
    course = []
    for path in shipped_files(site):
        rel = path.relative_to(site).as_posix()
        if path in runtime_files or rel == "404.html":
            continue
        if path.parent == exercises:
            course.append(rel + version)  # as the worker asks for them
        elif path.name == "index.html":
            course.append(page_url(rel))
        else:
            course.append(rel)
    return {
        "build": _digest(site, shipped_files(site)),
        "runtime": _digest(site, runtime_files),
        "course": course,
        "runtime_urls": runtime_urls,
    }


def write_service_worker(site: Path, template: Path) -> dict[str, Any]:
    text = template.read_text(encoding="utf-8")
    filled = plan(site)
    for key, placeholder in _PLACEHOLDERS.items():
        if placeholder not in text:
            raise PluginError(f"{template}: placeholder {placeholder} is missing")
        text = text.replace(placeholder, json.dumps(filled[key], ensure_ascii=False))
    (site / SW_NAME).write_text(text, encoding="utf-8")
    return filled


def write_web_manifest(site: Path, config: MkDocsConfig) -> None:
    images = site / "assets" / "images"
    images.mkdir(parents=True, exist_ok=True)
    for size in ICON_SIZES:
        icon = images / f"icone-{size}.png"
        if not icon.is_file():  # drawn once per site directory: the drawing does not change
            icon.write_bytes(icon_png(size))
    data = json.dumps(web_manifest(config), ensure_ascii=False, indent=1) + "\n"
    (site / MANIFEST_NAME).write_text(data, encoding="utf-8")


def on_post_build(*, config: MkDocsConfig) -> None:
    site = Path(config.site_dir)
    write_web_manifest(site, config)  # first: the build hash covers it
    write_service_worker(site, Path(config.docs_dir) / SW_NAME)
