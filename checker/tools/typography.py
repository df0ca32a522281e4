"""French typography for what a reader sees: non-breaking spaces where a line must not break.

The lessons are written with them; exercise authors type ordinary spaces, and
the exercises are typeset when they are loaded (site build, CLI, tests), so that
« 1 290 € », « 10 % », « M. Garnier » or « votre colère : » never break on a
phone. Replies, patterns and examples are left as they are: only texts shown to
readers are typeset.
"""

from __future__ import annotations

import copy
import re
from typing import Any

NBSP = "\u00a0"

# (pattern, replacement), applied in order; each puts a no-break space where a
# space (or none) was. Only ordinary spaces are replaced: line breaks stay.
_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    # Before the high punctuation marks and the closing guillemet: « colère : », « non ? ».
    (re.compile(r"(?<=\S) +(?=[:;!?»])"), NBSP),
    # After the opening guillemet.
    (re.compile(r"(?<=«) +"), NBSP),
    # Thousands: « 1 290 », « 3 000 ».
    (re.compile(r"(?<=\d) (?=\d{3}(?!\d))"), NBSP),
    # A phone number in pairs: « 04 78 21 36 90 ».
    (re.compile(r"(?<=\b\d\d) (?=\d\d\b)"), NBSP),
    # A number and its unit: « 34,90 € », « 10 % », « 8 h », « 20 min ».
    (re.compile(r"(?<=\d) (?=(?:€|%|h|min|km|kg|°)(?![\w]))"), NBSP),
    # A title and the name it goes with: « M. Garnier », « Mme Lefort ».
    (re.compile(r"(?<![\w.])(M\.|Mme|Mlle|Dr) (?=[A-ZÀ-Ý])"), rf"\1{NBSP}"),
)

# Fields of an exercise a reader sees (the widget, the model answer, the feedback).
_TEXT_FIELDS = ("title", "situation", "customer", "instruction")
_LIST_FIELDS = ("hints", "model_answers")
_CRITERION_FIELDS = ("label", "found", "missing", "violated")


def french_spacing(text: str) -> str:
    """``text`` with a no-break space wherever French typography wants one."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


def typeset_exercise(exercise: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``exercise`` whose reader-facing texts are typeset; the rest is unchanged."""
    out = copy.deepcopy(exercise)
    for key in _TEXT_FIELDS:
        if isinstance(out.get(key), str):
            out[key] = french_spacing(out[key])
    for key in _LIST_FIELDS:
        if isinstance(out.get(key), list):
            out[key] = [french_spacing(t) if isinstance(t, str) else t for t in out[key]]
    rubric = out.get("rubric")
    if isinstance(rubric, dict):
        if isinstance(rubric.get("specific_message"), str):
            rubric["specific_message"] = french_spacing(rubric["specific_message"])
        for criterion in rubric.get("criteria") or []:
            if not isinstance(criterion, dict):
                continue
            for key in _CRITERION_FIELDS:
                if isinstance(criterion.get(key), str):
                    criterion[key] = french_spacing(criterion[key])
    return out
