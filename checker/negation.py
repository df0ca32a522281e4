"""Is a match negated? French negation with its pseudo-negations.

Spoken French drops « ne », so the second particle (« pas », « jamais »,
« rien »…) is the signal; « ne » alone (« je ne peux que vous remercier »)
restricts rather than negates. Pseudo-negations such as « pas de souci » or
« n'hésitez pas » look negative and are not.
"""

from __future__ import annotations

from collections.abc import Sequence

from .text import Token

NEGATORS = frozenset({"pas", "jamais", "rien", "guere", "aucun", "aucune", "ni", "sans", "plus"})
# Words after a negator that turn it into a pseudo-negation.
_PSEUDO_AFTER = {
    "pas": frozenset({"mal", "seulement", "uniquement", "encore", "forcement"}),
    "sans": frozenset(
        {
            "doute",
            "faute",
            "souci",
            "probleme",
            "frais",
            "attendre",
            "delai",
            "interruption",
            "hesiter",
            "oublier",
            "compter",
        }
    ),
    "aucun": frozenset({"souci", "probleme", "doute"}),
    "aucune": frozenset({"inquietude", "difficulte"}),
    "rien": frozenset({"ne"}),  # « rien ne vous empêche » opens an option
}
_PSEUDO_PAIRS = frozenset(
    {("de", "souci"), ("de", "soucis"), ("de", "probleme"), ("de", "quoi"), ("du", "tout")}
)
_BEFORE_WINDOW = 5


def is_negator(tokens: Sequence[Token], index: int) -> bool:
    """Whether the token at ``index`` negates what follows or precedes it."""
    word = tokens[index].word
    if word not in NEGATORS:
        return False
    following = tokens[index + 1].word if index + 1 < len(tokens) else ""
    if following in _PSEUDO_AFTER.get(word, ()):
        return False
    if word == "pas":
        after_next = tokens[index + 2].word if index + 2 < len(tokens) else ""
        if (following, after_next) in _PSEUDO_PAIRS:
            return False
        previous = tokens[index - 1].word if index > 0 else ""
        if previous.startswith("hesit") or previous == "non":
            return False
    if word == "plus":
        # « plus » negates only with « ne » before it: « ne ... plus ».
        clause = tokens[index].clause
        lower = max(0, index - 4)
        return any(
            tokens[j].word == "ne" and tokens[j].clause == clause for j in range(lower, index)
        )
    # « de rien » thanks, it negates nothing.
    return not (word == "rien" and index > 0 and tokens[index - 1].word == "de")


def is_negated(tokens: Sequence[Token], start: int, end: int, inside: bool = True) -> bool:
    """A match over ``tokens[start:end]`` sits under a negation of its clause.

    With ``inside=False`` (patterns that spell their own negation out), only a
    negation before the match counts: « je ne dis pas que vous avez mal lu ».
    """
    clause = tokens[start].clause
    if not inside:
        return any(
            tokens[j].clause == clause and tokens[j].word != "ne" and is_negator(tokens, j)
            for j in range(max(0, start - _BEFORE_WINDOW), start)
        )
    if any(is_negator(tokens, j) for j in range(start + 1, end)):
        return True
    for j in range(start - 1, max(-1, start - 1 - _BEFORE_WINDOW), -1):
        if tokens[j].clause != clause:
            break
        if is_negator(tokens, j):
            return True
    if (
        end < len(tokens)
        and tokens[end].clause == clause
        and tokens[end].word in ("pas", "jamais", "rien")
    ):
        return is_negator(tokens, end)
    return False
