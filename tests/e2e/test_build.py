"""What the build ships for the runtime: compiled standard library, nothing unused.

The reader's browser gets the standard library compiled at build time (no
source to compile at each start), no Pyodide lock file (no package is
loaded), no source map and no search stemmer of another language.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from playwright.sync_api import Browser, expect

from .helpers import Recorder, check_reply, new_context


def test_the_standard_library_ships_compiled(site_dir: Path) -> None:
    manifest = json.loads((site_dir / "assets" / "checker.json").read_text(encoding="utf-8"))
    stdlib = site_dir / "assets" / manifest["pyodide"]["stdlib"]
    names = zipfile.ZipFile(stdlib).namelist()
    assert "json/__init__.pyc" in names and "re/_compiler.pyc" in names
    assert not [n for n in names if n.endswith(".py")], "sources are compiled at build time"
    assert manifest["pyodide"]["lock_info"]["abi_version"]
    shipped = {p.name for p in (site_dir / "assets" / "pyodide").iterdir()}
    assert not shipped & {"python_stdlib.zip", "pyodide-lock.json"}


def test_nothing_unrequested_is_shipped(site_dir: Path) -> None:
    assert not list(site_dir.rglob("*.map"))
    lunr = site_dir / "assets" / "javascripts" / "lunr"
    assert sorted(p.name for p in lunr.rglob("*.js")) == [
        "lunr.fr.min.js",
        "lunr.stemmer.support.min.js",
    ]
    for script in (site_dir / "assets" / "javascripts").rglob("*.min.js"):
        assert b"sourceMappingURL" not in script.read_bytes(), script.name


def test_grading_loads_no_lock_file_and_search_still_works(
    browser: Browser, base_url: str, embedded: dict[str, str], exercises: dict[str, dict]
) -> None:
    context = new_context(browser, base_url)
    recorder = Recorder()
    recorder.attach(context)
    page = context.new_page()
    ex_id = sorted(embedded)[0]
    page.goto(base_url + embedded[ex_id])
    text = exercises[ex_id]["examples"][0]["text"]
    assert check_reply(page, ex_id, text)["verdict"]
    loaded = [u.split("?")[0].rsplit("/", 1)[-1] for u in recorder.requests]
    assert "pyodide-lock.json" not in loaded and "python_stdlib.zip" not in loaded
    assert [n for n in loaded if n.startswith("stdlib-") and n.endswith(".zip")]
    # Search in French with the one stemmer kept.
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("/")
    page.keyboard.type("clients")
    expect(page.locator(".md-search-result__meta")).to_contain_text("trouvé")
    assert page.locator(".md-search-result__item").count() > 0
    assert recorder.errors == []
    context.close()
