"""The learned layer at run time: a plain sum of shipped weights, the same in every call."""

from __future__ import annotations

from checker.analyser import default_analyser
from checker.learned import LearnedLayer


def _layer() -> LearnedLayer:
    # Two targets: a move that leans on the rules' « empathy », and a criterion.
    return LearnedLayer(
        {
            "targets": ["move:thanks", "crit:x:y"],
            "bias": [-1.0, -1.0],
            "threshold": [0.0, 0.0],
            "scale_power": 0.25,
            "weights": {"w:merci": "0:3 1:0.5", "r:empathy": "1:2", "r:self": "1:1"},
        }
    )


def test_a_reply_is_scored_with_the_rules_own_moves_even_when_asked_again() -> None:
    layer = _layer()
    tokens = default_analyser().tokens("Merci beaucoup, je comprends.")
    first = layer.decide(tokens, {"empathy"}, ["move:thanks", "crit:x:y"])
    # The grader asks again for the criteria, knowing only the moves the layer kept.
    again = layer.decide(tokens, {"thanks"}, ["crit:x:y"])
    assert again["crit:x:y"].score == first["crit:x:y"].score
    assert first["crit:x:y"].present and first["move:thanks"].present


def test_a_criterion_the_rules_found_gets_its_own_weight() -> None:
    layer = _layer()
    tokens = default_analyser().tokens("Bonjour.")
    without = layer.decide(tokens, set(), ["crit:x:y"])["crit:x:y"].score
    with_rules = layer.decide(tokens, set(), ["crit:x:y"], ["crit:x:y"])["crit:x:y"].score
    assert with_rules == without + 1


def test_features_weigh_less_in_a_long_reply_but_not_as_a_unit_vector() -> None:
    layer = _layer()
    analyser = default_analyser()
    short = layer.decide(analyser.tokens("Merci."), set(), ["move:thanks"])["move:thanks"].score
    long_text = "Merci. " + "Le colis part demain matin depuis notre entrepôt de Lyon. " * 4
    long = layer.decide(analyser.tokens(long_text), set(), ["move:thanks"])["move:thanks"].score
    assert long < short
    assert long > -1.0 + 3 / 60**0.5  # more than a unit-vector share of « merci »
