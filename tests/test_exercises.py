"""Every exercise file: valid, its model answers pass, its examples agree with it.

The same examples run inside Pyodide (tests/pyodide): CPython and the browser agree.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checker import grade
from checker.tools.exercises import (
    EXERCISES_DIR,
    check_behaviour,
    check_structure,
    find_exercises,
    read_file,
)

SCENARIO_IDS = {
    "carte-bancaire", "client-insultant", "commande-impossible", "facture-mal-lue", "retour-produit",
    "client-furieux", "suivi-reclamation", "hausse-de-prix", "erreur-de-notre-part", "delai-depasse",
}  # fmt: skip
EXERCISES = find_exercises()


@pytest.mark.parametrize("path", list(EXERCISES.values()), ids=list(EXERCISES))
def test_exercise_file_is_valid(path: Path) -> None:
    assert check_structure(read_file(path)) == []


@pytest.mark.parametrize("path", list(EXERCISES.values()), ids=list(EXERCISES))
def test_model_answers_pass_and_examples_agree(path: Path) -> None:
    assert check_behaviour(read_file(path)) == []


@pytest.mark.parametrize("path", list(EXERCISES.values()), ids=list(EXERCISES))
def test_failing_examples_get_actionable_first_feedback(path: Path) -> None:
    data = read_file(path).data
    for example in data["examples"]:
        if example["passed"]:
            continue
        first = grade(data, example["text"]).criteria[0]
        assert first.status != "found", example["text"]
        assert first.message.strip(), f"{first.id} has no message"


def test_the_core_scenarios_are_all_there() -> None:
    missing = SCENARIO_IDS - set(EXERCISES)
    assert not missing, f"missing exercise files: {sorted(missing)}"


def test_schema_is_referenced_by_every_file() -> None:
    for path in EXERCISES_DIR.glob("*.yml"):
        assert path.read_text(encoding="utf-8").startswith(
            "# yaml-language-server: $schema=schema.json"
        )


def test_one_list_of_moves_and_channels() -> None:
    """The rules files name the moves; the schema, the validator and the widget agree."""
    import json

    from checker.analyser import default_analyser
    from checker.tools.exercises import CHANNELS, EXERCISES_DIR
    from hooks.exercise_block import CHANNELS as WIDGET_CHANNELS

    rules = default_analyser().rules.moves
    schema = json.loads((EXERCISES_DIR / "schema.json").read_text(encoding="utf-8"))
    assert set(schema["$defs"]["move"]["enum"]) == set(rules)
    assert set(schema["$defs"]["pitfall"]["enum"]) == {
        m for m, spec in rules.items() if spec.kind == "pitfall"
    }
    assert set(schema["properties"]["channel"]["enum"]) == set(CHANNELS) == set(WIDGET_CHANNELS)
