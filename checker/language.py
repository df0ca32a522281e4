"""Tell a reply written in another language from a French one (franglais stays French)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from .text import Token

_DATA = Path(__file__).with_name("data") / "languages.json"
NAMES = {"en": "en anglais", "es": "en espagnol"}
MIN_FOREIGN_WORDS = 3

_words: dict[str, frozenset[str]] | None = None


def _lists() -> dict[str, frozenset[str]]:
    global _words
    if _words is None:
        data = json.loads(_DATA.read_text(encoding="utf-8"))
        _words = {lang: frozenset(data[lang].split()) for lang in ("fr", *NAMES)}
    return _words


def foreign_language(tokens: Sequence[Token]) -> str | None:
    """``en`` or ``es`` when that language's common words clearly outnumber French ones."""
    lists = _lists()
    words = [t.word for t in tokens if t.is_word]
    french = sum(1 for w in words if w in lists["fr"])
    for lang in NAMES:
        count = sum(1 for w in words if w in lists[lang] and w not in lists["fr"])
        if count >= MIN_FOREIGN_WORDS and count > 2 * french:
            return lang
    return None
