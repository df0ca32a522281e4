"""The words shown as evidence of a good move or criterion never include a pitfall's.

The learned layer points at the sentence that weighs most for what it found;
when that sentence also holds a pitfall (« Vous avez mal lu : 384 €, c'est le
total annuel »), praising it whole would quote the pitfall as a strength. The
span is cut around the pitfall; a sentence that is nothing but the pitfall
(« Vous n'aviez qu'à venir avant ») is no evidence at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .text import Token

# Fewer words than this left beside a pitfall are no evidence of anything.
MIN_WORDS = 3
# A pitfall that many exercises accept (« je ne peux pas… ») does not void the words around it.
TOLERABLE_PITFALLS = frozenset({"cannot"})


def voiding_spans(
    finds: Iterable[tuple[str, int, int]], pitfalls: frozenset[str]
) -> list[tuple[int, int]]:
    """Character spans of the ``(move, start, end)`` finds whose words praise nothing."""
    voiding = pitfalls - TOLERABLE_PITFALLS
    return [(start, end) for move, start, end in finds if move in voiding]


def clear_of(
    span: tuple[int, int], avoid: Iterable[tuple[int, int]], tokens: Sequence[Token]
) -> tuple[int, int] | None:
    """The longest part of ``span`` outside every ``avoid`` span, or None if too short."""
    pieces = [span]
    for a_start, a_end in avoid:
        cut: list[tuple[int, int]] = []
        for start, end in pieces:
            if a_end <= start or a_start >= end:
                cut.append((start, end))
                continue
            if start < a_start:
                cut.append((start, a_start))
            if a_end < end:
                cut.append((a_end, end))
        pieces = cut
    best: tuple[int, int] | None = None
    best_count = 0
    for start, end in pieces:
        words = [t for t in tokens if t.is_word and t.start >= start and t.end <= end]
        if len(words) > best_count:
            best, best_count = (words[0].start, words[-1].end), len(words)
    return best if best_count >= MIN_WORDS else None
