"""The result box as a coach gives it, the last result after a reload, and the flag.

A reply with a pitfall, a missing must and some good moves: the verdict comes
first, then at most three comments quoting the reader's words, then what works,
then the whole checklist folded. « Le correcteur s'est trompé ? » keeps a flag
on the device, in the export, merged on import; nothing is sent.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from .helpers import Warm, check_reply, open_page

EXERCISE = "carte-bancaire"
# Empathy and the dispute with the site are there; blame is a pitfall; options are missing.
REPLY = (
    "Je comprends votre colère, monsieur Garnier. Mais vous auriez dû lire les conditions "
    "de l'abonnement avant de donner votre carte. Je ne peux rien faire, c'est au site de "
    "vous rembourser."
)
COMMENT = "La colère est bien accueillie, et je ne vois pas où je me défausse."


def _expected(exercises: dict[str, dict[str, Any]], text: str = REPLY) -> dict[str, Any]:
    import checker

    return checker.grade(exercises[EXERCISE], text).to_dict()


def _box(page: Page) -> Any:
    return page.locator(f"#exercice-{EXERCISE}-resultat")


def _record(page: Page) -> dict[str, Any]:
    return dict(json.loads(page.evaluate(f"localStorage.getItem('dnspc.v1.{EXERCISE}')")))


def _fresh(warm: Warm, embedded: dict[str, str]) -> Page:
    """The exercise's page with no stored progress for it, shown anew by instant
    navigation (the worker, and its Pyodide, stay up)."""
    page = warm.page
    open_page(page, warm.base_url, "")
    page.evaluate(f"localStorage.removeItem('dnspc.v1.{EXERCISE}')")
    open_page(page, warm.base_url, embedded[EXERCISE])
    page.wait_for_selector(f"section#exercice-{EXERCISE}[data-bound]")
    return page


def _graded(
    warm: Warm, embedded: dict[str, str], exercises: dict[str, dict[str, Any]]
) -> tuple[Page, dict[str, Any]]:
    """The exercise shown anew, REPLY checked on it, and what the checker says of REPLY."""
    page = _fresh(warm, embedded)
    check_reply(page, EXERCISE, REPLY)
    return page, _expected(exercises)


def test_the_result_reads_like_a_coach(
    warm: Warm, exercises: dict[str, dict[str, Any]], embedded: dict[str, str]
) -> None:
    page, expected = _graded(warm, embedded, exercises)
    box = _box(page)
    # The verdict first, once: the status line only says the reply was checked.
    first = box.locator(":scope > *").first
    expect(first).to_have_text(f"{expected['verdict']} — {expected['score_text']}")
    section_text = page.locator(f"section#exercice-{EXERCISE}").inner_text()
    assert section_text.count(expected["score_text"]) == 1
    expect(page.locator(f"#exercice-{EXERCISE}-etat")).to_have_text(expected["announcement"])
    assert expected["verdict"] not in expected["announcement"]
    # At most three comments, most important first, quoting the reader's own words.
    comments = box.locator(".exercise__comments > li")
    assert 1 <= comments.count() <= 3
    assert comments.evaluate_all("els => els.map(e => e.dataset.comment)") == [
        c["id"] for c in expected["comments"]
    ]
    quotes = box.locator(".exercise__comments .note__quote").all_inner_texts()
    assert quotes, "a pitfall's comment quotes the words that set it off"
    for quote in quotes:
        assert quote.strip().removeprefix("« ").removesuffix(" »") in REPLY
    expect(comments.first).to_contain_text("vous auriez dû")
    # Then what works, then the whole checklist, folded.
    strengths = box.locator(".exercise__strengths > li")
    assert strengths.evaluate_all("els => els.map(e => e.dataset.strength)") == [
        c["id"] for c in expected["strengths"]
    ]
    order = box.evaluate(
        "b => [...b.querySelectorAll('.exercise__comments, .exercise__strengths, details')]"
        ".map(e => e.className)"
    )
    assert order == ["exercise__comments", "exercise__strengths", "exercise__checklist"]
    checklist = box.locator("details.exercise__checklist")
    assert checklist.get_attribute("open") is None
    expect(checklist.locator("li[data-status]")).to_have_count(len(expected["criteria"]))
    expect(checklist.locator("li[data-status]").first).to_be_hidden()
    checklist.locator("summary").click()
    expect(checklist.locator("li[data-status]").first).to_be_visible()


def test_not_applicable_checks_are_not_shown_as_achievements(
    warm: Warm, exercises: dict[str, dict[str, Any]], embedded: dict[str, str]
) -> None:
    page, expected = _graded(warm, embedded, exercises)
    unjudged = [c["id"] for c in expected["criteria"] if c["status"] == "not_applicable"]
    assert unjudged, "beside a pitfall, the other pitfall checks are left unjudged"
    box = _box(page)
    for criterion_id in unjudged:
        item = box.locator(f"li[data-criterion='{criterion_id}']")
        expect(item).to_have_attribute("data-status", "not_applicable")
        expect(item.locator(".criterion__status")).to_have_text("Sans objet : ")
        expect(item.locator(".criterion__icon")).not_to_have_text("✓")
        expect(box.locator(f".exercise__strengths [data-strength='{criterion_id}']")).to_have_count(
            0
        )


def test_the_last_result_is_shown_after_a_reload(
    warm: Warm, exercises: dict[str, dict[str, Any]], embedded: dict[str, str]
) -> None:
    page, expected = _graded(warm, embedded, exercises)
    page.fill(f"#exercice-{EXERCISE}-reponse", REPLY + " Et un brouillon de plus.")
    page.wait_for_timeout(700)
    page.reload()
    box = _box(page)
    expect(box).to_be_visible()
    expect(box).to_have_attribute("data-score", str(expected["score"]))
    expect(box.locator(".exercise__verdict")).to_have_text(
        f"{expected['verdict']} — {expected['score_text']}"
    )
    expect(box.locator(".exercise__restored")).to_contain_text("dernière vérification")
    # The result is about the reply that was checked; the draft goes on.
    shown = box.locator(".exercise__reply").evaluate(
        "el => [...el.childNodes].filter(n => n.nodeName !== 'SUP').map(n => n.textContent).join('')"
    )
    assert shown == REPLY
    expect(page.locator(f"#exercice-{EXERCISE}-reponse")).to_have_value(
        REPLY + " Et un brouillon de plus."
    )
    # A new check replaces it, without the « restored » note.
    check_reply(page, EXERCISE, REPLY)
    expect(box.locator(".exercise__restored")).to_have_count(0)


def test_flag_a_result_with_the_keyboard_and_nothing_is_sent(
    warm: Warm, embedded: dict[str, str]
) -> None:
    page = _fresh(warm, embedded)
    check_reply(page, EXERCISE, REPLY)
    assert page.evaluate("document.activeElement.id") == f"exercice-{EXERCISE}-resultat"
    requests_before = len(warm.recorder.requests)
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Le correcteur s'est trompé ?":
            break
    flag = page.locator(f"#exercice-{EXERCISE}-resultat .exercise__flag > button")
    expect(flag).to_be_focused()
    expect(flag).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(flag).to_have_attribute("aria-expanded", "true")
    field = page.get_by_label("Qu'est-ce qui vous semble faux ? (facultatif)")
    expect(field).to_be_focused()
    page.keyboard.type(COMMENT)
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Enregistrer le signalement")
    page.keyboard.press("Enter")
    status = page.locator(f"#exercice-{EXERCISE}-resultat .exercise__flag-status")
    expect(status).to_contain_text("Signalement enregistré")
    expect(status).to_contain_text("Rien n'a été envoyé")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_be_focused()
    page.wait_for_timeout(300)
    assert warm.recorder.requests[requests_before:] == [], "a flag never leaves the device"
    flags = _record(page)["flags"]
    assert len(flags) == 1
    assert (flags[0]["reply"], flags[0]["comment"]) == (REPLY, COMMENT)
    assert flags[0]["verdict"] == "Pas encore" and flags[0]["checker"]
    assert {"id": "no-blame", "status": "violated"} in flags[0]["criteria"]
    # After a reload the result says it was flagged, and cannot be flagged twice.
    page.reload()
    box = _box(page)
    expect(box.locator(".exercise__flag-status")).to_contain_text("Vous avez signalé ce résultat")
    expect(box.locator(".exercise__flag button")).to_have_count(0)


def test_flags_go_into_the_export_and_import_merges_them(
    warm: Warm, embedded: dict[str, str], tmp_path: Path
) -> None:
    page = _fresh(warm, embedded)
    check_reply(page, EXERCISE, REPLY)
    box = _box(page)
    box.locator(".exercise__flag > button").click()
    box.locator(".exercise__flag-form textarea").fill(COMMENT)
    box.get_by_role("button", name="Enregistrer le signalement").click()
    expect(box.locator(".exercise__flag-status")).to_contain_text("Signalement enregistré")

    open_page(page, warm.base_url, "progression/")
    expect(page.locator(".progress__summary")).to_contain_text("1 résultat signalé")
    with page.expect_download() as download:
        page.click("[data-action=export]")
    expect(page.locator(".progress__status")).to_contain_text("1 signalement")
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    flags = exported["exercises"][EXERCISE]["flags"]
    assert [(f["reply"], f["comment"]) for f in flags] == [(REPLY, COMMENT)]
    assert exported["exercises"][EXERCISE]["last"]["text"] == REPLY

    # Another device's flag on the same exercise: import keeps both.
    other = json.loads(json.dumps(exported))
    other_flag = {**flags[0], "at": "2020-01-01T00:00:00.000Z", "comment": "Un autre avis."}
    other["exercises"][EXERCISE]["flags"] = [other_flag]
    other_file = tmp_path / "autre.json"
    other_file.write_text(json.dumps(other), encoding="utf-8")
    page.set_input_files("[data-role=import-file]", str(other_file))
    expect(page.locator(".progress__status")).to_contain_text("Progression importée")
    comments = [f["comment"] for f in _record(page)["flags"]]
    assert comments == ["Un autre avis.", COMMENT]  # oldest first
    expect(page.locator(".progress__summary")).to_contain_text("2 résultats signalés")
    # Importing the same file again changes nothing.
    page.set_input_files("[data-role=import-file]", str(other_file))
    expect(page.locator(".progress__status")).to_contain_text("0 exercice mis à jour")
    assert len(_record(page)["flags"]) == 2
