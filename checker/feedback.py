"""The result contract: every French sentence about a grade, and the JSON the page renders.

The page (``docs/assets/javascripts/``) shows these strings as they are, never
rewording them, and the command line prints the same ones: the verdict, the
score and the statuses are worded once, here.
"""

from __future__ import annotations

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
# The status line for a reply that was not graded, by the id of its only criterion.
NOT_GRADED = {
    "empty": "Votre réponse est vide.",
    "language": "Votre réponse n'est pas en français.",
}


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
    """What to do next, in one sentence (never the score again)."""
    if result.empty:
        return result.criteria[0].message if result.criteria else ""
    if result.passed:
        return PASSED_ADVICE
    first = next((c for c in result.criteria if not c.ok), None)
    return f"À revoir d'abord : {first.label}." if first else ""


def announcement(result: Result) -> str:
    """What the status line says (a screen reader hears it) once the reply is graded."""
    if result.empty:
        return NOT_GRADED.get(result.criteria[0].id if result.criteria else "", NOT_GRADED["empty"])
    return f"Réponse vérifiée. {headline(result)}."


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
        "criteria": [criterion(c) for c in result.criteria],
    }
