"""The reference matcher: patterns matched token by token, by backtracking.

It is the readable statement of what a pattern means. The analyser runs the
regex translation of ``checker.patterns`` instead (several times faster);
``tests/test_matchers.py`` checks that both agree on every rule example.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..patterns import (
    NEGATION_PARTICLES,
    Choice,
    Gap,
    Node,
    Optional_,
    Pattern,
    SentenceStart,
    Word,
)
from ..text import BARRIER_WORDS, CLAUSE_PUNCT, SENTENCE_END, Token

_Stack = tuple[tuple[tuple[Node, ...], int], "_Stack"] | None


def match_at(pattern: Pattern, tokens: Sequence[Token], start: int) -> int:
    """End (exclusive) of a match of ``pattern`` starting at ``start``, or -1."""
    return _match(pattern.nodes, 0, tokens, start, None, not pattern.explicit_negation, True)


def accepts(node: Word, token: Token) -> bool:
    """Whether one token is one of the node's words, prefixes, suffixes or a number."""
    word = token.word
    return (
        word in node.words
        or not node.words.isdisjoint(token.fix)
        or (bool(node.prefixes) and word.startswith(node.prefixes))
        or (node.number and word.isdigit())
        or (bool(node.suffixes) and word.isalpha() and word.endswith(node.suffixes))
    )


def _is_barrier(token: Token, sentence_wide: bool) -> bool:
    if token.is_word:
        return not sentence_wide and token.word in BARRIER_WORDS
    if token.word[0] in SENTENCE_END:
        return True
    return not sentence_wide and token.word in CLAUSE_PUNCT


def _match(
    seq: tuple[Node, ...],
    k: int,
    tokens: Sequence[Token],
    i: int,
    stack: _Stack,
    skip_negation: bool,
    first: bool,
) -> int:
    """Match ``seq[k:]`` then the frames on ``stack``; return the end or -1."""
    while True:
        if k == len(seq):
            if stack is None:
                return i
            (seq, k), stack = stack
            continue
        node = seq[k]
        if isinstance(node, Word):
            if i < len(tokens) and accepts(node, tokens[i]):
                i, k, first = i + 1, k + 1, False
                continue
            # Negation particles may sit inside a match; polarity is judged later.
            skipped = 0
            while (
                skip_negation
                and not first
                and skipped < 3
                and i < len(tokens)
                and tokens[i].word in NEGATION_PARTICLES
            ):
                i, skipped = i + 1, skipped + 1
            if skipped and i < len(tokens) and accepts(node, tokens[i]):
                i, k, first = i + 1, k + 1, False
                continue
            return -1
        if isinstance(node, SentenceStart):
            if i >= len(tokens) or (i > 0 and tokens[i - 1].sentence == tokens[i].sentence):
                return -1
            k += 1
            continue
        if isinstance(node, Optional_):
            end = _match(node.body, 0, tokens, i, ((seq, k + 1), stack), skip_negation, first)
            if end >= 0:
                return end
            k += 1
            continue
        if isinstance(node, Choice):
            for option in node.options:
                end = _match(option, 0, tokens, i, ((seq, k + 1), stack), skip_negation, first)
                if end >= 0:
                    return end
            return -1
        assert isinstance(node, Gap)
        for extra in range(node.most + 1):  # shortest gap first
            if extra and (
                i + extra - 1 >= len(tokens)
                or _is_barrier(tokens[i + extra - 1], node.sentence_wide)
            ):
                break
            end = _match(seq, k + 1, tokens, i + extra, stack, skip_negation, first)
            if end >= 0:
                return end
        return -1
