"""Every rule of checker/rules carries examples, and every example holds.

A ``+`` example must make its own rule fire (and show the move); a ``-``
example must not show the move at all. A rule without a ``+`` example cannot
be loaded, so a rule that can never fire fails here, not silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from checker.analyser import Analyser, default_analyser, find_pattern
from checker.explain import explain
from checker.learned import layer_enabled
from checker.rules import Rule, RulesError, load_rules, parse_rules


@pytest.fixture(autouse=True)
def _rules_alone() -> Iterator[None]:
    """These tests are about the rules: the learned layer, which may overrule them, is off."""
    with layer_enabled(False):
        yield


ANALYSER = default_analyser()
RULES = [rule for spec in ANALYSER.rules.moves.values() for rule in spec.rules]


def _fires(analyser: Analyser, rule: Rule, text: str) -> bool:
    tokens = analyser.tokens(text)
    if rule.kind == "antipattern" and rule.pattern is not None:
        return bool(find_pattern(rule.pattern, tokens))
    return any(
        name == rule.name and move == rule.move
        for move, _, _, name in analyser.kept_matches(text, tokens)
    )


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.move}:{r.name}")
def test_positive_examples_fire(rule: Rule) -> None:
    for text in rule.must:
        moves = {m.move for m in ANALYSER.analyse(text)}
        if rule.kind == "antipattern":
            assert _fires(ANALYSER, rule, text), (
                f"{rule.where}: antipattern does not match {text!r}"
            )
            assert rule.move not in moves, f"{rule.where}: {rule.move} still found in {text!r}"
        else:
            assert _fires(ANALYSER, rule, text), (
                f"{rule.where}: {rule.name} does not fire on {text!r}\n" + explain(text, rule.move)
            )
            assert rule.move in moves, f"{rule.where}: {rule.move} not found in {text!r}"


@pytest.mark.parametrize(
    "rule", [r for r in RULES if r.must_not], ids=lambda r: f"{r.move}:{r.name}"
)
def test_negative_examples_do_not_show_the_move(rule: Rule) -> None:
    for text in rule.must_not:
        found = [m for m in ANALYSER.analyse(text) if m.move == rule.move]
        assert not found, f"{rule.where}: {rule.move} wrongly found in {text!r}: {found}"


def test_every_rule_in_the_repository_has_a_positive_example() -> None:
    """A rule that cannot be shown to fire is an error, not a silent pass."""
    load_rules(require_examples=True)


def test_every_move_of_the_contract_has_rules() -> None:
    contract = {
        "empathy", "restate", "reason", "alternative", "next_step", "ownership", "advance_notice",
        "boundary", "question", "thanks", "blunt_no", "blame", "favor", "dismiss", "deflect",
        "cannot", "overpromise", "hostile",
    }  # fmt: skip
    assert set(ANALYSER.rules.moves) == contract
    for move in contract:
        assert any(r.kind != "antipattern" for r in ANALYSER.rules.moves[move].rules), move


def test_feedback_messages_commit_no_pitfall() -> None:
    """Like Grammalecte: the advice must not do what it warns against."""
    for spec in ANALYSER.rules.moves.values():
        for message in (spec.missing, spec.violated, spec.found):
            found = {m.move for m in ANALYSER.analyse(message)} & ANALYSER.pitfalls
            # Messages quote the pitfall they warn about inside « »: quoted text is skipped.
            assert not found, f"{spec.id}: message commits {found}: {message}"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("move: x\npattern a: (je\n  + je", "missing ')'"),
        ("move: x\npattern a: je\n", "no '+' example"),
        ("move: x\npattern a: je\n  + je\npattern a: tu\n  + tu", "used twice"),
        ("move: x\npattern a: j*\n  + je", "shorter than three letters"),
        ("move: x\npattern a: {NOPE}\n  + je", "unknown define"),
        ("move: x\ndetector a: telepathy\n  + je", "unknown detector"),
        ("move: x\nwhat is this\n", "cannot read this line"),
    ],
)
def test_broken_rules_files_are_reported_with_file_and_line(text: str, error: str) -> None:
    with pytest.raises(RulesError, match=re.escape(error)) as caught:
        parse_rules({"x.rules": text})
    assert str(caught.value).startswith("x.rules:")


def _unreached_alternatives(rule: Rule) -> list[str]:
    """Top-level alternatives (``a | b``) of ``rule`` that none of its ``+`` examples reach."""
    from checker.patterns import Choice, TokenText, _regex, render

    pattern = rule.pattern
    if pattern is None or len(pattern.nodes) != 1 or not isinstance(pattern.nodes[0], Choice):
        return []
    texts = [TokenText(ANALYSER.tokens(example)) for example in rule.must]
    unreached = []
    for option in pattern.nodes[0].options:
        regex = re.compile(_regex(option, not pattern.explicit_negation, True)[0])
        if not any(regex.match(t.string, s) for t in texts for s in t.starts[:-1]):
            unreached.append(render(option))
    return unreached


UNREACHED_BASELINE = Path(__file__).with_name("data") / "unreached_alternatives.txt"


def test_no_new_top_level_alternative_goes_without_an_example() -> None:
    """As LanguageTool's pattern tests: an alternative no example reaches may be dead.

    The rules written before this check are listed in a baseline that may only
    shrink: give the alternative a ``+`` example and delete its line.
    """
    unreached = {
        f"{rule.move}:{rule.name}: {alternative}"
        for rule in RULES
        for alternative in _unreached_alternatives(rule)
    }
    baseline = set(UNREACHED_BASELINE.read_text(encoding="utf-8").splitlines())
    new = sorted(unreached - baseline)
    assert not new, "alternatives that no + example reaches:\n" + "\n".join(new)
    assert not baseline - unreached, (
        "these alternatives now have an example: delete their lines from "
        f"{UNREACHED_BASELINE.name}:\n" + "\n".join(sorted(baseline - unreached))
    )


def test_marked_examples_highlight_exactly_the_marked_words() -> None:
    """``+ Je [ne peux pas] modifier…``: the rule's span is the bracketed words."""
    checked = 0
    for rule in RULES:
        for text, span in zip(rule.must, rule.must_spans, strict=True):
            if span is None or rule.kind != "pattern":
                continue
            tokens = ANALYSER.tokens(text)
            spans = [
                (start, end)
                for move, start, end, name in ANALYSER.kept_matches(text, tokens)
                if name == rule.name and move == rule.move
            ]
            assert span in spans, f"{rule.where}: {rule.name} shows {spans}, not {span} in {text!r}"
            checked += 1
    assert checked, "no rule example marks its highlight"
