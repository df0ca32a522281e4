"""The command-line contract others depend on: `python -m checker ...` from the repo root."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_EVAL = ROOT.parent / "shared" / "eval"


def run(*args: str, stdin: str = "", cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "checker", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def test_analyse_text_argument_and_stdin() -> None:
    by_argument = run("analyse", "Je comprends votre agacement.")
    by_stdin = run("analyse", stdin="Je comprends votre agacement.")
    assert by_argument.returncode == by_stdin.returncode == 0
    assert "empathy" in by_argument.stdout and by_argument.stdout == by_stdin.stdout


def test_analyse_json() -> None:
    out = run("analyse", "--json", "Désolée, c'est non.")
    data = json.loads(out.stdout)
    assert {m["move"] for m in data["moves"]} == {"empathy", "blunt_no"}


def test_analyse_jsonl_keeps_order_and_survives_bad_lines() -> None:
    lines = [
        json.dumps({"id": "a", "text": "Merci pour votre patience."}),
        "not json",
        json.dumps({"id": "c", "text": 3}),
        json.dumps({"id": "d", "text": "Calmez-vous."}),
    ]
    out = run("analyse", "--jsonl", stdin="\n".join(lines) + "\n")
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [row["id"] for row in rows] == ["a", None, "c", "d"]
    assert rows[0]["moves"][0] == {
        "move": "thanks",
        "start": 0,
        "end": 5,
        "text": "Merci",
        "rules": rows[0]["moves"][0]["rules"],
    }
    assert rows[0]["moves"][0]["rules"][0].startswith("merci (thanks.rules:")
    assert "error" in rows[1] and "error" in rows[2]
    assert rows[3]["moves"][0]["move"] == "dismiss"
    assert out.returncode == 1


def test_grade_readable_json_and_exit_code() -> None:
    failing = run("grade", "carte-bancaire", "Non.")
    assert failing.returncode == 1
    # The page's words: verdict line, advice, status labels.
    assert failing.stdout.startswith("Pas encore — score : ")
    assert "○ Manquant : Accueillir sa colère (indispensable) — " in failing.stdout
    data = json.loads(run("grade", "carte-bancaire", "--json", stdin="Non.").stdout)
    assert data["passed"] is False and data["criteria"][0]["status"] != "found"


def test_grade_accepts_a_path() -> None:
    out = run("grade", "exercises/carte-bancaire.yml", "--json", "Je comprends votre colère.")
    assert "Accueillir sa colère" in [c["label"] for c in json.loads(out.stdout)["criteria"]]


def test_grade_jsonl() -> None:
    lines = [
        json.dumps({"id": 1, "exercise": "carte-bancaire", "text": "Je comprends."}),
        json.dumps({"id": 2, "exercise": "nope", "text": "Je comprends."}),
    ]
    out = run("grade", "--jsonl", stdin="\n".join(lines))
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert set(rows[0]) == {"id", "exercise", "score", "passed", "criteria"}
    assert rows[1]["id"] == 2 and "unknown exercise" in rows[1]["error"]


def test_bad_usage_exits_2() -> None:
    assert run("grade", "no-such-exercise", "texte").returncode == 2
    assert run("frobnicate").returncode == 2


def test_validate_reports_path_line_message(tmp_path: Path) -> None:
    bad = tmp_path / "oops.yml"
    bad.write_text("id: oops\ntitle: 3\n", encoding="utf-8")
    out = run("validate", str(bad))
    assert out.returncode == 1
    assert any(line.startswith(f"{bad}:2: title") for line in out.stdout.splitlines())
    assert run("validate").returncode == 0


def test_new_scaffolds_a_file_that_validate_explains(tmp_path: Path) -> None:
    from checker.tools.scaffold import create_exercise

    path = create_exercise("colis-perdu", root=tmp_path)
    assert "colis-perdu" in path.read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="already exists"):
        create_exercise("colis-perdu", root=tmp_path)
    with pytest.raises(ValueError, match="invalid id"):
        create_exercise("Colis Perdu", root=tmp_path)


@pytest.mark.skipif(not SHARED_EVAL.exists(), reason="../shared/eval is not beside the repo")
def test_evaluate_prints_the_figures() -> None:
    out = run("evaluate", str(SHARED_EVAL / "moves_dev.jsonl"))
    assert out.returncode == 0
    assert "micro: precision" in out.stdout and "lowest move F1" in out.stdout


def test_bench_prints_rates() -> None:
    out = run("bench", "--seconds", "0.2")
    assert "replies/s" in out.stdout and "calls/s" in out.stdout


def test_explain_names_the_stage_that_stopped_each_rule() -> None:
    import subprocess
    import sys
    from pathlib import Path

    def explain(*args: str) -> str:
        run = subprocess.run(
            [sys.executable, "-m", "checker", "explain", *args],
            capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1], timeout=60,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
        return run.stdout

    out = explain("Pas possible, désolé.", "--move", "cannot")
    assert "pas-possible-seul (cannot.rules:" in out and ": fired" in out
    assert "0:pas 1:possible" in out
    out = explain("Vous me dites que c'est de votre faute.", "--move", "blame")
    assert "quoted or reported speech" in out
    out = explain("Je ne dis pas que vous avez tort.", "--move", "blame")
    assert "negation" in out or "quoted or reported speech" in out
    out = explain("Merci, je vous échange ce café.", "--exercise", "retour-produit")
    assert "rubric:" in out and "kind-word: found [merci (thanks.rules:" in out
