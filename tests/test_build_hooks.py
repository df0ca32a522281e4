"""The build hooks that shape what the reader downloads: pruning and the runtime."""

from __future__ import annotations

import json
from pathlib import Path

from hooks.prune import lunr_files_needed, prune
from hooks.runtime import example_cases, lock_info


def test_only_the_configured_search_languages_are_kept() -> None:
    assert lunr_files_needed(["fr"]) == {
        "min/lunr.fr.min.js",
        "min/lunr.stemmer.support.min.js",
    }
    assert lunr_files_needed(["en"]) == set()
    assert lunr_files_needed(["fr", "ja"]) >= {"min/lunr.multi.min.js", "tinyseg.js"}


def test_prune_removes_maps_their_comments_and_other_languages(tmp_path: Path) -> None:
    js = tmp_path / "assets" / "javascripts"
    (js / "lunr" / "min").mkdir(parents=True)
    bundle = js / "bundle.min.js"
    bundle.write_bytes(b"(()=>{})();\n//# sourceMappingURL=bundle.min.js.map\n\n")
    (js / "bundle.min.js.map").write_text("{}")
    for name in ("lunr.fr.min.js", "lunr.de.min.js", "lunr.stemmer.support.min.js"):
        (js / "lunr" / "min" / name).write_text("x")
    (js / "lunr" / "tinyseg.js").write_text("x")

    removed = prune(tmp_path, ["fr"])

    assert bundle.read_bytes() == b"(()=>{})();\n"
    left = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert left == [
        "assets/javascripts/bundle.min.js",
        "assets/javascripts/lunr/min/lunr.fr.min.js",
        "assets/javascripts/lunr/min/lunr.stemmer.support.min.js",
    ]
    assert len(removed) == 3


def test_runtime_cases_cover_examples_and_model_answers() -> None:
    exercise = {
        "id": "x",
        "examples": [{"text": "Un.", "passed": True}, {"text": "Deux.", "passed": False}],
        "model_answers": ["Modèle."],
    }
    cases = example_cases({"x": exercise})
    assert [c["text"] for c in cases] == ["Un.", "Deux.", "Modèle."]
    assert cases[0]["exercise"] == json.loads(json.dumps(exercise))


def test_lock_info_is_what_pyodide_checks(tmp_path: Path) -> None:
    info = {"abi_version": "2026_0", "arch": "wasm32", "platform": "p", "python": "3.14.2"}
    (tmp_path / "pyodide-lock.json").write_text(json.dumps({"info": info, "packages": {"a": {}}}))
    assert lock_info(tmp_path) == info
