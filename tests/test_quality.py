"""The checker's measured quality must not regress (deterministic, not timed).

Figures come from the same code as ``python -m checker evaluate``. The shared
dev sets live beside the repo; the holdout sets in tests/data were written
independently of the rules, to catch rules fitted to the dev sentences.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.grader import grade
from checker.tools.evaluate import read_jsonl, score_moves
from checker.tools.exercises import find_exercises, load_exercise

ROOT = Path(__file__).resolve().parents[1]
SHARED_EVAL = ROOT.parent / "shared" / "eval"
DATA = ROOT / "tests" / "data"
MOVE_SETS = [SHARED_EVAL / "moves_dev.jsonl", *sorted(DATA.glob("moves_holdout*.jsonl"))]
VERDICT_SETS = [SHARED_EVAL / "verdicts_dev.jsonl", *sorted(DATA.glob("verdicts_holdout*.jsonl"))]
# Written on purpose in wordings a rule-based matcher would not anticipate: a
# stress test with its own, lower floor, so that it guards against regressions.
ADVERSARIAL_MOVES = DATA / "moves_adversarial.jsonl"


def _existing(paths: list[Path]) -> list[Path]:
    return [path for path in paths if path.exists()]


@pytest.mark.parametrize("path", _existing(MOVE_SETS), ids=lambda p: p.stem)
def test_move_detection_quality(path: Path) -> None:
    scores = score_moves(read_jsonl(path))
    _, _, micro = scores.f1()
    moves = set(scores.tp) | set(scores.fn) | set(scores.fp)
    worst = min(moves, key=lambda move: scores.f1(move)[2])
    assert micro >= 0.90, f"micro-F1 {micro:.3f} on {path.name}"
    assert scores.f1(worst)[2] >= 0.75, f"{worst} F1 {scores.f1(worst)[2]:.3f} on {path.name}"


@pytest.mark.parametrize("path", _existing(VERDICT_SETS), ids=lambda p: p.stem)
def test_verdict_agreement(path: Path) -> None:
    exercises = {name: load_exercise(file) for name, file in find_exercises().items()}
    rows = read_jsonl(path)
    agree = sum(grade(exercises[r["scenario"]], r["text"]).passed == r["passed"] for r in rows)
    failing = [r for r in rows if not r["passed"]]
    false_passes = sum(grade(exercises[r["scenario"]], r["text"]).passed for r in failing)
    assert agree / len(rows) >= 0.92, f"agreement {agree}/{len(rows)} on {path.name}"
    assert false_passes <= 0.05 * len(failing), f"{false_passes} false passes on {path.name}"


def test_adversarial_move_detection_does_not_regress() -> None:
    scores = score_moves(read_jsonl(ADVERSARIAL_MOVES))
    _, _, micro = scores.f1()
    assert micro >= 0.80, f"micro-F1 {micro:.3f} on {ADVERSARIAL_MOVES.name}"


CORPUS = ROOT / "corpus"


def _corpus_rows(style: str | None = None) -> list[dict[str, object]]:
    """The dev and sealed splits of the corpus: never trained on (see QUALITY.md)."""
    rows = [
        row
        for path in sorted(CORPUS.glob("*.jsonl"))
        for row in read_jsonl(path)
        if row["split"] in ("dev", "sealed") and (style is None or row["style"] == style)
    ]
    assert rows, "corpus/ has no dev or sealed replies"
    return rows


@pytest.mark.parametrize("style", [None, "learner"], ids=["all", "learner"])
def test_corpus_verdicts_do_not_regress(style: str | None) -> None:
    """Floors a little under the first-contact figures of grader v2 (QUALITY.md)."""
    exercises = {name: load_exercise(file) for name, file in find_exercises().items()}
    rows = [r for r in _corpus_rows(style) if "scenario" in r]
    passed = [grade(exercises[str(r["scenario"])], str(r["text"])).passed for r in rows]
    agree = sum(p == r["passed"] for p, r in zip(passed, rows, strict=True)) / len(rows)
    failing = [p for p, r in zip(passed, rows, strict=True) if not r["passed"]]
    good = [p for p, r in zip(passed, rows, strict=True) if r["passed"]]
    assert agree >= 0.87, f"agreement {agree:.3f}"
    assert sum(failing) / len(failing) <= 0.08, f"false passes {sum(failing)}/{len(failing)}"
    assert good.count(False) / len(good) <= 0.20, f"false fails {good.count(False)}/{len(good)}"


def test_corpus_moves_do_not_regress() -> None:
    scores = score_moves([r for r in _corpus_rows() if "moves" in r])
    _, _, micro = scores.f1()
    assert micro >= 0.78, f"micro-F1 {micro:.3f} on the corpus dev and sealed splits"
