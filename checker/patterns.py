"""A small token-pattern language and its matcher.

Syntax (see ``checker/rules/README.md``):

- ``word``: one token; written as in French, accents and case ignored;
  ``c'est`` and ``calmez-vous`` stand for two tokens.
- ``word*``: any token starting with ``word`` (three letters at least).
- ``a|b|c``: one of several words or word sequences.
- ``( ... )``: a group; ``|`` inside separates alternative sequences.
- ``x?``: ``x`` is optional (a word or a group).
- ``..N``: up to N tokens of the same clause; ``...N``: of the same sentence.
- ``\\?``, ``\\!``, ``\\:``: a punctuation token.
- ``^``: the start of a sentence; ``#num``: a token made of digits.
- ``{NAME}``: the text of a ``define`` (expanded before parsing).
- a leading ``=``: match the tokens as written, with no negation handling.

Matching is linear in the reply: a pattern is only tried where its first
token can match, and it never looks further than its own bounded gaps.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from .text import BARRIER_WORDS, WORD_CHARS, Token, split_word

NEGATION_PARTICLES = frozenset({"ne", "pas", "plus", "jamais", "rien", "guere"})
# Bounds that keep matching linear in the reply: each start tries at most
# MAX_COST stretchings of the gaps (the rules need far less today).
MAX_GAP = 30
MAX_COST = 2_000
_LEXER = re.compile(r"\s*(\.\.\.?\d+|\\.|[()?^]|\|(?=[\s()])|[^\s()?\\]+)")


# A pattern that holds one of these words spells its negation out itself.
_SPELLED_NEGATION = NEGATION_PARTICLES | {"sans", "aucun", "aucune", "ni", "personne"}


def _spells_negation(nodes: tuple[Node, ...]) -> bool:
    """Whether the pattern writes a negation word itself (``ne? peux pas``)."""
    for node in nodes:
        if isinstance(node, Word) and not node.words.isdisjoint(_SPELLED_NEGATION):
            return True
        if isinstance(node, Optional_) and _spells_negation(node.body):
            return True
        if isinstance(node, Choice) and any(_spells_negation(option) for option in node.options):
            return True
    return False


class PatternError(ValueError):
    """A pattern that cannot be parsed, or that can never match."""


@dataclass(frozen=True, slots=True)
class Word:
    """One token: any of ``words`` or a token starting with one of ``prefixes``."""

    words: frozenset[str]
    prefixes: tuple[str, ...] = ()
    number: bool = False
    suffixes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SentenceStart:
    """Matches no token: succeeds where a sentence begins."""


@dataclass(frozen=True, slots=True)
class Optional_:
    body: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Choice:
    options: tuple[tuple[Node, ...], ...]


@dataclass(frozen=True, slots=True)
class Gap:
    most: int
    sentence_wide: bool


Node = Word | Optional_ | Choice | Gap | SentenceStart


@dataclass(slots=True)
class Pattern:
    """A compiled pattern with where it came from."""

    source: str
    nodes: tuple[Node, ...]
    name: str = ""
    explicit_negation: bool = False  # the pattern spells its own negation out
    check_negation: bool = True  # False: negation does not change this move
    first_words: frozenset[str] = field(default_factory=frozenset)
    first_prefixes: tuple[str, ...] = ()
    # Every match holds one of these words or prefixes (empty: no such guarantee).
    anchor_words: frozenset[str] = field(default_factory=frozenset)
    anchor_prefixes: tuple[str, ...] = ()
    max_length: int = 0  # most tokens a match can span
    at_sentence_start: bool = False  # may begin with ``^``: try it where sentences begin
    # Word sets of which every match holds one word each: a cheap test before matching.
    required: tuple[frozenset[str], ...] = ()
    _regex: re.Pattern[str] | None = field(default=None, repr=False, compare=False)

    def compiled(self) -> re.Pattern[str]:
        """The regular expression of the pattern, compiled on first use."""
        if self._regex is None:
            self._regex = re.compile(_regex(self.nodes, not self.explicit_negation, True)[0])
        return self._regex

    def match_text(self, text: TokenText, start: int) -> int:
        """Same as :meth:`match_at`, by a regular expression over the token text (fast)."""
        compiled = self._regex or self.compiled()
        found = compiled.match(text.string, text.starts[start])
        return text.token_end.get(found.end(), -1) if found else -1


class TokenText:
    """The tokens of a reply as one string, `` word word , word``, for the regex matcher.

    Each token is preceded by one space; a token with a typo stands as the word
    it was taken for; a line break stands as ``¶``.
    """

    __slots__ = ("starts", "string", "token_end")

    def __init__(self, tokens: Sequence[Token]) -> None:
        pieces: list[str] = []
        self.starts: list[int] = []
        self.token_end: dict[int, int] = {}
        position = 0
        for index, token in enumerate(tokens):
            word = token.fix[0] if token.fix else ("¶" if token.word == "\n" else token.word)
            if word in NEGATION_PARTICLES:
                word = "~" + word  # so that skipping them takes a short regex
            self.starts.append(position)
            pieces.append(" " + word)
            position += len(word) + 1
            self.token_end[position] = index + 1
        self.starts.append(position)
        self.string = "".join(pieces)


_NEGATION_SKIP = r"(?: ~[a-z]+){0,3}?"
_BARRIERS = "|".join(sorted(BARRIER_WORDS))
_CLAUSE_GAP = r"(?: (?!(?:" + _BARRIERS + r")(?= |$))[^ ,;:().!?…¶][^ ]*){0,%d}?"
_SENTENCE_GAP = r"(?: [^ .!?…¶][^ ]*){0,%d}?"


def _word_regex(node: Word) -> str:
    alternatives = [
        ("~" if word in NEGATION_PARTICLES else "") + re.escape(word)
        for word in sorted(node.words, key=len, reverse=True)
    ]
    alternatives += [r"~?" + re.escape(prefix) + r"[^ ]*" for prefix in node.prefixes]
    alternatives += [r"[^\W\d_]*" + re.escape(suffix) for suffix in node.suffixes]
    if node.number:
        alternatives.append(r"\d+")
    return " (?:" + "|".join(alternatives) + ")(?= |$)"


def _regex(nodes: tuple[Node, ...], skip_negation: bool, first: bool) -> tuple[str, bool]:
    """The regex of ``nodes`` and whether a word is still to come first."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, Word):
            parts.append(("" if first or not skip_negation else _NEGATION_SKIP) + _word_regex(node))
            first = False
        elif isinstance(node, SentenceStart):
            parts.append(r"(?<![^.!?…¶])")
        elif isinstance(node, Optional_):
            body, _ = _regex(node.body, skip_negation, first)
            parts.append(f"(?:{body})?")
        elif isinstance(node, Choice):
            options = [_regex(option, skip_negation, first) for option in node.options]
            parts.append("(?:" + "|".join(body for body, _ in options) + ")")
            first = first and any(still_first for _, still_first in options)
        else:
            parts.append((_SENTENCE_GAP if node.sentence_wide else _CLAUSE_GAP) % node.most)
    return "".join(parts), first


def expand_defines(source: str, defines: dict[str, str]) -> str:
    """Replace ``{NAME}`` by its definition (definitions may nest)."""
    for _ in range(5):
        if "{" not in source:
            return source
        source = re.sub(r"\{(\w+)\}", lambda m: _define(m.group(1), defines), source)
    raise PatternError("definitions nest too deeply (a define refers to itself?)")


def _define(name: str, defines: dict[str, str]) -> str:
    """A one-token define joins the surrounding ``a|b``; a longer one becomes a group."""
    if name not in defines:
        raise PatternError(f"unknown define {{{name}}}")
    body = defines[name]
    return body if not re.search(r"[\s()]", body) else f"({body})"


def compile_pattern(source: str, defines: dict[str, str] | None = None, name: str = "") -> Pattern:
    """Parse ``source`` into a :class:`Pattern`; raise :class:`PatternError` if invalid."""
    literal = source.startswith("=")
    text = expand_defines(source[1:] if literal else source, defines or {})
    lexemes = [m.group(1) for m in _LEXER.finditer(text)]
    if "".join(lexemes).replace(" ", "") != re.sub(r"\s+", "", text):
        raise PatternError(f"cannot read pattern: {source!r}")
    parser = _Parser(_split_edge_bars(lexemes), source)
    nodes = parser.sequence()
    if parser.pos != len(parser.lexemes):
        raise PatternError(f"unbalanced ')' in pattern: {source!r}")
    if not nodes:
        raise PatternError("empty pattern")
    if isinstance(nodes[0], Gap) or isinstance(nodes[-1], Gap | SentenceStart):
        raise PatternError(f"a pattern cannot start or end with a gap: {source!r}")
    if _cost(nodes) > MAX_COST:
        raise PatternError(
            f"pattern too costly to match (its gaps multiply to over {MAX_COST}): "
            f"use fewer or shorter gaps: {source!r}"
        )
    words, prefixes, nullable = _first_set(nodes)
    if nullable:
        raise PatternError(f"pattern can match nothing at all: {source!r}")
    anchor = _anchor(nodes)
    anchor_words, anchor_prefixes = anchor[1] if anchor else (set(), set())
    return Pattern(
        source=source,
        nodes=nodes,
        name=name,
        explicit_negation=literal or _spells_negation(nodes),
        check_negation=not literal,
        first_words=frozenset(words),
        first_prefixes=tuple(sorted(prefixes)),
        anchor_words=frozenset(anchor_words),
        anchor_prefixes=tuple(sorted(anchor_prefixes)),
        max_length=_max_length(nodes),
        at_sentence_start=_leads_with_start(nodes),
        required=tuple(
            node.words
            for node in nodes
            if isinstance(node, Word)
            and node.words
            and not (node.prefixes or node.number or node.suffixes)
        ),
    )


def _split_edge_bars(lexemes: list[str]) -> list[str]:
    """A ``|`` glued to a group or an escape separates sequences: ``(a b)|c``."""
    result: list[str] = []
    for lexeme in lexemes:
        lead = lexeme != "|" and lexeme.startswith("|")
        trail = lexeme != "|" and lexeme.endswith("|") and not lexeme.startswith("\\")
        core = lexeme[1 if lead else 0 : len(lexeme) - 1 if trail else len(lexeme)]
        result += ["|"] * lead + ([core] if core else []) + ["|"] * trail
    return result


class _Parser:
    def __init__(self, lexemes: list[str], source: str) -> None:
        self.lexemes = lexemes
        self.pos = 0
        self.source = source

    def _peek(self) -> str | None:
        return self.lexemes[self.pos] if self.pos < len(self.lexemes) else None

    def sequence(self) -> tuple[Node, ...]:
        """Items up to ')' or end; '|' between items makes alternatives."""
        options: list[tuple[Node, ...]] = []
        current: list[Node] = []
        while (lexeme := self._peek()) is not None and lexeme != ")":
            if lexeme == "|":
                self.pos += 1
                options.append(tuple(current))
                current = []
                continue
            current.extend(self.item())
        options.append(tuple(current))
        if len(options) == 1:
            return options[0]
        if any(not option for option in options):
            raise PatternError(f"empty alternative in pattern: {self.source!r}")
        return (Choice(tuple(options)),)

    def item(self) -> list[Node]:
        lexeme = self.lexemes[self.pos]
        self.pos += 1
        if lexeme == "(":
            body = self.sequence()
            if self._peek() != ")":
                raise PatternError(f"missing ')' in pattern: {self.source!r}")
            self.pos += 1
            nodes: list[Node] = list(body)
        elif lexeme == "?":
            raise PatternError(f"'?' must follow a word or a group: {self.source!r}")
        elif lexeme.startswith(".."):
            sentence_wide = lexeme.startswith("...")
            digits = lexeme.lstrip(".")
            if len(digits) > 3 or not 1 <= int(digits) <= MAX_GAP:
                raise PatternError(
                    f"a gap spans 1 to {MAX_GAP} tokens, not {digits}: {self.source!r}"
                )
            if self.pos < len(self.lexemes) and self.lexemes[self.pos].startswith(".."):
                raise PatternError(f"two gaps in a row: write one gap: {self.source!r}")
            return [Gap(int(digits), sentence_wide)]
        elif lexeme == "^":
            return [SentenceStart()]
        elif lexeme == "#num":
            nodes = [Word(frozenset(), (), number=True)]
        elif lexeme.startswith("\\"):
            nodes = [Word(frozenset({lexeme[1:]}))]
        else:
            nodes = self._words(lexeme)
        if self._peek() == "?":
            self.pos += 1
            return [Optional_(tuple(nodes))]
        return nodes

    def _words(self, lexeme: str) -> list[Node]:
        """``a|b*|c'est``: one token among words and prefixes, or a choice of sequences."""
        singles: set[str] = set()
        prefixes: list[str] = []
        suffixes: list[str] = []
        number = False
        sequences: list[tuple[Node, ...]] = []
        for alternative in lexeme.split("|"):
            if alternative.startswith("*"):
                if len(alternative) < 2 or not alternative[1:].isalpha():
                    raise PatternError(
                        f"suffix '{alternative}' needs one letter or more: {self.source!r}"
                    )
                suffixes.append(alternative[1:])
                continue
            prefix = alternative.endswith("*")
            parts = re.split(r"[-_]", alternative.rstrip("*"))
            pieces = [w for part in parts for w, _, _ in split_word(part)]
            if not pieces:
                raise PatternError(f"empty word in pattern: {self.source!r}")
            if prefix and len(pieces[-1]) < 3:
                raise PatternError(
                    f"prefix '{pieces[-1]}*' is shorter than three letters: {self.source!r}"
                )
            if len(pieces) == 1 and pieces[0] == "#num":
                number = True
                continue
            for piece in pieces:
                if piece != "#num" and not _PRODUCIBLE.fullmatch(piece):
                    raise PatternError(
                        f"'{piece}' can never match: the tokens of a reply are words without "
                        f"punctuation or symbols (write \\, for a comma): {self.source!r}"
                    )
            if len(pieces) == 1:
                (prefixes.append if prefix else singles.add)(pieces[0])
                continue
            nodes: list[Node] = [_literal(piece) for piece in pieces]
            if prefix:
                nodes[-1] = Word(frozenset(), (pieces[-1],))
            sequences.append(tuple(nodes))
        single = Word(frozenset(singles), tuple(prefixes), number, tuple(suffixes))
        if not sequences:
            return [single]
        options = (
            [*sequences, (single,)] if singles or prefixes or number or suffixes else sequences
        )
        return [Choice(tuple(options))]


# Words so common that anchoring a pattern on them saves nothing.
_COMMON = frozenset(
    (
        "je j tu il elle on nous vous ils elles ce c est de d du des le la les l un une a au aux "
        "en y que qu qui ne n pas me m te t se s si et mais ou votre vos notre nos mon ma mes ton "
        "ta son sa ses leur lui pour par avec sur dans tout tres bien plus #num est sont ai avez "
        "avons ete etait fait faire ca cela comme moi toi eux rien jamais . , ? ! : ;"
    ).split()
)


def _anchor(nodes: tuple[Node, ...]) -> tuple[int, tuple[set[str], set[str]]] | None:
    """The cheapest set of words/prefixes that every match of ``nodes`` contains."""
    best: tuple[int, tuple[set[str], set[str]]] | None = None
    for node in nodes:
        candidate: tuple[int, tuple[set[str], set[str]]] | None = None
        if isinstance(node, Word) and not node.number and not node.suffixes:
            words, prefixes = set(node.words), set(node.prefixes)
            cost = len(words) + 3 * len(prefixes) + 100 * len((words | prefixes) & _COMMON)
            candidate = (cost, (words, prefixes))
        elif isinstance(node, Choice):
            parts = [_anchor(option) for option in node.options]
            if all(part is not None for part in parts):
                words, prefixes = set(), set()
                cost = 0
                for part in parts:
                    assert part is not None
                    cost += part[0]
                    words |= part[1][0]
                    prefixes |= part[1][1]
                candidate = (cost, (words, prefixes))
        if candidate and (best is None or candidate[0] < best[0]):
            best = candidate
    return best


def _leads_with_start(nodes: tuple[Node, ...]) -> bool:
    head = nodes[0]
    if isinstance(head, SentenceStart):
        return True
    if isinstance(head, Choice):
        return any(_leads_with_start(option) for option in head.options)
    return isinstance(head, Optional_) and _leads_with_start(head.body)


def _cost(nodes: tuple[Node, ...]) -> int:
    """How many ways a match can stretch its gaps: the regex tries about that many per start."""
    total = 1
    for node in nodes:
        if isinstance(node, Gap):
            total *= node.most + 1
        elif isinstance(node, Optional_):
            total *= _cost(node.body)
        elif isinstance(node, Choice):
            total *= max(_cost(option) for option in node.options)
    return total


def _max_length(nodes: tuple[Node, ...]) -> int:
    """An upper bound of the tokens a match spans (negation particles included)."""
    total = 0
    for node in nodes:
        if isinstance(node, Word):
            total += 1 + 3
        elif isinstance(node, Gap):
            total += node.most
        elif isinstance(node, Optional_):
            total += _max_length(node.body)
        elif isinstance(node, Choice):
            total += max(_max_length(option) for option in node.options)
    return total


# What a word token of a reply can be, once folded (see ``text.tokenize``).
_PRODUCIBLE = re.compile(f"[{WORD_CHARS}]+(?:'[{WORD_CHARS}]+)*|[.!?…]+|[,;:()«»“”\"%€$]")


def _literal(piece: str) -> Word:
    return Word(frozenset(), (), number=True) if piece == "#num" else Word(frozenset({piece}))


def _first_set(nodes: tuple[Node, ...]) -> tuple[set[str], set[str], bool]:
    """Words and prefixes a match can start with, and whether ``nodes`` may match nothing."""
    words: set[str] = set()
    prefixes: set[str] = set()
    for node in nodes:
        if isinstance(node, Word):
            if node.suffixes:
                raise PatternError("a word given by its ending (*able) cannot start a pattern")
            words |= node.words | ({"#num"} if node.number else set())
            prefixes |= set(node.prefixes)
            return words, prefixes, False
        if isinstance(node, Gap | SentenceStart):
            continue
        if isinstance(node, Optional_):
            sub_words, sub_prefixes, _ = _first_set(node.body)
            words |= sub_words
            prefixes |= sub_prefixes
            continue
        nullable = False
        for option in node.options:
            sub_words, sub_prefixes, sub_nullable = _first_set(option)
            words |= sub_words
            prefixes |= sub_prefixes
            nullable = nullable or sub_nullable
        if not nullable:
            return words, prefixes, False
    return words, prefixes, True


def literal_words(nodes: tuple[Node, ...]) -> Iterator[str]:
    """Every literal word of ``nodes`` (for the typo index)."""
    for node in nodes:
        if isinstance(node, Word):
            yield from node.words
        elif isinstance(node, Optional_):
            yield from literal_words(node.body)
        elif isinstance(node, Choice):
            for option in node.options:
                yield from literal_words(option)


def render(nodes: tuple[Node, ...]) -> str:
    """Pattern syntax for ``nodes`` (defines expanded), for messages and ``explain``."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, Word):
            words = [*sorted(node.words), *(p + "*" for p in node.prefixes)]
            words += ["*" + s for s in node.suffixes] + (["#num"] if node.number else [])
            parts.append("|".join(words))
        elif isinstance(node, Gap):
            parts.append(("..." if node.sentence_wide else "..") + str(node.most))
        elif isinstance(node, SentenceStart):
            parts.append("^")
        elif isinstance(node, Optional_):
            body = render(node.body)
            parts.append(f"{body}?" if len(node.body) == 1 else f"({body})?")
        elif isinstance(node, Choice):
            parts.append("( " + " | ".join(render(option) for option in node.options) + " )")
    return " ".join(parts)
