"""The exercise rubric: criteria read from the exercise data, checked for errors.

An exercise is plain data (a dict loaded from YAML or JSON). This module turns
its ``rubric`` into :class:`Criterion` objects and reports every problem with
the field it concerns, so that a maintainer sees at once what to fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .patterns import Pattern, PatternError, compile_pattern
from .rules import RuleSet

KINDS = ("move", "any_of", "forbid", "phrases", "order", "if_any")
DEFAULT_WEIGHT = 10
DEFAULT_PENALTY = 30
DEFAULT_PASS_SCORE = 60


@dataclass(slots=True)
class Criterion:
    """One thing the rubric checks, with its French messages."""

    id: str
    kind: str  # one of KINDS
    label: str
    moves: tuple[str, ...] = ()  # move, any_of, forbid; order: (first, second); if_any
    then_moves: tuple[str, ...] = ()  # if_any: the moves one of which must follow
    patterns: tuple[Pattern, ...] = ()  # phrases
    required: bool = False
    weight: int = DEFAULT_WEIGHT
    penalty: int = DEFAULT_PENALTY
    found: str = ""
    missing: str = ""  # also used as the "violated" message
    field: str = ""  # where the criterion stands, for error messages
    implied: bool = False  # added to every rubric: shown only when the reply breaks it


@dataclass(slots=True)
class Rubric:
    exercise_id: str
    criteria: list[Criterion]
    pass_score: int = DEFAULT_PASS_SCORE
    min_words: int = 0
    max_words: int = 0
    # A reply fits this customer, not any customer, when it meets at least
    # ``specific_min`` of the scenario-content (phrases) criteria.
    specific_min: int = 0
    specific_message: str = ""


@dataclass(slots=True)
class RubricProblem:
    """A problem in exercise data: ``field`` is a dotted path such as ``rubric.criteria[2].move``."""

    field: str
    message: str


@dataclass(slots=True)
class _Reader:
    rules: RuleSet
    problems: list[RubricProblem] = field(default_factory=list)

    def problem(self, where: str, message: str) -> None:
        self.problems.append(RubricProblem(where, message))

    def move_ids(self, value: Any, where: str) -> tuple[str, ...]:
        ids = (
            (value,) if isinstance(value, str) else tuple(value) if isinstance(value, list) else ()
        )
        if not ids:
            self.problem(where, "expected a move id or a list of move ids")
        for move in ids:
            if move not in self.rules.moves:
                known = ", ".join(sorted(self.rules.moves))
                self.problem(where, f"unknown move id {move!r} (known: {known})")
        return tuple(str(move) for move in ids)


def read_rubric(exercise: dict[str, Any], rules: RuleSet) -> tuple[Rubric, list[RubricProblem]]:
    """Build the rubric of ``exercise``; problems are returned, never raised."""
    reader = _Reader(rules)
    rubric_data = exercise.get("rubric")
    exercise_id = str(exercise.get("id", ""))
    if not isinstance(rubric_data, dict):
        reader.problem("rubric", "missing or not a mapping")
        return Rubric(exercise_id, []), reader.problems
    rubric = Rubric(
        exercise_id,
        [],
        pass_score=_int(reader, rubric_data, "pass_score", DEFAULT_PASS_SCORE, "rubric"),
        min_words=_int(reader, rubric_data, "min_words", 0, "rubric"),
        max_words=_int(reader, rubric_data, "max_words", 0, "rubric"),
        specific_min=_int(reader, rubric_data, "specific_min", 0, "rubric"),
        specific_message=str(rubric_data.get("specific_message", "")),
    )
    if rubric.specific_min and not rubric.specific_message.strip():
        reader.problem(
            "rubric.specific_message",
            "specific_min needs a French message saying what this customer must hear",
        )
    criteria = rubric_data.get("criteria")
    if not isinstance(criteria, list) or not criteria:
        reader.problem("rubric.criteria", "a rubric needs a non-empty list of criteria")
        return rubric, reader.problems
    seen: set[str] = set()
    for index, data in enumerate(criteria):
        where = f"rubric.criteria[{index}]"
        if not isinstance(data, dict):
            reader.problem(where, "a criterion must be a mapping")
            continue
        criterion = _read_criterion(reader, data, where)
        if criterion is None:
            continue
        if criterion.id in seen:
            reader.problem(f"{where}.id", f"duplicate criterion id {criterion.id!r}")
        seen.add(criterion.id)
        rubric.criteria.append(criterion)
    rubric.criteria += _implied_forbids(rubric.criteria, rules)
    phrases = sum(1 for c in rubric.criteria if c.kind == "phrases")
    if rubric.specific_min > phrases:
        reader.problem(
            "rubric.specific_min",
            f"asks for {rubric.specific_min} content criteria but the rubric has {phrases}",
        )
    if not any(c.kind in ("move", "any_of", "phrases") and c.weight > 0 for c in rubric.criteria):
        reader.problem(
            "rubric.criteria", "no criterion earns points: add a move, any_of or phrases criterion"
        )
    return rubric, reader.problems


# Pitfalls a trainer never accepts, whatever the exercise: a reply that commits one
# fails even where the rubric does not list it. « cannot » is a framing to
# improve, not a fault: it fails only where a rubric forbids it.
TOLERATED_PITFALLS = frozenset({"cannot"})


def _implied_forbids(criteria: list[Criterion], rules: RuleSet) -> list[Criterion]:
    """A forbid criterion for every pitfall the rubric does not forbid already."""
    forbidden = {move for c in criteria if c.kind == "forbid" for move in c.moves}
    implied = []
    for move, spec in sorted(rules.moves.items()):
        if spec.kind != "pitfall" or move in forbidden or move in TOLERATED_PITFALLS:
            continue
        implied.append(
            Criterion(
                f"no-{move.replace('_', '-')}",
                "forbid",
                f"Éviter le piège « {spec.label} »",
                moves=(move,),
                required=True,
                weight=0,
                found=spec.found,
                missing=spec.violated,
                field="(every exercise)",
                implied=True,
            )
        )
    return implied


def _int(reader: _Reader, data: dict[str, Any], key: str, default: int, where: str) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        reader.problem(f"{where}.{key}", "expected a whole number, 0 or more")
        return default
    return value


def _read_criterion(reader: _Reader, data: dict[str, Any], where: str) -> Criterion | None:
    kinds = [kind for kind in KINDS if kind in data]
    if len(kinds) != 1:
        reader.problem(where, f"a criterion needs exactly one of: {', '.join(KINDS)}")
        return None
    kind = kinds[0]
    criterion_id = data.get("id")
    if not isinstance(criterion_id, str) or not criterion_id:
        reader.problem(f"{where}.id", "missing criterion id")
        criterion_id = f"criterion-{where}"
    label = data.get("label")
    if not isinstance(label, str) or not label.strip():
        reader.problem(f"{where}.label", "missing French label")
        label = criterion_id
    criterion = Criterion(criterion_id, kind, label, field=where)
    criterion.required = bool(data.get("required", kind in ("forbid", "order", "if_any")))
    criterion.weight = _int(
        reader,
        data,
        "weight",
        DEFAULT_WEIGHT if kind in ("move", "any_of", "phrases") else 0,
        where,
    )
    criterion.penalty = _int(reader, data, "penalty", DEFAULT_PENALTY, where)
    value = data[kind]
    if kind == "phrases":
        criterion.patterns = _read_phrases(reader, value, f"{where}.phrases")
    elif kind == "order":
        criterion.moves = reader.move_ids(value, f"{where}.order")
        if len(criterion.moves) != 2:
            reader.problem(f"{where}.order", "order takes exactly two move ids: [first, then]")
    elif kind == "if_any":
        criterion.moves = reader.move_ids(value, f"{where}.if_any")
        criterion.then_moves = reader.move_ids(data.get("then_any"), f"{where}.then_any")
    else:
        criterion.moves = reader.move_ids(value, f"{where}.{kind}")
        if kind == "forbid" and any(
            reader.rules.moves[m].kind != "pitfall"
            for m in criterion.moves
            if m in reader.rules.moves
        ):
            reader.problem(f"{where}.forbid", "only pitfalls can be forbidden")
    _read_messages(reader, criterion, data, where)
    return criterion


def _read_phrases(reader: _Reader, value: Any, where: str) -> tuple[Pattern, ...]:
    if not isinstance(value, list) or not value:
        reader.problem(where, "expected a non-empty list of phrase patterns")
        return ()
    patterns: list[Pattern] = []
    for index, source in enumerate(value):
        if not isinstance(source, str):
            reader.problem(f"{where}[{index}]", "a phrase pattern must be a string")
            continue
        try:
            patterns.append(compile_pattern(source, reader.rules.defines, f"{where}[{index}]"))
        except PatternError as error:
            reader.problem(f"{where}[{index}]", str(error))
    return tuple(patterns)


def _read_messages(reader: _Reader, criterion: Criterion, data: dict[str, Any], where: str) -> None:
    negative_key = "violated" if criterion.kind in ("forbid", "order", "if_any") else "missing"
    found = data.get("found", "")
    negative = data.get(negative_key, "")
    if criterion.kind == "forbid" and not negative:
        spec = reader.rules.moves.get(criterion.moves[0]) if criterion.moves else None
        negative = spec.violated if spec else ""
    if criterion.kind in ("move", "any_of") and not negative:
        spec = reader.rules.moves.get(criterion.moves[0]) if criterion.moves else None
        negative = spec.missing if spec else ""
    if criterion.kind in ("move", "any_of", "forbid") and not found and criterion.moves:
        spec = reader.rules.moves.get(criterion.moves[0])
        found = spec.found if spec else ""
    if not isinstance(negative, str) or not negative.strip():
        reader.problem(
            f"{where}.{negative_key}", f"missing French message for a {negative_key} criterion"
        )
        negative = ""
    if not isinstance(found, str):
        reader.problem(f"{where}.found", "expected a French message")
        found = ""
    criterion.found = found
    criterion.missing = negative
