"""The checker gives the same results in Pyodide (Node) as in CPython.

Every example reply of every exercise is graded by CPython here and by the
checker wheel, freshly built from the working tree, inside Pyodide under Node,
with the standard library the site ships (compiled at build time, only the
modules the page loads: ``hooks/runtime.py``); the two ``to_dict()`` results
must be equal, field for field.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from hooks.runtime import example_cases, lock_info, stdlib_for
from hooks.site_build import load_exercises
from hooks.wheel import build_wheel

ROOT = Path(__file__).resolve().parents[2]
PYODIDE = ROOT / "node_modules" / "pyodide" / "pyodide.mjs"
SCRIPT = Path(__file__).with_name("parity.mjs")


# Odd input the two Pythons may read differently (their Unicode versions differ).
ADVERSARIAL = [
    "Bonjour \u0301",
    "\u0301\u0301 merci",
    "Je suis de\u0301sole\u0301, C'EST RE\u0301GLE\u0301 !!!",
    "merci \U0001e030\U0001e031 \U0001fae8 bien",  # letters and emoji of Unicode 15
    "\u202eNON\u202c vous avez tort 👩‍👩‍👧 \u200d\u200d",
    "\x00\x1b\x7f je comprends \ufeff votre colère \ud800",
    "שלום مرحبا 你好 こんにちは Привет, désolé",
    "« vous me dites que " * 50,
    "ＪＥ ＣＯＭＰＲＥＮＤＳ ｖｏｔｒｅ ｃｏｌèｒｅ",
    "ﬁn ﬂeur œuvre Æsop ß ĳ",
    "Sorry sir, we cannot refund you but we can offer a voucher.",
    "a" * 5000,
]


def _cases() -> list[dict[str, Any]]:
    cases = []
    for ex_id, exercise in sorted(load_exercises().items()):
        # What the site ships: the YAML dict as JSON.
        shipped = json.loads(json.dumps(exercise))
        for number, example in enumerate(exercise.get("examples") or []):
            cases.append({"id": f"{ex_id}#{number}", "exercise": shipped, "text": example["text"]})
        for number, text in enumerate(ADVERSARIAL):
            cases.append({"id": f"{ex_id}#odd{number}", "exercise": shipped, "text": text})
    return cases


@pytest.mark.skipif(not PYODIDE.is_file(), reason="node_modules/pyodide is absent: run `npm ci`")
@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_pyodide_grades_like_cpython(tmp_path: Path) -> None:
    from checker.bridge import grade_json

    cases = _cases()
    assert cases, "no exercise examples found in exercises/"
    wheel = build_wheel(ROOT, tmp_path)
    cases_file = tmp_path / "cases.json"
    cases_file.write_text(json.dumps(cases), encoding="utf-8")  # ASCII: lone surrogates survive
    stdlib = stdlib_for(wheel, example_cases(load_exercises()))  # as the site build does
    lock_file = tmp_path / "lock_info.json"
    lock_file.write_text(json.dumps(lock_info()), encoding="utf-8")
    proc = subprocess.run(
        ["node", str(SCRIPT), str(wheel), str(cases_file), str(stdlib.path), str(lock_file)],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert proc.returncode == 0, f"node failed:\n{proc.stderr[-4000:]}"
    out = json.loads(proc.stdout)
    assert out["platform"] == "emscripten"
    assert out["json_module"].endswith(".zip/json/__init__.pyc"), "not the shipped stdlib"
    assert len(out["results"]) == len(cases)
    mismatches = []
    for case, in_pyodide in zip(cases, out["results"], strict=True):
        in_cpython = json.loads(grade_json(json.dumps(case["exercise"]), case["text"]))
        assert "error" not in in_cpython, (case["id"], in_cpython)
        if in_cpython != in_pyodide:
            mismatches.append(case["id"])
            if len(mismatches) == 1:
                assert in_pyodide == in_cpython, f"{case['id']} differs (Pyodide vs CPython)"
    assert not mismatches, f"{len(mismatches)} results differ: {mismatches}"


def test_wheel_is_deterministic_and_complete(tmp_path: Path) -> None:
    import zipfile

    first = build_wheel(ROOT, tmp_path / "a")
    second = build_wheel(ROOT, tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()
    names = set(zipfile.ZipFile(first).namelist())
    assert "checker/__init__.py" in names
    assert "checker/py.typed" in names
    rules = sorted(p.name for p in (ROOT / "checker" / "rules").glob("*.rules"))
    assert rules, "checker/rules/*.rules missing"
    assert {f"checker/rules/{r}" for r in rules} <= names
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)
    dist = [n for n in names if ".dist-info/" in n]
    assert {n.rsplit("/", 1)[1] for n in dist} == {"METADATA", "WHEEL", "RECORD"}
