"""The build glue: exercise blocks, page scanning, CSP hashes, and build errors."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import markdown
import pytest

from hooks.catalogue import find_blocks, page_title
from hooks.csp import apply_csp
from hooks.exercise_block import Catalog, ExerciseExtension, Placement

ROOT = Path(__file__).resolve().parents[1]

EXERCISE: dict[str, Any] = {
    "id": "essai",
    "title": "Un *titre* <b>brut</b>",
    "lesson": "lecons/essai.md",
    "principles": ["P01"],
    "difficulty": 2,
    "channel": "email",
    "situation": "Première ligne.\n\nSeconde <script>alert(1)</script> ligne.",
    "customer": "Bonjour,\nJe suis **furieux**.",
    "instruction": "Répondez par courriel.",
    "hints": ["Un indice.", "Un autre."],
    "model_answers": ["Madame,\n\nJe comprends."],
}


def render(source: str, exercises: dict[str, dict[str, Any]] | None = None) -> str:
    catalog = Catalog(exercises=exercises or {"essai": EXERCISE})
    catalog.placements["essai"] = Placement(page="lecons/essai.md", title="Essai", line=1)
    catalog.order.append("essai")
    md = markdown.Markdown(extensions=["toc", ExerciseExtension(catalog=catalog)])
    return str(md.convert(source))


def test_exercise_block_renders_the_widget() -> None:
    html = render("# Leçon\n\n## Exercice\n\n/// exercise | essai\n///\n")
    assert '<section aria-labelledby="exercice-essai-titre" class="exercise"' in html
    assert 'data-exercise="essai"' in html and 'id="exercice-essai"' in html
    assert '<h3 class="exercise__title" id="exercice-essai-titre">' in html
    assert '<label class="exercise__label" for="exercice-essai-reponse">' in html
    assert 'id="exercice-essai-reponse"' in html and "<textarea" in html
    assert 'data-action="check"' in html and ">Vérifier</button>" in html
    assert ">Copier le lien</button>" in html
    assert 'role="status"' in html and 'aria-live="polite"' in html
    assert 'data-role="result"' in html and "hidden" in html
    assert "data-search-exclude" in html and "Réponse modèle" in html
    assert "<blockquote>" in html and "Canal : par courriel" in html
    # Text from YAML is text: no Markdown, no HTML.
    assert "Un *titre* &lt;b&gt;brut&lt;/b&gt;" in html
    assert "**furieux**" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<p>Bonjour, Je suis **furieux**.</p>" in html


def test_heading_level_follows_the_page() -> None:
    assert '<h2 class="exercise__title"' in render("# Leçon\n\n/// exercise | essai\n///\n")
    assert '<h4 class="exercise__title"' in render("### Détail\n\n/// exercise | essai\n///\n")


def test_progress_block_lists_exercises() -> None:
    html = render("/// progression\n///\n")
    assert '<tr data-exercise="essai">' in html
    assert 'href="lecons/essai.md#exercice-essai"' in html
    assert 'data-action="export"' in html and 'type="file"' in html


def test_find_blocks_skips_fenced_code_and_reports_lines() -> None:
    text = "---\ntitle: T\n---\n\n/// exercise | un\n///\n\n```md\n/// exercise | code\n///\n```\n/// exercise\n///\n"
    assert find_blocks(text) == [(5, "un"), (12, "")]


def test_page_title() -> None:
    assert page_title("---\ntitle: Front\n---\n# H1\n", "x") == "Front"
    assert page_title("# Titre **gras**\n", "x") == "Titre **gras**"
    assert page_title("rien\n", "x") == "x"


def test_csp_hashes_every_inline_script(tmp_path: Path) -> None:
    token = "script-src 'self' __CSP_SCRIPT_HASHES__; style-src 'self' __CSP_STYLE_HASHES__"
    (tmp_path / "a.html").write_text(
        f'<meta content="{token}"><script>var a=1</script><script src="x.js"></script>'
        '<script type="application/json">{"x":1}</script>',
        encoding="utf-8",
    )
    (tmp_path / "b.html").write_text(f'<meta content="{token}"><script>var b=2</script>')
    apply_csp(tmp_path)
    a = (tmp_path / "a.html").read_text(encoding="utf-8")
    assert "__CSP" not in a
    # sha256 of "var a=1" and "var b=2": every page allows the scripts of all pages.
    assert a.count("'sha256-") == 2
    assert a == (tmp_path / "a.html").read_text(encoding="utf-8")
    apply_csp(tmp_path)  # idempotent: tokens are gone
    assert (tmp_path / "a.html").read_text(encoding="utf-8") == a


def test_unknown_exercise_fails_the_build_with_page_and_line(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text(
        "# Accueil\n\n/// exercise | nexiste-pas\n///\n", encoding="utf-8"
    )
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: t\n"
        f"docs_dir: {docs}\n"
        "theme:\n  name: material\n"
        f"  custom_dir: {ROOT / 'overrides'}\n"
        f"hooks:\n  - {ROOT / 'hooks' / 'site_build.py'}\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(tmp_path / "site")],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=120,
    )
    assert proc.returncode != 0
    assert "index.md:3: unknown exercise id 'nexiste-pas'" in proc.stderr + proc.stdout


@pytest.mark.parametrize("bad", ["/// exercise |\n///\n", "/// exercise\n///\n"])
def test_block_without_id_is_reported(bad: str) -> None:
    assert find_blocks(bad) == [(1, "")]


def test_runtime_wheel_stays_under_600_kb(tmp_path: Path) -> None:
    """The browser downloads it on first use: grader, rules and learned weights, no tools."""
    from hooks.wheel import build_wheel

    wheel = build_wheel(ROOT, tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    assert not any("/tools/" in name for name in names)
    assert wheel.stat().st_size <= 600_000, f"{wheel.stat().st_size} bytes"


PROTOCOL = ROOT / "docs" / "assets" / "javascripts" / "protocol.js"


def _js_names(name: str) -> dict[str, str]:
    """``export const NAME = Object.freeze({KEY: "value", ...})`` of protocol.js as a dict."""
    text = PROTOCOL.read_text(encoding="utf-8")
    block = re.search(rf"export const {name} = Object\.freeze\(\{{(.*?)\}}\);", text, re.S)
    assert block, f"protocol.js has no {name}"
    return dict(re.findall(r'^\s*([A-Z_]+): "([^"]+)",?\s*$', block.group(1), re.M))


def test_markdown_extension_and_page_use_the_same_names() -> None:
    from hooks.exercise_block import ACTION, ROLE

    assert _js_names("ROLE") == ROLE
    assert _js_names("ACTION") == ACTION
    # Every shared name is written by the extension, and it writes no other.
    html = render("# Leçon\n\n/// exercise | essai\n///\n\n/// progression\n///\n")
    assert set(re.findall(r'data-role="([^"]+)"', html)) == set(ROLE.values())
    assert set(re.findall(r'data-action="([^"]+)"', html)) == set(ACTION.values())


def test_worker_and_page_modules_spell_no_shared_name_themselves() -> None:
    """Message types, roles and actions come from protocol.js, never as string literals."""
    shared = {
        "MESSAGE": _js_names("MESSAGE").values(),
        "ROLE": _js_names("ROLE").values(),
        "ACTION": _js_names("ACTION").values(),
    }
    assert set(shared["MESSAGE"]) == {"grade", "ready", "failed", "result", "error"}
    uses = {
        "MESSAGE": r'type(?:: | === | !== )"{}"',
        "ROLE": r'(?:part\([^,()]+, "{0}"\)|data-role="{0}"|"data-role": "{0}")',
        "ACTION": r'(?:action === "{0}"|data-action="{0}"|"data-action": "{0}")',
    }
    modules = sorted(p for p in PROTOCOL.parent.glob("*.js") if p != PROTOCOL)
    assert len(modules) >= 6
    spelled = [
        f"{path.name}: {kind} {value!r}"
        for path in modules
        for kind, values in shared.items()
        for value in values
        if re.search(uses[kind].format(re.escape(value)), path.read_text(encoding="utf-8"))
    ]
    assert spelled == []
    worker = (PROTOCOL.parent / "exercise-worker.js").read_text(encoding="utf-8")
    assert 'import { MESSAGE } from "./protocol.js";' in worker
