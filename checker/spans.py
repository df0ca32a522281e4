"""Offsets for the browser: JavaScript strings count UTF-16 code units."""

from __future__ import annotations

from collections.abc import Callable


def utf16_converter(text: str) -> Callable[[int], int]:
    """A function mapping a code-point offset of ``text`` to its UTF-16 offset."""
    if text.isascii() or max(text, default="\0") < "\U00010000":
        return lambda offset: offset
    prefix = [0]
    for char in text:
        prefix.append(prefix[-1] + (2 if ord(char) > 0xFFFF else 1))
    return lambda offset: prefix[offset]
