"""Train the learned layer (development only: needs numpy, scipy, scikit-learn).

    python -m checker.tools.train               # train on corpus/ (split=train), write the weights
    python -m checker.tools.train --report      # also print dev-split figures and the ablation
    python -m checker.tools.train --curve       # learning curve on the dev split

One logistic regression per move, over the features of ``checker.learned``
(folded words, word pairs, character n-grams, and the moves the rules found).
Thresholds are chosen by cross-validation on the training split only; the
development split is for reports; the sealed split is never read here.
Weights under ``--prune`` are dropped and the rest rounded, to keep the wheel
small; the run prints the size of the data file.
"""

from __future__ import annotations

import argparse
import json
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from ..analyser import default_analyser
from ..learned import DATA_FILE, reply_features
from .corpus import CORPUS_DIR, MOVES, read_corpus

RULE_PREFIX = "r:"


@dataclass
class Example:
    id: str
    text: str
    moves: set[str]
    features: set[str]
    rule_moves: set[str]


def prepare(rows: Sequence[dict[str, Any]]) -> list[Example]:
    analyser = default_analyser()
    examples = []
    for row in rows:
        tokens = analyser.tokens(row["text"])
        rules = {m.move for m in analyser.analyse_tokens(row["text"], tokens, learned=False)}
        examples.append(
            Example(row["id"], row["text"], set(row["moves"]), reply_features(tokens), rules)
        )
    return examples


class Design:
    """Feature columns: n-grams seen in at least ``min_df`` training replies, then rule moves."""

    def __init__(self, examples: Sequence[Example], min_df: int, use_rules: bool) -> None:
        counts: dict[str, int] = {}
        for example in examples:
            for feature in example.features:
                counts[feature] = counts.get(feature, 0) + 1
        self.grams = sorted(f for f, n in counts.items() if n >= min_df)
        self.rules = [RULE_PREFIX + m for m in MOVES] if use_rules else []
        self.columns = {f: i for i, f in enumerate(self.grams + self.rules)}

    def matrix(self, examples: Sequence[Example]) -> sparse.csr_matrix:
        rows, cols, values = [], [], []
        for r, example in enumerate(examples):
            scale = 1.0 / math.sqrt(len(example.features)) if example.features else 0.0
            for feature in example.features:
                c = self.columns.get(feature)
                if c is not None:
                    rows.append(r)
                    cols.append(c)
                    values.append(scale)
            for move in example.rule_moves:
                c = self.columns.get(RULE_PREFIX + move)
                if c is not None:
                    rows.append(r)
                    cols.append(c)
                    values.append(1.0)
        shape = (len(examples), len(self.columns))
        return sparse.csr_matrix((values, (rows, cols)), shape=shape)


def _model(c: float) -> LogisticRegression:
    return LogisticRegression(C=c, class_weight="balanced", max_iter=3000, solver="liblinear")


def _best_threshold(scores: np.ndarray, truth: np.ndarray) -> float:
    """The decision threshold with the best F1 on out-of-fold scores."""
    best, best_f1 = 0.0, -1.0
    for threshold in np.quantile(scores, np.linspace(0.02, 0.98, 97)):
        predicted = scores > threshold
        tp = int((predicted & truth).sum())
        fp = int((predicted & ~truth).sum())
        fn = int((~predicted & truth).sum())
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best_f1:
            best, best_f1 = float(threshold), f1
    return best


@dataclass
class Trained:
    design: Design
    weights: dict[str, np.ndarray]
    bias: dict[str, float]
    threshold: dict[str, float]

    def predict(self, examples: Sequence[Example]) -> dict[str, np.ndarray]:
        x = self.design.matrix(examples)
        return {m: (x @ self.weights[m] + self.bias[m]) > self.threshold[m] for m in self.weights}


def train(examples: Sequence[Example], c: float, min_df: int, use_rules: bool) -> Trained:
    design = Design(examples, min_df, use_rules)
    x = design.matrix(examples)
    weights, bias, threshold = {}, {}, {}
    for move in MOVES:
        y = np.array([move in e.moves for e in examples])
        if y.sum() < 3:
            continue
        folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
        out_of_fold = np.zeros(len(examples))
        for fit, held in folds.split(x, y):
            model = _model(c).fit(x[fit], y[fit])
            out_of_fold[held] = model.decision_function(x[held])
        model = _model(c).fit(x, y)
        weights[move] = model.coef_[0]
        bias[move] = float(model.intercept_[0])
        # Out-of-fold scores come from models fit on 4/5 of the data: same scale.
        threshold[move] = _best_threshold(out_of_fold, y)
    return Trained(design, weights, bias, threshold)


def micro_f1(
    examples: Sequence[Example], predicted: dict[str, np.ndarray]
) -> tuple[float, dict[str, float]]:
    tp = fp = fn = 0
    per_move = {}
    for move, flags in predicted.items():
        truth = np.array([move in e.moves for e in examples])
        a, b, d = (
            int((flags & truth).sum()),
            int((flags & ~truth).sum()),
            int((~flags & truth).sum()),
        )
        tp, fp, fn = tp + a, fp + b, fn + d
        per_move[move] = 2 * a / (2 * a + b + d) if a + b + d else 1.0
    return (2 * tp / (2 * tp + fp + fn) if tp else 0.0), per_move


def rules_only(examples: Sequence[Example]) -> dict[str, np.ndarray]:
    return {m: np.array([m in e.rule_moves for e in examples]) for m in MOVES}


def export(trained: Trained, prune: float, path: Path) -> int:
    targets = [f"move:{m}" for m in trained.weights]
    moves = list(trained.weights)
    postings: dict[str, list[str]] = {}
    names = trained.design.grams + trained.design.rules
    for t, move in enumerate(moves):
        for column in np.flatnonzero(np.abs(trained.weights[move]) >= prune):
            weight = round(float(trained.weights[move][column]), 3)
            if weight:
                postings.setdefault(names[column], []).append(f"{t}:{weight:g}")
    data = {
        "version": 1,
        "targets": targets,
        "bias": [round(trained.bias[m], 4) for m in moves],
        "threshold": [round(trained.threshold[m], 4) for m in moves],
        "weights": {f: " ".join(p) for f, p in sorted(postings.items())},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    path.write_text(text + "\n", encoding="utf-8")
    return len(text.encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS_DIR)
    parser.add_argument("-C", type=float, default=4.0)
    parser.add_argument("--min-df", type=int, default=2)
    parser.add_argument("--prune", type=float, default=0.05)
    parser.add_argument("--report", action="store_true")
    parser.add_argument("--curve", action="store_true")
    parser.add_argument("--out", type=Path, default=DATA_FILE)
    args = parser.parse_args(argv)
    rows = read_corpus(args.corpus)
    train_rows = [r for r in rows if r["split"] == "train"]
    dev_rows = [r for r in rows if r["split"] == "dev"]
    print(f"training replies: {len(train_rows)}, dev replies: {len(dev_rows)}")
    train_set, dev_set = prepare(train_rows), prepare(dev_rows)
    trained = train(train_set, args.C, args.min_df, use_rules=True)
    size = export(trained, args.prune, args.out)
    print(f"wrote {args.out} ({size / 1000:.0f} KB)")
    if args.report and dev_set:
        both, per_move = micro_f1(dev_set, trained.predict(dev_set))
        alone = train(train_set, args.C, args.min_df, use_rules=False)
        print("dev split, moves micro-F1:")
        print(f"  rules alone          {micro_f1(dev_set, rules_only(dev_set))[0]:.3f}")
        print(f"  learned layer alone  {micro_f1(dev_set, alone.predict(dev_set))[0]:.3f}")
        print(f"  both (shipped)       {both:.3f}")
        print("  per move: " + ", ".join(f"{m} {f:.2f}" for m, f in sorted(per_move.items())))
    if args.curve and dev_set:
        shuffled = list(train_set)
        random.Random(0).shuffle(shuffled)
        print("learning curve (dev split, both):")
        for fraction in (0.125, 0.25, 0.5, 1.0):
            part = shuffled[: max(20, int(len(shuffled) * fraction))]
            model = train(part, args.C, args.min_df, use_rules=True)
            print(f"  {len(part):>5} replies  {micro_f1(dev_set, model.predict(dev_set))[0]:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
