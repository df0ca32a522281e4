"""The page under odd use: many clicks, full storage, imports, closing mid-typing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, expect

from .helpers import READY_TIMEOUT, Warm, check_reply, new_context, open_page
from .test_site import _first


def _good(exercise: dict[str, Any]) -> str:
    return next(e["text"] for e in exercise["examples"] if e["passed"])


def test_fifty_clicks_make_one_grading(
    warm: Warm, exercises: dict[str, dict[str, Any]], embedded: dict[str, str]
) -> None:
    page = warm.page
    ex_id, path = _first(embedded)
    open_page(page, warm.base_url, path)
    check_reply(page, ex_id, _good(exercises[ex_id]))  # the checker is ready
    page.evaluate(f"localStorage.removeItem('dnspc.v1.{ex_id}')")
    section = f"section#exercice-{ex_id}"
    page.fill(f"{section} textarea", _good(exercises[ex_id]) + " Merci.")
    page.eval_on_selector(
        f"{section} [data-action=check]", "b => { for (let i = 0; i < 50; i++) b.click(); }"
    )
    page.wait_for_function(
        "(s) => !document.querySelector(s).dataset.busy", arg=section, timeout=READY_TIMEOUT
    )
    page.wait_for_timeout(300)
    record = json.loads(page.evaluate(f"localStorage.getItem('dnspc.v1.{ex_id}')"))
    assert record["attempts"] == 1


def test_full_storage_keeps_progress_in_view_and_export(
    browser: Browser, base_url: str, exercises: dict[str, dict[str, Any]], embedded: dict[str, str]
) -> None:
    context = new_context(browser, base_url, accept_downloads=True)
    page = context.new_page()
    ex_id, path = _first(embedded)
    page.goto(base_url + path)
    page.evaluate("localStorage.clear()")
    # From now on every write fails, as when the quota is reached.
    page.evaluate(
        """() => { const set = Storage.prototype.setItem;
        Storage.prototype.setItem = function (key, value) {
            if (this === window.localStorage && key.startsWith('dnspc.v1.'))
                throw new DOMException('full', 'QuotaExceededError');
            return set.call(this, key, value); }; }"""
    )
    check_reply(page, ex_id, _good(exercises[ex_id]))
    record = page.locator(f"section#exercice-{ex_id} [data-role=record]")
    expect(record).to_contain_text("1 essai")
    expect(record).to_contain_text("plein")
    page.evaluate(
        """(url) => { const a = document.createElement('a'); a.href = url;
        document.querySelector('.md-content').append(a); a.click(); }""",
        base_url + "progression/",
    )
    page.wait_for_selector("[data-progress][data-bound]")
    expect(page.locator(f"tr[data-exercise='{ex_id}'] [data-role=state]")).not_to_contain_text(
        "Pas commencé"
    )
    with page.expect_download() as download:
        page.click("[data-action=export]")
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert exported["exercises"][ex_id]["attempts"] == 1
    context.close()


def test_import_merges_instead_of_replacing(
    warm: Warm, exercises: dict[str, dict[str, Any]], embedded: dict[str, str], tmp_path: Path
) -> None:
    page = warm.page
    ex_id, _ = _first(embedded)
    open_page(page, warm.base_url, "progression/")
    newer = {"draft": "plus récent", "attempts": 5, "best": 90, "passed": True,
             "updated": "2030-01-01T00:00:00.000Z"}  # fmt: skip
    page.evaluate(
        "([k, v]) => localStorage.setItem(k, v)", [f"dnspc.v1.{ex_id}", json.dumps(newer)]
    )
    older = {"draft": "ancien", "attempts": 2, "best": 40, "passed": False,
             "updated": "2020-01-01T00:00:00.000Z"}  # fmt: skip
    file = tmp_path / "p.json"
    file.write_text(
        json.dumps(
            {
                "format": "dire-non-sans-perdre-le-client/progression",
                "version": 1,
                "exercises": {ex_id: older},
            }
        ),
        encoding="utf-8",
    )
    page.set_input_files("[data-role=import-file]", str(file))
    expect(page.locator("[data-progress] [data-role=status]")).to_contain_text("déjà à jour")
    kept = json.loads(page.evaluate(f"localStorage.getItem('dnspc.v1.{ex_id}')"))
    assert (kept["attempts"], kept["best"], kept["passed"], kept["draft"]) == (
        5, 90, True, "plus récent"
    )  # fmt: skip


def test_last_keystrokes_survive_a_reload(warm: Warm, embedded: dict[str, str]) -> None:
    page = warm.page
    ex_id, path = _first(embedded)
    open_page(page, warm.base_url, path)
    page.fill(f"#exercice-{ex_id}-reponse", "tapé juste avant de fermer")
    page.reload()  # well within the 400 ms before the draft would be saved
    expect(page.locator(f"#exercice-{ex_id}-reponse")).to_have_value("tapé juste avant de fermer")


def test_long_drafts_are_kept_whole(warm: Warm, embedded: dict[str, str]) -> None:
    page = warm.page
    ex_id, path = _first(embedded)
    open_page(page, warm.base_url, path)
    long_text = "Je comprends votre colère. " * 1500  # ~40,000 characters
    page.fill(f"#exercice-{ex_id}-reponse", long_text)
    page.wait_for_timeout(700)
    page.reload()
    value = page.locator(f"#exercice-{ex_id}-reponse").input_value()
    assert len(value) == len(long_text)
