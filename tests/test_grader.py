"""Grading as the page uses it: verdict, score, ordered French feedback, spans."""

from __future__ import annotations

import copy
import json

import pytest

from checker import ExerciseError, grade
from checker.tools.bench import BENCH_EXERCISE

GOOD = (
    "Je comprends votre déception. Le remboursement est limité à 30 jours, car nos fournisseurs "
    "ne reprennent plus les articles au-delà ; en revanche, je peux vous proposer un avoir de 89 €."
)


def test_a_reply_with_every_must_passes() -> None:
    result = grade(BENCH_EXERCISE, GOOD)
    assert result.passed
    assert result.score >= 60
    assert all(c.status == "found" for c in result.criteria)


def test_a_forbidden_move_fails_the_reply_and_comes_first() -> None:
    result = grade(BENCH_EXERCISE, GOOD + " Vous auriez dû lire les conditions.")
    assert not result.passed
    first = result.criteria[0]
    assert (first.id, first.status) == ("no-blame", "violated")
    assert first.spans and "auriez dû" in result.text[first.spans[0][0] : first.spans[0][1]]


def test_a_missing_must_fails_even_with_a_high_score() -> None:
    exercise = copy.deepcopy(BENCH_EXERCISE)
    exercise["rubric"]["pass_score"] = 10
    result = grade(
        exercise,
        "Je vous propose un avoir de 89 €, valable un an sur tout le site, avec plaisir, pour votre prochain achat chez nous.",
    )
    assert not result.passed
    missing_musts = [c.id for c in result.criteria if c.required and c.status == "missing"]
    assert "reason" in missing_musts
    assert [c.id for c in result.criteria[: len(missing_musts)]] == missing_musts  # they come first


def test_a_too_short_reply_is_told_so() -> None:
    result = grade(BENCH_EXERCISE, "Désolé, c'est la règle.")
    length = next(c for c in result.criteria if c.id == "length")
    assert length.status == "missing" and "trop courte" in length.message
    assert not result.passed


def test_result_is_json_ready_with_utf16_spans() -> None:
    text = "🙂🙂 " + GOOD
    data = json.loads(json.dumps(grade(BENCH_EXERCISE, text).to_dict()))
    span = next(c for c in data["criteria"] if c["id"] == "empathy")["spans"][0]
    assert span["text"] == "Je comprends votre déception"
    assert span["start16"] == text.index("Je comprends") + 2  # each emoji is two UTF-16 units
    encoded = text.encode("utf-16-le")
    assert encoded[2 * span["start16"] : 2 * span["end16"]].decode("utf-16-le") == span["text"]


def test_the_page_gets_every_sentence_about_the_grade_worded() -> None:
    """The page renders these strings as they are: the score is worded in one place."""
    passing = grade(BENCH_EXERCISE, GOOD).to_dict()
    assert (passing["verdict"], passing["advice"]) == (
        "Réussi", "Votre réponse coche l'essentiel pour ce client."
    )  # fmt: skip
    assert passing["score_text"] == (
        f"score : {passing['score']} sur 100 (il faut 60 et tous les points indispensables)"
    )
    # The verdict line labels the result box: the status line does not repeat it.
    assert passing["announcement"] == "Réponse vérifiée : le résultat s'affiche ci-dessous."
    failing = grade(BENCH_EXERCISE, GOOD + " Vous auriez dû lire les conditions.").to_dict()
    assert failing["verdict"] == "Pas encore"
    assert failing["advice"] == ""  # its comments say what to do
    assert failing["comments_title"] == "À retravailler en priorité"
    first = failing["criteria"][0]
    assert (first["status_label"], first["mark"], first["required_note"]) == (
        "À corriger", "✗", "indispensable"
    )  # fmt: skip
    from checker.tools.exercises import load_exercise, resolve

    card = grade(load_exercise(resolve("carte-bancaire")), "Non, vous auriez dû lire.").to_dict()
    labels = {c["status"]: (c["mark"], c["status_label"]) for c in card["criteria"]}
    assert labels["not_applicable"] == ("–", "Sans objet")
    assert labels["missing"] == ("○", "Manquant")
    empty = grade(BENCH_EXERCISE, "  ").to_dict()
    assert (empty["verdict"], empty["announcement"]) == ("Réponse vide", "Votre réponse est vide.")


def test_the_contract_holds_only_what_the_page_reads() -> None:
    data = grade(BENCH_EXERCISE, GOOD).to_dict()
    assert set(data) == {
        "score", "passed", "empty", "verdict", "score_text", "advice", "announcement",
        "comments_title", "comments", "strengths_title", "strengths", "criteria",
    }  # fmt: skip
    assert set(data["criteria"][0]) == {
        "id", "label", "status", "status_label", "mark", "required_note", "message", "spans",
        "rules", "moves",
    }  # fmt: skip


def test_an_invalid_rubric_is_refused_with_the_field() -> None:
    exercise = copy.deepcopy(BENCH_EXERCISE)
    exercise["rubric"]["criteria"][0]["move"] = "empathie"
    with pytest.raises(ExerciseError, match=r"criteria\[0\]\.move: unknown move id 'empathie'"):
        grade(exercise, GOOD)


def test_grade_rejects_what_is_not_text() -> None:
    with pytest.raises(TypeError):
        grade(BENCH_EXERCISE, 42)  # type: ignore[arg-type]


def test_a_reply_in_another_language_is_asked_in_french() -> None:
    from checker.tools.bench import BENCH_EXERCISE

    for text, language in [
        (
            "Sorry sir, we cannot refund you but we can offer a voucher for your next order.",
            "anglais",
        ),
        ("Lo siento mucho, puede cambiar el producto por otro, no hay problema.", "espagnol"),
    ]:
        result = grade(BENCH_EXERCISE, text)
        assert not result.passed and result.score == 0
        advice = result.to_dict()["advice"]
        assert f"écrite en {language}" in advice and "en français" in advice
        assert result.to_dict()["announcement"] == "Votre réponse n'est pas en français."
    franglais = "sorry, je check le process et je vous fais un refund asap, promis"
    assert "français" not in grade(BENCH_EXERCISE, franglais).to_dict()["advice"]


def test_a_refused_reply_always_scores_under_the_pass_mark() -> None:
    from checker.tools.bench import BENCH_EXERCISE

    text = "Je vous propose un avoir de 89 €, valable un an sur tout le site, pour votre prochain achat."
    result = grade(BENCH_EXERCISE, text)
    assert not result.passed
    assert result.score < result.pass_score


def test_a_short_reply_that_does_every_must_passes_with_a_length_tip() -> None:
    exercise = copy.deepcopy(BENCH_EXERCISE)
    exercise["rubric"]["min_words"] = 60  # GOOD is shorter than that
    result = grade(exercise, GOOD)
    assert result.passed
    tip = next(c for c in result.criteria if c.id == "length")
    assert not tip.required and "trop courte" in tip.message


def test_a_coach_gives_three_comments_at_most_quoting_the_reply() -> None:
    from checker.tools.exercises import load_exercise, resolve

    card = load_exercise(resolve("carte-bancaire"))
    text = (
        "Je comprends votre colère, monsieur Garnier. Mais vous auriez dû lire les conditions "
        "avant de donner votre carte. Je ne peux rien faire, c'est au site de vous rembourser."
    )
    data = grade(card, text).to_dict()
    todo = [c for c in data["criteria"] if c["status"] in ("missing", "violated")]
    assert len(todo) > 3 and len(data["comments"]) == 3
    assert [c["id"] for c in data["comments"]] == [c["id"] for c in todo[:3]]  # priority order
    first = data["comments"][0]
    assert (first["id"], first["quote"]) == ("no-blame", "vous auriez dû")
    assert all(c["quote"] in text for c in data["comments"] + data["strengths"])
    assert 0 < len(data["strengths"]) <= 3
    found = {c["id"] for c in data["criteria"] if c["status"] == "found"}
    assert {c["id"] for c in data["strengths"]} <= found
    assert data["strengths"][0]["quote"], "what the reader's words show comes first"
    assert grade(card, "   ").to_dict()["comments"] == []


def test_a_long_quote_is_cut_at_a_word() -> None:
    from checker.feedback import QUOTE_MAX, quote
    from checker.grader import CriterionResult, Result

    text = "mot " * 60
    criterion = CriterionResult("x", "move", "X", "found", False, "", [(0, len(text) - 1)])
    result = Result("e", text, 100, True, 60, [criterion], [])
    cut = quote(result, criterion)
    assert cut.endswith(" …") and len(cut) <= QUOTE_MAX + 2
    assert cut.removesuffix(" …").split() == ["mot"] * len(cut.removesuffix(" …").split())


def test_the_words_of_a_pitfall_are_never_quoted_as_a_strength() -> None:
    from checker.tools.exercises import load_exercise, resolve

    bill = load_exercise(resolve("facture-mal-lue"))
    text = (
        "Vous avez mal lu, monsieur Da Silva : 384 € c'est le total annuel, soit 12 fois 32 €. "
        "Je vous envoie l'échéancier."
    )
    result = grade(bill, text)
    pitfall = next(c for c in result.criteria if c.status == "violated")
    start, end = pitfall.spans[0]
    for found in (c for c in result.criteria if c.status == "found"):
        assert all(e <= start or s >= end for s, e in found.spans), found.id
    late = load_exercise(resolve("delai-depasse"))
    reply = grade(late, "Vous n'aviez qu'à venir avant. C'est non.")
    assert [c.id for c in reply.criteria if c.status == "found"] == []
