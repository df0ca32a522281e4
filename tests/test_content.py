"""What a reader sees of the exercises: French typography, « la cliente », captions, names.

- « 1 290 € », « 10 % », « M. Garnier », « colère : » never break on a phone:
  exercises are typeset when loaded, the pages are written typeset;
- a female customer is « la cliente » in every sentence of the feedback;
- the customer's words are captioned by the channel they came through;
- no name is given to two different people (or a person and a firm).
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from checker.analyser import default_analyser
from checker.feedback import for_her
from checker.grader import EMPTY_MESSAGE, grade
from checker.tools.exercises import find_exercises, load_catalogue, load_exercise, read_file
from checker.tools.typography import NBSP, french_spacing
from hooks.exercise_block import customer_caption, render_exercise

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def _exercise(name: str) -> dict[str, Any]:
    return load_exercise(find_exercises()[name])


# --------------------------------------------------------------------------- typography


@pytest.mark.parametrize(
    ("typed", "typeset"),
    [
        ("votre colère : voilà", "votre colère\u00a0: voilà"),
        ("« Non ? »", "«\u00a0Non\u00a0?\u00a0»"),
        ("un canapé à 1 290 €", "un canapé à 1\u00a0290\u00a0€"),
        ("de 10 % au 1er juillet", "de 10\u00a0% au 1er juillet"),
        (
            "entre 8 h et 12 h ; au 04 78 21 36 90",
            "entre 8\u00a0h et 12\u00a0h\u00a0; au 04\u00a078\u00a021\u00a036\u00a090",
        ),
        ("M. Garnier et Mme Lefort", "M.\u00a0Garnier et Mme\u00a0Lefort"),
    ],
)
def test_french_spacing_puts_no_break_spaces_where_a_line_must_not_break(
    typed: str, typeset: str
) -> None:
    assert french_spacing(typed) == typeset
    assert french_spacing(typeset) == typeset  # typesetting twice changes nothing


@pytest.mark.parametrize(
    "text",
    ["entre 2024 et 2025", "http://127.0.0.1:8000/?a=1", "Il a 12 ans.", "ligne\n: suite"],
)
def test_french_spacing_leaves_other_spaces_alone(text: str) -> None:
    assert french_spacing(text) == text


def test_exercises_are_typeset_when_loaded_for_the_site_and_the_cli() -> None:
    raw = read_file(find_exercises()["suivi-reclamation"]).data
    assert "1 290 €" in raw["situation"]  # authors type ordinary spaces
    for exercise in (load_catalogue()["suivi-reclamation"], _exercise("suivi-reclamation")):
        assert f"1{NBSP}290{NBSP}€" in exercise["situation"]
        assert f"8{NBSP}h" in exercise["model_answers"][0]
        assert f"04{NBSP}78{NBSP}21{NBSP}36{NBSP}90" in exercise["rubric"]["criteria"][4]["missing"]
        assert exercise["examples"] == raw["examples"]  # replies are the learners' own


def test_a_typeset_model_answer_grades_as_the_typed_one() -> None:
    raw = read_file(find_exercises()["hausse-de-prix"]).data
    typeset = _exercise("hausse-de-prix")
    assert typeset["model_answers"][0] != raw["model_answers"][0]
    before = grade(raw, raw["model_answers"][0]).to_dict()
    after = grade(typeset, typeset["model_answers"][0]).to_dict()
    assert (after["score"], after["passed"]) == (before["score"], before["passed"])


def test_the_widget_shows_the_typeset_texts() -> None:
    import xml.etree.ElementTree as etree

    section = render_exercise(etree.Element("div"), _exercise("suivi-reclamation"), 2)
    text = "".join(section.itertext())
    assert f"1{NBSP}290{NBSP}€" in text and "1 290 €" not in text


@pytest.mark.parametrize("path", sorted(DOCS.rglob("*.md")), ids=lambda p: p.name)
def test_every_page_is_typeset_as_the_lessons_are(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    typeset = french_spacing(text)
    if typeset != text:
        line = next(
            n
            for n, (a, b) in enumerate(zip(text.splitlines(), typeset.splitlines(), strict=True), 1)
            if a != b
        )
        pytest.fail(f"{path.relative_to(ROOT)}:{line}: a space that should not break")


# --------------------------------------------------------------------------- la cliente


def _feminine_exercises() -> list[str]:
    return sorted(
        name
        for name, path in find_exercises().items()
        if read_file(path).data.get("customer_gender") == "feminine"
    )


def test_exercises_addressed_to_mme_say_their_customer_is_a_woman() -> None:
    for name, path in find_exercises().items():
        data = read_file(path).data
        to_her = re.search(r"\b(Mme|Madame)\b", data["instruction"]) is not None
        assert to_her == (data.get("customer_gender") == "feminine"), name
    assert _feminine_exercises() == ["retour-produit", "suivi-reclamation"]


@pytest.mark.parametrize("name", _feminine_exercises())
def test_the_feedback_about_a_female_customer_says_la_cliente(name: str) -> None:
    exercise = _exercise(name)
    replies = [e["text"] for e in exercise["examples"]] + exercise["model_answers"]
    replies += ["", "Hello, I am sorry.", "mot " * 400]
    for reply in replies:
        data = grade(exercise, reply).to_dict()
        sentences = [data["advice"]] + [
            part for c in data["criteria"] for part in (c["label"], c["message"])
        ]
        masculine = [s for s in sentences if re.search(r"\b(le|du|au|ce|un) client\b", s, re.I)]
        assert not masculine, f"{name}: {masculine}"
    empty = grade(exercise, "").to_dict()["criteria"][0]["message"]
    assert "à la cliente" in empty and empty == for_her(EMPTY_MESSAGE)
    passed = grade(exercise, exercise["model_answers"][0]).to_dict()
    assert passed["advice"] == "Votre réponse coche l'essentiel pour cette cliente."


def test_a_male_customer_keeps_le_client() -> None:
    data = grade(_exercise("carte-bancaire"), "").to_dict()
    assert "au client" in data["criteria"][0]["message"]


def test_the_checkers_own_sentences_can_be_said_of_a_woman() -> None:
    """A default message names the customer by a noun phrase only: no « il », no
    « entendu » agreeing with him, so that for_her makes it right for a woman."""
    rules = default_analyser().rules
    for move, spec in rules.moves.items():
        for text in (spec.label, spec.found, spec.missing, spec.violated):
            if re.search(r"\bclient\b", text):
                said_of_her = for_her(text)
                assert not re.search(r"\bclient\b", said_of_her), (move, said_of_her)
                assert not re.search(r"\b(il|qu'il|lui-même)\b", text), (move, text)


def test_for_her_rewrites_the_noun_phrases_only() -> None:
    assert for_her("Au client, le client, du client, ce client, un client.") == (
        "À la cliente, la cliente, de la cliente, cette cliente, une cliente."
    )
    assert for_her("le service client, nos clients") == "le service client, nos clients"


# --------------------------------------------------------------------------- captions


@pytest.mark.parametrize(
    ("name", "caption"),
    [
        ("carte-bancaire", "Le client, au téléphone"),
        ("delai-depasse", "Le client, en face à face"),
        ("erreur-de-notre-part", "Le courriel du client"),  # read before the call
        ("hausse-de-prix", "Le client, en face à face"),  # said at the last delivery
        ("retour-produit", "La cliente, en face à face"),
        ("suivi-reclamation", "La cliente, en face à face"),  # said before the e-mail
    ],
)
def test_the_customers_words_are_captioned_by_the_channel_they_came_through(
    name: str, caption: str
) -> None:
    assert customer_caption(_exercise(name)) == caption


def test_an_email_from_a_woman_and_the_help_text_say_la_cliente() -> None:
    import xml.etree.ElementTree as etree

    exercise = dict(_exercise("retour-produit"), customer_channel="email")
    assert customer_caption(exercise) == "Le courriel de la cliente"
    section = render_exercise(etree.Element("div"), exercise, 2)
    assert "l'écririez à la cliente." in "".join(section.itertext())


# --------------------------------------------------------------------------- names

_TITLES = {"M", "Mme", "Mlle", "Monsieur", "Madame", "Mademoiselle"}
# A name: a capitalised word after a title or after another capitalised word
# (« Mme Lefort », « Julien Perrin », « Menuiserie Marsac »).
_NAME = re.compile(
    r"(?=(?:\b(?:M\.|Mme|Mlle|Monsieur|Madame|Mademoiselle)|\b[A-ZÀ-Ý][a-zà-ÿ]+)"
    r"[ \u00a0]+([A-ZÀ-Ý][a-zà-ÿ]{2,}))"
)


def _reader_texts() -> dict[str, str]:
    """Every page, and every exercise's situation, words, instruction, hints and model answers."""
    texts = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in DOCS.rglob("*.md")}
    for name, path in find_exercises().items():
        data = read_file(path).data
        fields = [data["title"], data["situation"], data["customer"], data["instruction"]]
        texts[f"exercises/{name}.yml"] = "\n".join(fields + data["hints"] + data["model_answers"])
    return texts


def _names_in(texts: dict[str, str]) -> dict[str, set[str]]:
    where: dict[str, set[str]] = defaultdict(set)
    for source, text in texts.items():
        for name in _NAME.findall(text):
            if name not in _TITLES:
                where[name].add(source)
    return where


def test_no_name_is_given_to_two_different_people() -> None:
    shared = {n: sorted(s) for n, s in _names_in(_reader_texts()).items() if len(s) > 1}
    assert not shared, f"a name used in two places: {shared}"


def test_a_reused_name_is_caught() -> None:
    texts = {"a": "Répondez à Mme Vasseur.", "b": "Vous êtes à la Brûlerie Vasseur."}
    assert _names_in(texts)["Vasseur"] == {"a", "b"}


# --------------------------------------------------------------------------- trainers


def test_the_sources_page_names_what_is_known_and_no_internal_code() -> None:
    text = (DOCS / "sources.md").read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    assert not re.search(r"\bP\d\d\b", body), "principle codes are for maintainers"
    assert "huit mots" not in body, "editorial rules are for maintainers"
    articles = re.split(r"^## \d\. ", body, flags=re.MULTILINE)[1:]
    assert len(articles) == 5
    for article in articles:
        known = re.search(r"\]\(https://", article) or "non retrouvée" in article
        assert known, f"no address and no word that it is unknown: {article[:60]}"
    assert "Gilbert Rozès" in body and "31" in body and "2020" in body


def test_lesson_7_teaches_the_method_on_the_phone_and_in_writing() -> None:
    text = (DOCS / "lecons" / "client-furieux.md").read_text(encoding="utf-8")
    section = text.split("### Au téléphone ou par écrit", 1)[1].split("\n## ", 1)[0]
    for step in ("Isoler", "Écouter", "Laisser retomber", "Conclure"):
        row = next(line for line in section.splitlines() if line.startswith(f"| **{step}**"))
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert len(cells) == 3 and all(cells), f"{step}: a gesture for the phone and for chat"
