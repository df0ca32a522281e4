"""The whole feedback of every model answer and example reply matches its golden file,
and the exercise widget's HTML matches its own.

Regenerate with ``python scripts/golden.py`` and review the diff: a change in a
verdict, a message, a highlight, a rule name or the widget's markup shows there.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from checker.tools.exercises import find_exercises, load_exercise

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("golden", ROOT / "scripts" / "golden.py")
assert _spec and _spec.loader
golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(golden)


@pytest.mark.parametrize("name", sorted(find_exercises()))
def test_feedback_matches_its_golden_file(name: str) -> None:
    expected = (golden.GOLDEN / f"{name}.json").read_text(encoding="utf-8")
    actual = golden.render(load_exercise(find_exercises()[name]))
    assert actual == expected, "feedback changed: run python scripts/golden.py and review the diff"


def test_widget_html_matches_its_golden_file() -> None:
    expected = golden.WIDGET_GOLDEN.read_text(encoding="utf-8")
    assert golden.render_widget() == expected, (
        "the widget's HTML changed: run python scripts/golden.py and review the diff"
    )
