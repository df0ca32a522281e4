"""Hostile exercise files and odd replies: refused with a clear message, never a crash."""

from __future__ import annotations

import json
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from checker import analyse, grade
from checker.analyser import _mark_reported, default_analyser
from checker.patterns import PatternError, compile_pattern
from checker.text import tokenize
from checker.tools.bench import BENCH_EXERCISE
from checker.tools.exercises import EXERCISES_DIR, validate_paths
from hooks.catalogue import load_exercises

ROOT = Path(__file__).resolve().parents[1]
GOOD = (EXERCISES_DIR / "retour-produit.yml").read_text(encoding="utf-8")


def _exercise_dir(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "exercises"
    folder.mkdir()
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_build_refuses_an_id_that_escapes_the_site_before_writing(tmp_path: Path) -> None:
    evil = GOOD.replace("id: retour-produit", "id: ../../../package\nscripts: {postinstall: x}")
    folder = _exercise_dir(tmp_path, "retour-produit.yml", evil)
    with pytest.raises(PluginError) as error:
        load_exercises(folder)
    message = str(error.value)
    assert "retour-produit.yml:2: id:" in message
    assert "scripts: unknown field" in message


def test_build_refuses_what_validate_refuses(tmp_path: Path) -> None:
    folder = _exercise_dir(
        tmp_path, "retour-produit.yml", GOOD.replace("channel: desk", "channel: fax")
    )
    with pytest.raises(PluginError, match="channel"):
        load_exercises(folder)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('a: &a ["x","x"]\nb: [*a,*a]\n', ":1: invalid YAML: line 1: anchors and aliases"),
        ("a: &a [*a]\n", ":1: invalid YAML: line 1: anchors and aliases"),
        ("id: x\ntitle: a\nid: y\n", ":3: duplicate key 'id'"),
        ("id: x\ntitle: " + "a" * 6000 + "\n", ":2: text too long"),
        ("id: x\nhints: [" + ", ".join(["a"] * 300) + "]\n", ":2: list too long"),
        ("x: " + "a" * 300_000 + "\n", ":1: file too large"),
    ],
)
def test_validate_rejects_hostile_yaml_with_path_and_line(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "x.yml"
    path.write_text(text, encoding="utf-8")
    problems = validate_paths([path])
    assert any(expected in problem for problem in problems), problems
    assert all(problem.startswith(str(path)) for problem in problems)


def test_validate_cli_prints_no_traceback_on_recursive_alias(tmp_path: Path) -> None:
    path = tmp_path / "x.yml"
    path.write_text("a: &a [*a]\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "checker", "validate", str(path)],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert run.returncode == 1
    assert "Traceback" not in run.stderr + run.stdout
    assert ":1: invalid YAML" in run.stdout + run.stderr


def test_lesson_must_be_a_page_of_the_site(tmp_path: Path) -> None:
    evil = GOOD.replace(
        "lesson: lecons/dernier-mot-ou-resultat.md", 'lesson: "javascript:alert(1)"'
    )
    path = tmp_path / "retour-produit.yml"
    path.write_text(evil, encoding="utf-8")
    assert any("lesson: expected a lesson page of the site" in p for p in validate_paths([path]))


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("site ..200 ..200 ..200 ..200 zzzz", "a gap spans 1 to 30 tokens"),
        ("site ..4294967296 zzzz", "a gap spans 1 to 30 tokens"),
        ("site ..3 ...4 zzzz", "two gaps in a row"),
        ("a ..20 b ..20 c ..20 d", "too costly"),
    ],
)
def test_costly_patterns_are_refused_at_load(source: str, message: str) -> None:
    with pytest.raises(PatternError, match=message):
        compile_pattern(source)


def test_a_lone_combining_accent_is_graded_like_any_reply() -> None:
    for text in ["Bonjour \u0301", "\u0301", "\u0301\u0301 \u0301 merci"]:
        result = grade(BENCH_EXERCISE, text)
        assert 0 <= result.score <= 100


def test_reported_speech_scopes_visit_each_token_once() -> None:
    tokens = default_analyser().tokens("vous me dites que " * 300)
    openers = [("reported", i + 4, i + 4) for i in range(0, len(tokens), 4)]

    class Counting(list):  # type: ignore[type-arg]
        reads = 0

        def __getitem__(self, index):  # type: ignore[no-untyped-def]
            Counting.reads += 1
            return super().__getitem__(index)

    counted = Counting(tokens)
    _mark_reported(counted, openers)
    assert Counting.reads < 4 * len(tokens)
    assert all(token.quoted for token in tokens[4:])


def test_one_huge_word_costs_little_memory() -> None:
    tracemalloc.start()
    grade(BENCH_EXERCISE, "a" * 64_000)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 20_000_000


def test_decomposed_accents_read_like_composed_ones() -> None:
    import unicodedata

    for text in ["NON, ÉVIDEMMENT, C'EST RÉGLÉ. Désolé.", "Je suis DÉSOLÉ, ÇA ARRIVE."]:
        nfd = unicodedata.normalize("NFD", text)
        assert [m.move for m in analyse(text)] == [m.move for m in analyse(nfd)]


def test_letters_outside_latin_are_not_words_whatever_the_unicode_version() -> None:
    # U+1E030 (Cyrillic Extended-D) exists in Unicode 15, not in CPython 3.11's 14.
    assert [t.word for t in tokenize("merci \U0001e030\U0001e031 bien")] == ["merci", "bien"]
    assert [t.word for t in tokenize("café ÉTÉ ŒUVRE")] == ["cafe", "ete", "oeuvre"]


def test_jsonl_bad_lines_give_an_error_and_the_batch_goes_on() -> None:
    lines = (
        b'{"id": 1, "text": "\\ud800 non merci"}\n'
        b"\xff\xfe not utf-8\n"
        b'{"id": 3, "text": "Je comprends votre col\xc3\xa8re."}\n'
    )
    for command in (["analyse", "--jsonl"], ["grade", "--jsonl", "delai-depasse"]):
        run = subprocess.run(
            [sys.executable, "-m", "checker", *command],
            input=lines, capture_output=True, cwd=ROOT, timeout=60,
        )  # fmt: skip
        out = [json.loads(line) for line in run.stdout.decode("utf-8").splitlines()]
        assert [item.get("id") for item in out] == [1, None, 3]
        assert "error" not in out[0] and "error" not in out[2]
        assert "line 2: not UTF-8" in out[1]["error"]
