"""The Content-Security-Policy ``<meta>`` of every page (``overrides/main.html``).

The template carries two tokens; ``apply_csp`` replaces them with the hashes
of every inline script and style of the built site, so that no
``'unsafe-inline'`` is needed outside ``mkdocs serve``.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

CSP_SCRIPT_TOKEN = "__CSP_SCRIPT_HASHES__"
CSP_STYLE_TOKEN = "__CSP_STYLE_HASHES__"

_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
_STYLE = re.compile(r"<style(?P<attrs>[^>]*)>(?P<body>.*?)</style>", re.S | re.I)
_STYLE_ATTR = re.compile(r"""<[a-zA-Z][^>]*?\sstyle=(?P<q>["'])(?P<value>.*?)(?P=q)""", re.S)

_JS_TYPES = {"module", "text/javascript", "application/javascript"}


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
