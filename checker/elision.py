"""Elisions typed without their apostrophe: « jai », « cest », « m expliquerez ».

Learners drop the apostrophe, glue the two words (« jentends », « lannee »,
« daccord ») or leave a space (« j ai », « l echeancier »). The matcher reads
« j'ai » as ``je ai``; this module gives the same two words to the other
spellings, so that every rule written for « j'ai » reads « jai » too.

A glued word is split only when it is not a word the rules know, its remainder
starts with a vowel or « h », and the remainder is a word the rules know; each
elided letter asks for a remainder long enough that a real French word is not
cut (« deux » is no d'« eux », « sans » no s'« ans », « lavez » no l'« avez »).
"""

from __future__ import annotations

from collections.abc import Collection

from .text import ELISIONS, Token

_VOWELS = frozenset("aeiouyh")
# Elided letter -> shortest remainder that may be glued to it.
_GLUED_MIN_REMAINDER = {"j": 2, "m": 3, "n": 3, "d": 4, "t": 4, "s": 4, "l": 5}
# « c » is glued only to the forms of « être » (« cest », « cetait »): « ceux »
# and « cela » are words.
_GLUED_TO_C = frozenset({"est", "etait", "etaient", "etais"})
# A letter left alone before a word: « j ai », « m expliquerez », « c est ».
_SPACED = frozenset({"j", "m", "l", "n", "d", "t", "s", "c", "qu"})


def unglue(tokens: list[Token], vocabulary: Collection[str]) -> list[Token]:
    """``tokens`` with glued and spaced elisions read as the two words they stand for."""
    out: list[Token] = []
    for index, token in enumerate(tokens):
        if not token.is_word:
            out.append(token)
            continue
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if (
            token.word in _SPACED
            and following is not None
            and following.is_word
            and following.start == token.end + 1
            and following.word[:1] in _VOWELS
            and (token.word != "c" or following.word in _GLUED_TO_C)  # « c » alone is « c'est »
        ):
            token.word = (
                "si"
                if token.word == "s" and following.word in ("il", "ils")
                else (ELISIONS[token.word])
            )
            out.append(token)
            continue
        split = _glued(token.word, vocabulary)
        if split is None:
            out.append(token)
            continue
        letter, rest = split
        cut = token.start + len(letter)
        out.append(_part(token, ELISIONS[letter], token.start, cut))
        out.append(_part(token, rest, cut, token.end))
    return out


def _glued(word: str, vocabulary: Collection[str]) -> tuple[str, str] | None:
    """(elided letter, remainder) if ``word`` reads as two glued words, else None."""
    if len(word) < 3:
        return None
    letter, rest = word[0], word[1:]
    if letter == "c" and rest in _GLUED_TO_C:  # « cest » may be a rule's own spelling, too
        return letter, rest
    if word in vocabulary:
        return None
    if rest[0] not in _VOWELS or rest not in vocabulary:
        return None
    shortest = _GLUED_MIN_REMAINDER.get(letter)
    if shortest is None or len(rest) < shortest:
        return None
    return letter, rest


def _part(token: Token, word: str, start: int, end: int) -> Token:
    return Token(
        word,
        start,
        end,
        token.sentence,
        token.clause,
        True,
        token.upper,
        token.quoted,
        token.recounted,
    )
