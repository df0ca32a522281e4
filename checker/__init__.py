"""Grade French customer-service replies: the engine of « Dire non sans perdre le client ».

Pure Python, standard library only: the same code runs in CPython and, in the
reader's browser, in Pyodide.

- :func:`analyse` finds the moves of a reply (``shared/spec/moves.md``), each
  with the span of the reader's words that shows it.
- :func:`grade` grades a reply against an exercise rubric and returns a
  :class:`Result` with a score, a verdict and French feedback.
- :func:`load_exercise` reads an exercise file (needs PyYAML: build side only).
"""

from typing import Any

from .analyser import Match, analyse, warm_up
from .grader import CriterionResult, ExerciseError, Result, grade

__version__ = "0.1.0"
__all__ = [
    "CriterionResult",
    "ExerciseError",
    "Match",
    "Result",
    "__version__",
    "analyse",
    "grade",
    "load_exercise",
    "warm_up",
]


def load_exercise(path: Any) -> dict[str, Any]:
    """Read and validate the exercise file at ``path`` (YAML)."""
    from .tools.exercises import load_exercise as load

    return load(path)
