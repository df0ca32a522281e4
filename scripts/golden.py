"""Regenerate the golden files: feedback (tests/golden/<exercise>.json) and widget HTML.

    python scripts/golden.py

For every model answer and example reply of every exercise, as the page shows
it: the verdict and score sentences, each criterion's status and message in the
order shown, the highlighted words and the rules behind them. Review the diff of these files in every change
that touches the grader, the rules or the learned weights.

tests/golden/widget/<exercise>.html is the HTML the ``/// exercise`` block
writes for one exercise (as pymdown-extensions tests its blocks): review its
diff in every change to ``hooks/exercise_block.py``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checker import grade  # noqa: E402
from checker.tools.exercises import find_exercises, load_exercise  # noqa: E402

GOLDEN = ROOT / "tests" / "golden"
WIDGET_EXERCISE = "carte-bancaire"
WIDGET_GOLDEN = GOLDEN / "widget" / f"{WIDGET_EXERCISE}.html"


def transcript(exercise: dict[str, Any]) -> list[dict[str, Any]]:
    replies = [*exercise["model_answers"], *(e["text"] for e in exercise["examples"])]
    out = []
    for text in replies:
        result = grade(exercise, text).to_dict()
        out.append(
            {
                "reply": text,
                "passed": result["passed"],
                "score": result["score"],
                "verdict": result["verdict"],
                "score_text": result["score_text"],
                "advice": result["advice"],
                "announcement": result["announcement"],
                # What the coach picks (their words and quotes are the criteria's, below).
                "comments": [c["id"] for c in result["comments"]],
                "strengths": [c["id"] for c in result["strengths"]],
                "criteria": [
                    {
                        "id": c["id"],
                        "status": c["status"],
                        "message": c["message"],
                        "highlights": [s["text"] for s in c["spans"]],
                        "rules": c["rules"],
                    }
                    for c in result["criteria"]
                ],
            }
        )
    return out


def render(exercise: dict[str, Any]) -> str:
    return json.dumps(transcript(exercise), ensure_ascii=False, indent=1) + "\n"


def render_widget(name: str = WIDGET_EXERCISE) -> str:
    """The lesson HTML around one ``/// exercise`` block, as the site build renders it."""
    import markdown

    from hooks.exercise_block import Catalog, ExerciseExtension, Placement

    exercise = load_exercise(find_exercises()[name])
    catalog = Catalog(exercises={name: exercise})
    catalog.placements[name] = Placement(page=exercise["lesson"], title="Leçon", line=3)
    md = markdown.Markdown(extensions=["toc", ExerciseExtension(catalog=catalog)])
    return str(md.convert(f"## Exercice\n\n/// exercise | {name}\n///\n")) + "\n"


def main() -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name, path in find_exercises().items():
        (GOLDEN / f"{name}.json").write_text(render(load_exercise(path)), encoding="utf-8")
        print(f"tests/golden/{name}.json")
    WIDGET_GOLDEN.parent.mkdir(exist_ok=True)
    WIDGET_GOLDEN.write_text(render_widget(), encoding="utf-8")
    print(WIDGET_GOLDEN.relative_to(ROOT))


if __name__ == "__main__":
    main()
