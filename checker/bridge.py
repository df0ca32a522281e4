"""The one door between the page and the grader: JSON text in, JSON text out.

The page's worker (``docs/assets/javascripts/exercise-worker.js``) and the
Pyodide parity test both call these functions, so the tests exercise the very
code the reader's browser runs.
"""

from __future__ import annotations

import json

from . import __version__
from .analyser import warm_up
from .grader import grade

INTERNAL_ERROR = (
    "Le correcteur n'a pas pu lire cette réponse. Votre texte est conservé : "
    "vous pouvez le modifier et réessayer, ou consulter la réponse modèle."
)

version = __version__


def grade_json(exercise_json: str, text: str) -> str:
    """``grade(exercise, text).to_dict()`` as JSON; a failure gives ``{"error": <French>}``."""
    try:
        result = grade(json.loads(exercise_json), text).to_dict()
    except Exception as error:
        return json.dumps({"error": INTERNAL_ERROR, "detail": f"{type(error).__name__}: {error}"})
    out = json.dumps(result, ensure_ascii=False)
    try:
        out.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates typed or pasted in the page
        out = json.dumps(result)
    return out


def grade_many_json(cases_json: str) -> str:
    """Grade ``[{"exercise": {...}, "text": ...}, ...]`` (the parity test's batch form)."""
    cases = json.loads(cases_json)
    return "[" + ",".join(grade_json(json.dumps(c["exercise"]), c["text"]) for c in cases) + "]"


__all__ = ["grade_json", "grade_many_json", "version", "warm_up"]
