"""Grade a reply against an exercise rubric: score, verdict, French feedback."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .analyser import Analyser, Match, default_analyser, find_pattern
from .evidence import clear_of, voiding_spans
from .feedback import for_her, result_dict
from .language import NAMES as LANGUAGE_NAMES
from .language import foreign_language
from .learned import default_layer
from .rubric import Criterion, Rubric, read_rubric
from .text import Token

FOUND, MISSING, VIOLATED = "found", "missing", "violated"
# A rule the reply gives no occasion to judge: neither an achievement nor a fault.
NOT_APPLICABLE = "not_applicable"
NOT_APPLICABLE_MESSAGE = "Sans objet pour cette réponse."
NOT_JUDGED_MESSAGE = "Corrigez d'abord le piège signalé : ce point sera jugé ensuite."
LENGTH_PENALTY = 20
EMPTY_MESSAGE = (
    "Votre réponse est vide : écrivez ce que vous diriez au client, en quelques phrases, "
    "puis cliquez sur « Vérifier »."
)


class ExerciseError(ValueError):
    """The exercise data cannot be graded; the message lists what is wrong."""


@dataclass(slots=True)
class CriterionResult:
    """How the reply fares on one criterion."""

    id: str
    kind: str
    label: str
    status: str  # found, missing, violated or not_applicable
    required: bool
    message: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)  # what decided it: rule names with file:line
    moves: tuple[str, ...] = ()  # the moves it is about: the page links them to « Les réflexes »

    @property
    def ok(self) -> bool:
        return self.status in (FOUND, NOT_APPLICABLE)


@dataclass(slots=True)
class Result:
    """The grading of one reply."""

    exercise: str
    text: str
    score: int
    passed: bool
    pass_score: int
    criteria: list[CriterionResult]
    moves: list[Match]
    empty: bool = False
    feminine: bool = False  # the customer is a woman: the feedback says « la cliente »

    def to_dict(self) -> dict[str, Any]:
        """The JSON the page renders (``checker/feedback.py`` words it)."""
        return result_dict(self)


_rubric_cache: dict[str, Rubric] = {}


def compiled_rubric(exercise: dict[str, Any], analyser: Analyser) -> Rubric:
    """The rubric of ``exercise``, read once per distinct rubric data."""
    key = json.dumps(
        [exercise.get("id"), exercise.get("rubric")], sort_keys=True, ensure_ascii=False
    )
    rubric = _rubric_cache.get(key)
    if rubric is None:
        rubric, problems = read_rubric(exercise, analyser.rules)
        if problems:
            details = "; ".join(f"{p.field}: {p.message}" for p in problems)
            raise ExerciseError(
                f"exercise {exercise.get('id', '?')!r} has an invalid rubric: {details}"
            )
        if len(_rubric_cache) > 256:
            _rubric_cache.clear()
        _rubric_cache[key] = rubric
    return rubric


def grade(exercise: dict[str, Any], text: str) -> Result:
    """Grade ``text`` as a reply to ``exercise`` (the exercise's data as a dict)."""
    if not isinstance(exercise, dict):
        raise TypeError("grade() expects the exercise as a dict (its YAML or JSON data)")
    if not isinstance(text, str):
        raise TypeError(f"grade() expects the reply as a str, not {type(text).__name__}")
    return _addressed(_grade(exercise, text), exercise)


def _addressed(result: Result, exercise: dict[str, Any]) -> Result:
    """The feedback worded for this customer: « la cliente » when the exercise says so."""
    if exercise.get("customer_gender") != "feminine":
        return result
    result.feminine = True
    for c in result.criteria:
        c.label, c.message = for_her(c.label), for_her(c.message)
    return result


def _grade(exercise: dict[str, Any], text: str) -> Result:
    analyser = default_analyser()
    rubric = compiled_rubric(exercise, analyser)
    tokens = analyser.tokens(text)
    word_count = sum(1 for t in tokens if t.is_word and t.word[0].isalpha())
    if word_count == 0:
        return _empty_result(rubric, text)
    language = foreign_language(tokens)
    if language is not None:
        return _foreign_result(rubric, text, language)
    moves = analyser.analyse_tokens(text, tokens)
    learned = _learned_criteria(rubric, text, tokens, moves)
    results = _no_praise_beside_a_pitfall(
        [
            result
            for criterion in rubric.criteria
            if (result := _judge(criterion, moves, tokens, learned)).status == VIOLATED
            or not criterion.implied
        ]
    )
    if rubric.specific_min:
        results.append(_judge_specific(rubric, results))
    length = _judge_length(rubric, word_count)
    if length is not None:
        results.append(length)
    score = _score(rubric, results)
    passed = score >= rubric.pass_score and all(r.ok for r in results if r.required)
    if not passed:  # the number and the verdict tell one story: a refused reply is under the mark
        score = min(score, rubric.pass_score - 1)
    results.sort(key=lambda r: _priority(r, rubric))
    return Result(rubric.exercise_id, text, score, passed, rubric.pass_score, results, moves)


def _foreign_result(rubric: Rubric, text: str, language: str) -> Result:
    message = (
        f"Votre réponse semble écrite {LANGUAGE_NAMES[language]} : ce cours s'exerce en français. "
        "Écrivez ce que vous diriez au client en français, puis cliquez sur « Vérifier »."
    )
    foreign = CriterionResult("language", "length", "Réponse en français", MISSING, True, message)
    return Result(rubric.exercise_id, text, 0, False, rubric.pass_score, [foreign], [], empty=True)


def _empty_result(rubric: Rubric, text: str) -> Result:
    empty = CriterionResult("empty", "length", "Réponse vide", MISSING, True, EMPTY_MESSAGE)
    return Result(rubric.exercise_id, text, 0, False, rubric.pass_score, [empty], [], empty=True)


def _learned_criteria(
    rubric: Rubric, text: str, tokens: Sequence[Token], moves: Sequence[Match]
) -> dict[str, tuple[bool, tuple[int, int] | None]]:
    """criterion id -> (present, character span) for the criteria the learned layer knows."""
    layer = default_layer()
    if layer is None:
        return {}
    prefix = f"crit:{rubric.exercise_id}:"
    targets = {prefix + c.id: c for c in rubric.criteria if c.kind == "phrases"}
    targets = {t: c for t, c in targets.items() if t in layer.index}
    if not targets:
        return {}
    by_rules = {t for t, c in targets.items() if any(find_pattern(p, tokens) for p in c.patterns)}
    decided = layer.decide(tokens, {m.move for m in moves}, targets, by_rules)
    pitfalls = voiding_spans(((m.move, m.start, m.end) for m in moves), default_analyser().pitfalls)
    out: dict[str, tuple[bool, tuple[int, int] | None]] = {}
    for target, scored in decided.items():
        present, span = scored.present, scored.span
        if present and span is not None:
            span = clear_of(span, pitfalls, tokens)
            present = span is not None  # the words it would praise are a pitfall's
        out[targets[target].id] = (present, span)
    return out


def _judge(
    criterion: Criterion,
    moves: Sequence[Match],
    tokens: Sequence[Token],
    learned: dict[str, tuple[bool, tuple[int, int] | None]],
) -> CriterionResult:
    def spans_of(ids: Sequence[str]) -> list[tuple[int, int]]:
        return [(m.start, m.end) for m in moves if m.move in ids]

    def rules_of(ids: Sequence[str]) -> list[str]:
        return list(dict.fromkeys(r for m in moves if m.move in ids for r in m.rules))

    kind = criterion.kind
    if kind in ("move", "any_of"):
        spans = spans_of(criterion.moves)
        return _result(criterion, FOUND if spans else MISSING, spans, rules_of(criterion.moves))
    if kind == "forbid":
        spans = spans_of(criterion.moves)
        return _result(criterion, VIOLATED if spans else FOUND, spans, rules_of(criterion.moves))
    if kind == "phrases":
        spans, rules = [], []
        for number, pattern in enumerate(criterion.patterns, 1):
            found = [(tokens[s].start, tokens[e - 1].end) for s, e in find_pattern(pattern, tokens)]
            if found:
                rules.append(f"{criterion.field} phrase {number}")
            spans += found
        if criterion.id in learned:  # the learned layer has the last word, as for moves
            present, span = learned[criterion.id]
            if not present:
                spans, rules = [], []
            elif not spans and span is not None:
                spans, rules = [span], ["learned"]
        return _result(criterion, FOUND if spans else MISSING, _joined(spans), rules)
    if kind == "order":
        first, then = (spans_of([move]) for move in criterion.moves)
        if not (first and then):
            return _not_applicable(criterion)
        broken = then[0][0] < first[0][0]
        return _result(
            criterion,
            VIOLATED if broken else FOUND,
            [first[0], then[0]] if broken else [],
            rules_of(criterion.moves),
        )
    # if_any: a trigger move needs one of the "then" moves.
    triggers = spans_of(criterion.moves)
    if not triggers:
        return _not_applicable(criterion)
    broken = not spans_of(criterion.then_moves)
    return _result(
        criterion,
        VIOLATED if broken else FOUND,
        triggers if broken else [],
        rules_of(criterion.moves + criterion.then_moves),
    )


def _no_praise_beside_a_pitfall(results: list[CriterionResult]) -> list[CriterionResult]:
    """Once a pitfall is found, « ✓ ton calme » or « ✓ ne pas se défausser » would
    contradict it: the other pitfall checks are left unjudged, not praised."""
    if not any(r.kind == "forbid" and r.status == VIOLATED for r in results):
        return results
    return [
        CriterionResult(
            r.id, r.kind, r.label, NOT_APPLICABLE, r.required, NOT_JUDGED_MESSAGE, moves=r.moves
        )
        if r.kind == "forbid" and r.status == FOUND
        else r
        for r in results
    ]


def _not_applicable(criterion: Criterion) -> CriterionResult:
    """A rule about moves the reply does not make: nothing to praise or fix."""
    return CriterionResult(
        criterion.id,
        criterion.kind,
        criterion.label,
        NOT_APPLICABLE,
        criterion.required,
        NOT_APPLICABLE_MESSAGE,
    )


def _joined(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans joined into one, in text order."""
    joined: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
    return joined


def _result(
    criterion: Criterion, status: str, spans: list[tuple[int, int]], rules: list[str]
) -> CriterionResult:
    message = criterion.found if status == FOUND else criterion.missing
    return CriterionResult(
        criterion.id,
        criterion.kind,
        criterion.label,
        status,
        criterion.required,
        message,
        spans,
        rules,
        criterion.moves + criterion.then_moves,
    )


def _judge_specific(rubric: Rubric, results: Sequence[CriterionResult]) -> CriterionResult:
    met = sum(1 for r in results if r.kind == "phrases" and r.ok)
    if met >= rubric.specific_min:
        message = "Votre réponse parle de la situation de ce client, pas d'un client quelconque."
        return CriterionResult(
            "specific", "specific", "Réponse adaptée à ce client", FOUND, True, message
        )
    return CriterionResult(
        "specific",
        "specific",
        "Réponse adaptée à ce client",
        MISSING,
        True,
        rubric.specific_message,
    )


def _judge_length(rubric: Rubric, word_count: int) -> CriterionResult | None:
    if rubric.min_words and word_count < rubric.min_words:
        message = (
            f"Votre réponse est trop courte ({word_count} mot{'s' if word_count > 1 else ''}) "
            "pour traiter la situation : "
            f"visez au moins {rubric.min_words} mots, avec l'émotion, l'explication et ce que vous proposez."
        )
        # Advice, not a verdict: a short reply that does every must passes (trainers
        # judge what is said, not how long it is); a short one usually misses a must.
        return CriterionResult(
            "length", "length", "Longueur de la réponse", MISSING, False, message
        )
    if rubric.max_words and word_count > rubric.max_words:
        message = (
            f"Votre réponse est longue ({word_count} mots) : un client en colère décroche vite. "
            f"Visez moins de {rubric.max_words} mots, en gardant l'essentiel."
        )
        return CriterionResult(
            "length", "length", "Longueur de la réponse", VIOLATED, False, message
        )
    return None


def _score(rubric: Rubric, results: Sequence[CriterionResult]) -> int:
    by_id = {c.id: c for c in rubric.criteria}
    total = sum(by_id[r.id].weight for r in results if r.id in by_id and by_id[r.id].weight)
    earned = sum(by_id[r.id].weight for r in results if r.ok and r.id in by_id)
    penalties = sum(
        by_id[r.id].penalty if r.id in by_id else LENGTH_PENALTY
        for r in results
        if r.status == VIOLATED
    )
    base = round(100 * earned / total) if total else 0
    return max(0, min(100, base - penalties))


def _priority(result: CriterionResult, rubric: Rubric) -> tuple[int, int]:
    """Most important first: pitfalls, missing musts, then advice (length included)."""
    weights = {c.id: c.weight for c in rubric.criteria}
    if result.status == VIOLATED and result.required:
        group = 0
    elif result.status == MISSING and result.required:
        group = 2
    elif not result.ok:
        group = 3
    else:
        group = 4
    return group, -weights.get(result.id, 0)
