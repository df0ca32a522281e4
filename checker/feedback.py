"""The result contract: every French sentence about a grade, and the JSON the page renders.

The page (``docs/assets/javascripts/``) shows these strings as they are, never
rewording them, and the command line prints the same ones: the verdict, the
score and the statuses are worded once, here.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .spans import utf16_converter

if TYPE_CHECKING:
    from .grader import CriterionResult, Result

PASSED, NOT_YET, EMPTY = "Réussi", "Pas encore", "Réponse vide"
STATUS_LABELS = {
    "found": "Acquis",
    "missing": "Manquant",
    "violated": "À corriger",
    "not_applicable": "Sans objet",
}
# Decoration beside the label (hidden from screen readers on the page).
STATUS_MARKS = {"found": "✓", "missing": "○", "violated": "✗", "not_applicable": "–"}
REQUIRED_NOTE = "indispensable"
PASSED_ADVICE = "Votre réponse coche l'essentiel pour ce client."
# A coach's feedback: a few comments, most important first, then what works.
MAX_COMMENTS = 3
MAX_STRENGTHS = 3
COMMENTS_TITLE = {True: "Pour aller plus loin", False: "À retravailler en priorité"}
STRENGTHS_TITLE = "Ce qui fonctionne déjà"
# A quote of the reader's words longer than this is cut at a word boundary.
QUOTE_MAX = 90
# The status line for a reply that was not graded, by the id of its only criterion.
NOT_GRADED = {
    "empty": "Votre réponse est vide.",
    "language": "Votre réponse n'est pas en français.",
}


# The checker's own sentences name the customer « le client »; said to a reader
# whose customer is a woman, each noun phrase becomes « la cliente ». Those
# sentences keep no pronoun or agreement that would still be masculine.
_FEMININE = re.compile(r"\b(le|du|au|ce|un) client\b", re.IGNORECASE)
_FEMININE_FORMS = {"le": "la", "du": "de la", "au": "à la", "ce": "cette", "un": "une"}


def for_her(text: str) -> str:
    """``text`` about a female customer: « le client » -> « la cliente », and so on."""

    def feminine(match: re.Match[str]) -> str:
        article = match.group(1)
        form = _FEMININE_FORMS[article.lower()]
        if article[0].isupper():
            form = form[0].upper() + form[1:]
        return f"{form} cliente"

    return _FEMININE.sub(feminine, text)


def verdict(result: Result) -> str:
    """The verdict in a word or two."""
    if result.empty:
        return EMPTY if result.criteria and result.criteria[0].id == "empty" else NOT_YET
    return PASSED if result.passed else NOT_YET


def score_text(result: Result) -> str:
    """The score and the pass mark: the one sentence that words the number."""
    return (
        f"score : {result.score} sur 100 "
        f"(il faut {result.pass_score} et tous les points indispensables)"
    )


def headline(result: Result) -> str:
    """The verdict line: « Pas encore — score : 40 sur 100 (il faut 60 …) »."""
    return f"{verdict(result)} — {score_text(result)}"


def advice(result: Result) -> str:
    """One sentence under the verdict for a passed or ungraded reply (never the score
    again); a failed reply gets its comments instead."""
    if result.empty:
        return result.criteria[0].message if result.criteria else ""
    if not result.passed:
        return ""
    return for_her(PASSED_ADVICE) if result.feminine else PASSED_ADVICE


def announcement(result: Result) -> str:
    """What the status line says (a screen reader hears it) once the reply is graded.

    The verdict line itself labels the result box, which takes the focus: it is
    not printed a second time here."""
    if result.empty:
        return NOT_GRADED.get(result.criteria[0].id if result.criteria else "", NOT_GRADED["empty"])
    return "Réponse vérifiée : le résultat s'affiche ci-dessous."


def quote(result: Result, criterion: CriterionResult) -> str:
    """The reader's own words behind a criterion (its first span), or ''."""
    if not criterion.spans:
        return ""
    start, end = criterion.spans[0]
    words = " ".join(result.text[start:end].split())
    if len(words) <= QUOTE_MAX:
        return words
    cut = words[:QUOTE_MAX].rsplit(" ", 1)[0] or words[:QUOTE_MAX]
    return cut + " …"


def comments(result: Result) -> list[dict[str, str]]:
    """At most three things to work on, most important first (the criteria's order)."""
    if result.empty:
        return []
    todo = [c for c in result.criteria if c.status in ("missing", "violated")]
    return [_note(result, c) for c in todo[:MAX_COMMENTS]]


def strengths(result: Result) -> list[dict[str, str]]:
    """At most three things done well: those the reader's words show first."""
    if result.empty:
        return []
    found = [c for c in result.criteria if c.status == "found"]
    shown = sorted(found, key=lambda c: not c.spans)  # stable: keeps the criteria's order
    return [_note(result, c) for c in shown[:MAX_STRENGTHS]]


def _note(result: Result, criterion: CriterionResult) -> dict[str, str]:
    return {
        "id": criterion.id,
        "label": criterion.label,
        "quote": quote(result, criterion),
        "message": criterion.message,
    }


def result_dict(result: Result) -> dict[str, Any]:
    """JSON-ready form, as the page reads it; spans carry UTF-16 offsets."""
    to16 = utf16_converter(result.text)

    def span(start: int, end: int) -> dict[str, Any]:
        return {"start16": to16(start), "end16": to16(end), "text": result.text[start:end]}

    def criterion(c: CriterionResult) -> dict[str, Any]:
        return {
            "id": c.id,
            "label": c.label,
            "status": c.status,
            "status_label": STATUS_LABELS[c.status],
            "mark": STATUS_MARKS[c.status],
            "required_note": REQUIRED_NOTE if c.required else "",
            "message": c.message,
            "spans": [span(s, e) for s, e in c.spans],
            "rules": c.rules,
            "moves": list(c.moves),
        }

    return {
        "score": result.score,
        "passed": result.passed,
        "empty": result.empty,
        "verdict": verdict(result),
        "score_text": score_text(result),
        "advice": advice(result),
        "announcement": announcement(result),
        "comments_title": COMMENTS_TITLE[result.passed],
        "comments": comments(result),
        "strengths_title": STRENGTHS_TITLE,
        "strengths": strengths(result),
        "criteria": [criterion(c) for c in result.criteria],
    }
