"""Turn a reply into tokens that keep their offsets in the reader's text.

Matching works on folded words (lower case, accents removed, elisions
expanded) while every token remembers where it stands in the original text,
so that a match can be highlighted in the reader's own words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Words, with combining accents (decomposed input) and inner apostrophes kept
# together so that elisions can be split by meaning below; punctuation that
# bounds sentences, clauses and quotes is kept as tokens of its own.
#
# Word characters are listed, not taken from ``\w``: CPython and Pyodide ship
# different Unicode versions, and a character one of them knows as a letter
# must not make the two graders disagree. French needs Latin letters only.
WORD_CHARS = "0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff\u0300-\u036f"
_TOKEN_RE = re.compile(
    f"[{WORD_CHARS}]+(?:['’ʼ‘´`′][{WORD_CHARS}]+)*['’ʼ‘´`′]?"
    r"|[.!?…]+|[,;:()«»“”\"\n%€$]"
)
_PUNCTUATION = frozenset('.!?…,;:()«»“”"\n%€$')
_APOSTROPHES = re.compile(r"['’ʼ‘´`′]")

# Elided forms and the full word they stand for.
ELISIONS = {
    "l": "le",
    "j": "je",
    "n": "ne",
    "c": "ce",
    "qu": "que",
    "d": "de",
    "m": "me",
    "t": "te",
    "s": "se",
    "jusqu": "jusque",
    "lorsqu": "lorsque",
    "puisqu": "puisque",
    "quoiqu": "quoique",
    "presqu": "presque",
}

SENTENCE_END = frozenset({".", "!", "?", "…", "\n"})
CLAUSE_PUNCT = frozenset({",", ";", ":", "(", ")"})
QUOTE_OPEN = frozenset({"«", "“"})
QUOTE_CLOSE = frozenset({"»", "”"})
# Words that open a new clause: gaps and negation do not reach across them.
BARRIER_WORDS = frozenset(
    {"mais", "car", "donc", "parce", "puisque", "cependant", "pourtant", "toutefois", "sinon"}
)

_fold_cache: dict[str, str] = {}


def fold(word: str) -> str:
    """Lower-case ``word`` and strip its accents (``Désolée`` -> ``desolee``)."""
    cached = _fold_cache.get(word)
    if cached is not None:
        return cached
    decomposed = unicodedata.normalize("NFD", word.casefold())
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = folded.replace("œ", "oe").replace("æ", "ae")
    if len(_fold_cache) < 50_000:
        _fold_cache[word] = folded
    return folded


@dataclass(slots=True)
class Token:
    """One word or punctuation mark of the reply."""

    word: str  # folded form used for matching
    start: int  # offsets into the original text
    end: int
    sentence: int  # index of the sentence holding the token
    clause: int  # index of the clause holding the token
    is_word: bool
    upper: bool = False  # written in capitals (two letters or more)
    quoted: bool = False  # inside quotation marks or reported speech
    recounted: bool = False  # the customer's account restated (« si j'ai bien compris, … »)
    fix: tuple[str, ...] = ()  # pattern words one typo away, when the word is unknown


def split_word(raw: str) -> list[tuple[str, int, int]]:
    """Split a raw word at its elisions: ``qu'il`` -> ``que``, ``il``.

    Returns (folded word, start, end) with offsets relative to ``raw``.
    """
    parts: list[tuple[str, int, int]] = []
    pos = 0
    pieces = _APOSTROPHES.split(raw)
    for index, piece in enumerate(pieces):
        if not piece:
            continue
        folded = fold(piece)
        is_last = index == len(pieces) - 1
        end = pos + len(piece)
        if not folded:  # a lone combining mark: nothing to read
            pos = end + 1
            continue
        if not is_last and folded in ELISIONS:
            full = ELISIONS[folded]
            if (
                folded == "s"
                and index + 1 < len(pieces)
                and fold(pieces[index + 1]) in ("il", "ils")
            ):
                full = "si"
            parts.append((full, pos, end + 1))
        elif not is_last and parts == [] and index == 0:
            # A word with an inner apostrophe that is no elision: aujourd'hui.
            return [
                (fold(_APOSTROPHES.sub("'", raw.rstrip("'’ʼ‘´`′"))), 0, len(raw.rstrip("'’ʼ‘´`′")))
            ]
        else:
            parts.append((folded, pos, end))
        pos = end + 1
    return parts


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text`` with sentence, clause and quotation marks set."""
    tokens: list[Token] = []
    sentence = clause = 0
    for found in _TOKEN_RE.finditer(text):
        raw = found.group()
        start = found.start()
        first = raw[0]
        if first not in _PUNCTUATION:
            upper = raw.isupper() and sum(1 for c in raw if c.isalpha()) >= 2
            for word, rel_start, rel_end in split_word(raw):
                if word in BARRIER_WORDS:
                    clause += 1
                token = Token(
                    word, start + rel_start, start + rel_end, sentence, clause, True, upper
                )
                tokens.append(token)
            continue
        tokens.append(Token(raw, start, found.end(), sentence, clause, False))
        if raw[0] in SENTENCE_END:
            sentence += 1
            clause += 1
        elif raw in CLAUSE_PUNCT:
            clause += 1
    _mark_quotes(tokens)
    return tokens


def _mark_quotes(tokens: list[Token]) -> None:
    """Mark the words between paired quotation marks; a lone mark quotes nothing."""
    opened: int | None = None
    for index, token in enumerate(tokens):
        word = token.word
        if token.is_word:
            continue
        closes = word in QUOTE_CLOSE or (word == '"' and opened is not None)
        if opened is not None and (closes or word == "\n"):
            if closes:
                for inner in tokens[opened + 1 : index]:
                    inner.quoted = True
            opened = None
        elif word in QUOTE_OPEN or word == '"':
            opened = index
