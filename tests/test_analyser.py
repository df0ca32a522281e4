"""What a reader would notice in the analysis: the spec's rules of presence."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from checker import analyse
from checker.learned import layer_enabled


@pytest.fixture(autouse=True)
def _rules_alone() -> Iterator[None]:
    """These tests are about the rules: the learned layer, which may overrule them, is off."""
    with layer_enabled(False):
        yield


def moves(text: str) -> set[str]:
    return {m.move for m in analyse(text)}


@pytest.mark.parametrize(
    "text",
    [
        "Je suis vraiment désolée pour ce retard.",
        "Je suis vraiment desolee pour ce retard.",
        "JE SUIS VRAIMENT DÉSOLÉE POUR CE RETARD.",
        "Je suis vraiment désolée pour ce retard.".replace("é", "e\u0301"),  # decomposed accents
    ],
)
def test_accents_capitals_and_unicode_forms_do_not_hide_a_move(text: str) -> None:
    assert "empathy" in moves(text)


@pytest.mark.parametrize("apostrophe", ["'", "’", "ʼ", "‘"])
def test_every_apostrophe_counts(apostrophe: str) -> None:
    assert "ownership" in moves(f"C{apostrophe}est une erreur de notre part.")


def test_typos_in_long_words_are_tolerated() -> None:
    assert "next_step" in moves("N'hésitez pas à m'appeller demain.")
    assert "empathy" in moves("Je comprend votre agacement.")


def test_typos_do_not_turn_short_words_into_pitfalls() -> None:
    # « fort » is one letter from « tort »: short words must match exactly.
    assert "blame" not in moves("Vous avez fort bien fait de nous appeler.")


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Vous n'avez pas tort, la facture prête à confusion.", "blame"),
        ("Je ne vais pas vous dire non : voici ce que je peux faire.", "blunt_no"),
        ("Non seulement le colis est arrivé, mais il est intact.", "blunt_no"),
        ("Pour votre colis non livré, je lance une enquête aujourd'hui.", "blunt_no"),
        ("Je ne peux que vous remercier pour votre patience.", "cannot"),
        ("Pas de souci, je vous fais l'échange.", "cannot"),
        ("Rien ne vous empêche de l'échanger contre un autre article.", "cannot"),
    ],
)
def test_negation_and_pseudo_negation(text: str, absent: str) -> None:
    assert absent not in moves(text)


def test_spoken_negation_without_ne_still_counts() -> None:
    assert "cannot" in moves("C'est pas possible, madame.")
    assert "dismiss" in moves("C'est pas grave, une rayure.")


@pytest.mark.parametrize(
    "text",
    [
        "Vous me dites que c'est de notre faute : je vais vérifier.",
        "Le client a écrit « vous avez tort » dans son message.",
    ],
)
def test_quoted_and_reported_pitfalls_are_not_the_speaker_s(text: str) -> None:
    assert "blame" not in moves(text)


def test_reported_speech_is_a_restatement() -> None:
    assert "restate" in moves("Vous me dites que le colis n'est jamais arrivé.")


def test_one_sentence_can_hold_several_moves() -> None:
    found = moves("Je suis désolée, mais je ne peux pas vous rembourser car la loi l'interdit.")
    assert {"empathy", "cannot", "reason"} <= found


def test_spans_point_into_the_original_text() -> None:
    text = "Bonjour. Je comprends votre agacement, vraiment."
    (match,) = [m for m in analyse(text) if m.move == "empathy"]
    assert text[match.start : match.end] == match.text
    assert match.text.startswith("Je comprends")


def test_shouting_is_hostile_but_acronyms_are_not() -> None:
    assert "hostile" in moves("SI VOUS CONTINUEZ, JE RACCROCHE !")
    assert "hostile" not in moves("Votre colis part par DHL et la SNCF est en grève.")
    assert "hostile" in moves("C'est la troisième fois !!!")


def test_a_reply_without_any_move() -> None:
    assert analyse("Nous sommes ouverts du lundi au samedi.") == []


def test_analyse_rejects_what_is_not_text() -> None:
    with pytest.raises(TypeError):
        analyse(None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "move"),
    [
        ("jentends bien votre colere monsieur", "empathy"),  # glued: j'entends
        ("j entends bien votre colere monsieur", "empathy"),  # spaced
        ("cest une erreur de notre part", "ownership"),  # glued: c'est
        ("c est une erreur de notre part", "ownership"),
        ("vous m expliquerez ce qui s est passé ?", "question"),
    ],
)
def test_an_elision_typed_without_its_apostrophe_reads_as_with_it(text: str, move: str) -> None:
    assert move in moves(text)


@pytest.mark.parametrize(
    "text",
    [
        "deux ans dans le taux sans souci dont ceux-ci",
        "Cela dit, lavez-le à froid.",
        "c un litige avec le site",
    ],
)
def test_real_words_are_not_cut_as_if_an_apostrophe_were_missing(text: str) -> None:
    from checker.analyser import default_analyser
    from checker.text import tokenize

    expected = [t.word for t in tokenize(text)]
    assert [t.word for t in default_analyser().tokens(text)] == expected
