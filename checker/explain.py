"""Why a reply did (or did not) get a move: the trace behind ``python -m checker explain``."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .analyser import Analyser, Match, default_analyser, layer_moves
from .grader import grade
from .learned import default_layer
from .rules import Rule


def explain(text: str, move: str | None = None, exercise: dict[str, Any] | None = None) -> str:
    """A readable trace: tokens, each rule tried and where it stopped, the learned layer, the rubric."""
    analyser = default_analyser()
    tokens = analyser.tokens(text)
    lines = ["tokens (as the matcher reads them; a typo fix shows as word→fix):"]
    lines.append(
        "  "
        + " ".join(
            f"{i}:{t.word}" + (f"→{'|'.join(t.fix)}" if t.fix else "") + ("“" if t.quoted else "")
            for i, t in enumerate(tokens)
        )
    )
    stages: dict[str, list[tuple[Rule, str, str]]] = defaultdict(list)

    def hear(rule: Rule, stage: str, detail: str) -> None:
        if move is None or rule.move == move or rule.move == "_reported":
            stages[rule.move].append((rule, stage, detail))

    analyser.kept_matches(text, tokens, hear)
    rules_only = analyser.analyse_tokens(text, tokens, learned=False)
    final = analyser.analyse_tokens(text, tokens)
    for name in sorted(stages):
        tried = [
            entry
            for entry in stages[name]
            if entry[1] != "no anchor" or (move is not None and name != "_reported")
        ]
        skipped = len(stages[name]) - len(tried)
        if not tried:
            continue
        lines.append(
            f"\n{name}:" + (f" ({skipped} rules without their key words)" if skipped else "")
        )
        for rule, stage, detail in tried:
            lines.append(f"  {rule.kind} {rule.name} ({rule.where}): {stage} — {detail}")
    lines.append("\n" + _layer_report(analyser, tokens, rules_only, final, move))
    if exercise is not None:
        lines.append("\nrubric:")
        result = grade(exercise, text)
        for criterion in result.criteria:
            rules = f" [{'; '.join(criterion.rules)}]" if criterion.rules else ""
            lines.append(f"  {criterion.id}: {criterion.status}{rules}")
        lines.append(f"  score {result.score}, passed: {result.passed}")
    return "\n".join(lines)


def _layer_report(
    analyser: Analyser, tokens: Any, rules_only: list[Match], final: list[Match], move: str | None
) -> str:
    layer = default_layer()
    found = {m.move for m in rules_only}
    after = {m.move for m in final}
    if layer is None:
        return "learned layer: not shipped (rules alone decide)"
    lines = ["learned layer (score vs threshold → decision):"]
    targets = [f"move:{m}" for m in layer_moves(layer) if move is None or m == move]
    for target, scored in sorted(layer.decide(tokens, found, targets).items()):
        name = target.removeprefix("move:")
        verdict = (
            "kept" if name in found and name in after
            else "dropped" if name in found
            else "added" if name in after
            else "absent"
        )  # fmt: skip
        if (
            move is not None
            or name in found | after
            or scored.score > layer.threshold[layer.index[target]] - 1
        ):
            threshold = layer.threshold[layer.index[target]]
            lines.append(f"  {name}: {scored.score:+.2f} vs {threshold:+.2f} → {verdict}")
    lines.append("moves: " + (", ".join(sorted(after)) or "none"))
    return "\n".join(lines)
