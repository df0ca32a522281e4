"""A learned layer beside the rules: linear models over the words of a reply.

Hand-written rules give exact spans but miss wordings nobody wrote a rule for;
character n-grams survive typos, missing accents and SMS forms. Each target (a
move, or a rubric criterion) has a linear model over the same features:

- ``w:word`` and ``b:word word`` (folded words, within a sentence), and
  ``c:gram`` (character 3- to 5-grams of each word padded with spaces), each
  present or not, scaled by 1/sqrt(number of features of the reply);
- ``r:move``: the rules found that move (1 or 0, not scaled), so that the
  model learns how far to trust each rule; ``r:self``: the rules found this
  very target (a rubric criterion's phrases matched).

Targets are ``move:<id>`` and ``crit:<exercise>:<criterion>``.

The weights are trained offline (``python -m checker.tools.train``) and shipped
as ``checker/data/learned.json``; here they are only added up, with the
standard library, so CPython and Pyodide give the same result. A finding of the
model alone is shown on the sentence whose words weigh most for it, so that
every positive finding points at the reader's words.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .text import Token

DATA_FILE = Path(__file__).with_name("data") / "learned.json"
MIN_GRAM, MAX_GRAM = 3, 5
# Punctuation that carries meaning for a move (« ? » for questions, « ! » for tone).
_KEPT_PUNCTUATION = frozenset({"?", "!", "!!!", "?!", "!?", "…"})


def sentence_features(tokens: Sequence[Token]) -> list[tuple[int, int, set[str]]]:
    """(first token, end token, features) of each sentence of the reply."""
    found: list[tuple[int, int, set[str]]] = []
    start = 0
    for index in range(len(tokens) + 1):
        if index < len(tokens) and tokens[index].sentence == tokens[start].sentence:
            continue
        words = [
            t.word
            for t in tokens[start:index]
            if t.is_word or t.word in _KEPT_PUNCTUATION or t.word.startswith(("!", "?"))
        ]
        if words:
            found.append((start, index, _features(words)))
        start = index
    return found


def _features(words: Sequence[str]) -> set[str]:
    features: set[str] = set()
    previous = "<s>"
    for word in words:
        features.add("w:" + word)
        features.add(f"b:{previous} {word}")
        previous = word
        if word[0].isalnum():
            padded = f" {word} "
            for size in range(MIN_GRAM, MAX_GRAM + 1):
                for at in range(len(padded) - size + 1):
                    features.add("c:" + padded[at : at + size])
    return features


def reply_features(tokens: Sequence[Token]) -> set[str]:
    """Every feature of the reply (the union of its sentences')."""
    features: set[str] = set()
    for _, _, found in sentence_features(tokens):
        features |= found
    return features


def feature_scale(count: int, power: float) -> float:
    """Weight of each feature of a reply with ``count`` features: count ** -power.

    0.5 makes every reply a unit vector; a smaller power lets one telling
    sentence in a long reply weigh more than it would diluted in the whole.
    """
    return count**-power if count else 0.0


@dataclass(frozen=True, slots=True)
class Scored:
    """The model's decision on one target, with the sentence that weighs most."""

    target: str
    score: float
    present: bool
    span: tuple[int, int] | None  # characters of the sentence that weighs most (model-only finds)


_NONE: list[tuple[int, float]] = []


class LearnedLayer:
    """Weights of every target, indexed by feature for one pass over a reply."""

    def __init__(self, data: dict[str, object]) -> None:
        self.targets: list[str] = list(data["targets"])  # type: ignore[call-overload]
        self.bias: list[float] = list(data["bias"])  # type: ignore[call-overload]
        self.threshold: list[float] = list(data["threshold"])  # type: ignore[call-overload]
        self.index = {target: i for i, target in enumerate(self.targets)}
        self.scale_power = float(data.get("scale_power", 0.5))  # type: ignore[arg-type]
        # feature -> "t:w t:w" (target index, weight): decoded on first use, so that
        # start-up costs one JSON parse, and a reply decodes only its own features.
        self.packed: dict[str, str] = data["weights"]  # type: ignore[assignment]
        self.decoded: dict[str, list[tuple[int, float]]] = {}
        self._memo: tuple[Sequence[Token], list[tuple[int, int, set[str]]], list[float]] | None = (
            None
        )
        # move -> rules right so often on the training replies that the layer never overrules them
        self.trusted: dict[str, frozenset[str]] = {
            move: frozenset(names)
            for move, names in data.get("trusted_rules", {}).items()  # type: ignore[attr-defined]
        }

    def postings(self, feature: str) -> list[tuple[int, float]]:
        """(target index, weight) of ``feature``; empty for a feature the model does not use."""
        found = self.decoded.get(feature)
        if found is None:
            packed = self.packed.get(feature)
            if packed is None:
                return _NONE
            found = [(int(t), float(w)) for t, w in (p.split(":") for p in packed.split())]
            self.decoded[feature] = found
        return found

    def _totals(self, features: set[str], rule_moves: set[str]) -> list[float]:
        """The raw score of every target from the reply's features and the rules' moves."""
        totals = list(self.bias)
        scale = feature_scale(len(features), self.scale_power)
        for feature in features:
            for target, weight in self.postings(feature):
                totals[target] += weight * scale
        for move in rule_moves:
            for target, weight in self.postings("r:" + move):
                totals[target] += weight
        return totals

    def _read(
        self, tokens: Sequence[Token], rule_moves: set[str]
    ) -> tuple[list[tuple[int, int, set[str]]], list[float]]:
        """Sentences and scores (before ``r:self``) of a reply, read once per reply.

        The grader asks twice, for the moves and then for the criteria; the second
        time it only knows the moves the layer already kept or added. As in training,
        every target sees the moves the rules themselves found: those of the first call.
        """
        if self._memo is not None and self._memo[0] is tokens:
            return self._memo[1], list(self._memo[2])
        sentences = sentence_features(tokens)
        features: set[str] = set().union(*(found for _, _, found in sentences))
        totals = self._totals(features, rule_moves)
        self._memo = (tokens, sentences, totals)
        return sentences, list(totals)

    def decide(
        self,
        tokens: Sequence[Token],
        rule_moves: Iterable[str],
        targets: Iterable[str],
        rule_targets: Iterable[str] = (),
    ) -> dict[str, Scored]:
        """Present or not, for each of ``targets`` the layer knows.

        The sentence that weighs most is looked for only where the rules found
        nothing: their own spans show the rest.
        """
        rule_moves, rule_targets = set(rule_moves), set(rule_targets)
        sentences, totals = self._read(tokens, rule_moves)
        found = {self.index[t] for t in rule_targets if t in self.index}
        for index, weight in self.postings("r:self"):
            if index in found:
                totals[index] += weight
        decided: dict[str, Scored] = {}
        for target in targets:
            at = self.index.get(target)
            if at is None:
                continue
            present = totals[at] > self.threshold[at]
            best = None
            found_by_rules = target in rule_targets or target.removeprefix("move:") in rule_moves
            if present and not found_by_rules:
                best = _span(tokens, self._best_sentence(at, sentences))
            decided[target] = Scored(target, totals[at], present, best)
        return decided

    def _best_sentence(
        self, at: int, sentences: list[tuple[int, int, set[str]]]
    ) -> tuple[int, int] | None:
        best, best_weight = None, 0.0
        for start, end, features in sentences:
            weight = sum(
                w for f in features for t, w in self.postings(f) if t == at and w > 0
            ) / math.sqrt(len(features))
            if weight > best_weight:
                best, best_weight = (start, end), weight
        return best


def _span(tokens: Sequence[Token], sentence: tuple[int, int] | None) -> tuple[int, int] | None:
    """Character span of a sentence's words (its punctuation if it has no word)."""
    if sentence is None:
        return None
    start, end = sentence
    words = [t for t in tokens[start:end] if t.is_word] or list(tokens[start:end])
    return words[0].start, words[-1].end


_layer: LearnedLayer | None = None
_loaded = False
_enabled = True


@contextmanager
def layer_enabled(enabled: bool) -> Iterator[None]:
    """Switch the layer off (or on) for a block: the rules-alone ablation of ``evaluate``."""
    global _enabled
    before, _enabled = _enabled, enabled
    try:
        yield
    finally:
        _enabled = before


def default_layer() -> LearnedLayer | None:
    """The shipped layer, or None if the package holds no trained weights (or it is off)."""
    global _layer, _loaded
    if not _enabled:
        return None
    if not _loaded:
        _loaded = True
        if DATA_FILE.is_file():
            _layer = LearnedLayer(json.loads(DATA_FILE.read_text(encoding="utf-8")))
    return _layer
