"""Measure the checker against labelled replies (``shared/eval`` format)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..analyser import analyse


@dataclass
class MoveScores:
    """Per-move counts of true positives, false positives and false negatives."""

    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    errors: list[tuple[str, str, list[str], list[str]]] = field(default_factory=list)

    def add(self, item_id: str, text: str, expected: set[str], found: set[str]) -> None:
        for move in expected & found:
            self.tp[move] += 1
        for move in found - expected:
            self.fp[move] += 1
        for move in expected - found:
            self.fn[move] += 1
        if expected != found:
            self.errors.append((item_id, text, sorted(found - expected), sorted(expected - found)))

    def f1(self, move: str | None = None) -> tuple[float, float, float]:
        if move is None:
            tp, fp, fn = sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values())
        else:
            tp, fp, fn = self.tp[move], self.fp[move], self.fn[move]
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}:{number}: not JSON: {error.msg}") from None
    return rows


def score_moves(rows: Iterable[dict[str, Any]]) -> MoveScores:
    scores = MoveScores()
    for row in rows:
        found = {match.move for match in analyse(row["text"])}
        scores.add(str(row.get("id", "")), row["text"], set(row.get("moves", [])), found)
    return scores


def report_moves(scores: MoveScores, show_errors: bool = False) -> str:
    moves = sorted(set(scores.tp) | set(scores.fp) | set(scores.fn))
    lines = [f"{'move':<16}{'precision':>10}{'recall':>8}{'F1':>7}{'tp':>5}{'fp':>5}{'fn':>5}"]
    for move in moves:
        p, r, f = scores.f1(move)
        lines.append(
            f"{move:<16}{p:>10.3f}{r:>8.3f}{f:>7.3f}{scores.tp[move]:>5}{scores.fp[move]:>5}{scores.fn[move]:>5}"
        )
    if show_errors:
        lines.append("")
        for item_id, text, extra, missed in scores.errors:
            lines.append(f"{item_id}: +{extra} -{missed} | {text}")
    worst = min((scores.f1(m)[2] for m in moves), default=1.0)
    p, r, f = scores.f1()
    lines.append(f"lowest move F1: {worst:.3f}")
    lines.append(f"micro: precision {p:.3f} recall {r:.3f} F1 {f:.3f}")
    return "\n".join(lines)


def report_verdicts(
    rows: list[dict[str, Any]],
    grade_fn: Callable[[str, str], tuple[bool, int, list[str]]],
    show_errors: bool = False,
) -> str:
    """Agreement with the trainers' verdicts, and both kinds of disagreement."""
    agree = false_pass = false_fail = failing = 0
    lines: list[str] = []
    for row in rows:
        passed, score, problems = grade_fn(row["scenario"], row["text"])
        expected = bool(row["passed"])
        if passed == expected:
            agree += 1
        elif show_errors:
            kind = "FALSE PASS" if passed else "FALSE FAIL"
            lines.append(
                f"{kind} {row.get('id')} {row['scenario']} ({score}) not met: {problems} | {row['text']}"
            )
        if not expected:
            failing += 1
            false_pass += passed
        else:
            false_fail += not passed
    total = len(rows)
    good = total - failing
    lines.append(f"replies: {total}, failing per trainers: {failing}")
    lines.append(
        f"false passes: {false_pass}/{failing} = {false_pass / failing if failing else 0:.1%} of failing replies"
    )
    lines.append(
        f"false fails: {false_fail}/{good} = {false_fail / good if good else 0:.1%} of good replies"
    )
    lines.append(f"agreement: {agree}/{total} = {agree / total if total else 0:.1%}")
    return "\n".join(lines)
