"""Regenerate the golden feedback files: tests/golden/<exercise>.json.

    python scripts/golden.py

For every model answer and example reply of every exercise, as the page shows
it: the verdict and score sentences, each criterion's status and message in the
order shown, the highlighted words and the rules behind them. Review the diff of these files in every change
that touches the grader, the rules or the learned weights.
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


def main() -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name, path in find_exercises().items():
        (GOLDEN / f"{name}.json").write_text(render(load_exercise(path)), encoding="utf-8")
        print(f"tests/golden/{name}.json")


if __name__ == "__main__":
    main()
