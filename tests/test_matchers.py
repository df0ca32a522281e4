"""The fast regex matcher agrees with the reference backtracking matcher.

``checker.tools.reference.match_at`` (tokens, backtracking) is the readable specification;
``Pattern.match_text`` (one regex per pattern) is what the analyser runs.
"""

from __future__ import annotations

from checker.analyser import default_analyser
from checker.patterns import TokenText
from checker.tools.reference import match_at

ANALYSER = default_analyser()


def test_regex_matcher_agrees_on_every_rule_example() -> None:
    texts = [
        t for spec in ANALYSER.rules.moves.values() for r in spec.rules for t in r.must + r.must_not
    ]
    disagreements = []
    for text in texts:
        tokens = ANALYSER.tokens(text)
        if any(token.fix for token in tokens):
            continue  # typo fixes are spelled out in the token text only
        token_text = TokenText(tokens)
        for pattern, rule in ANALYSER.index.entries:
            for start in range(len(tokens)):
                slow = match_at(pattern, tokens, start) > start
                fast = pattern.match_text(token_text, start) > start
                if slow != fast:
                    disagreements.append((rule.name, start, text))
    assert disagreements == []
