"""End to end: the exercise widgets in Chromium, on the built site.

One warm page (one Pyodide start) goes through the lessons with Material's
instant navigation; a few tests need a context of their own (broken Pyodide,
blocked storage, no JavaScript).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, expect

from .helpers import (
    READY_TIMEOUT,
    Warm,
    check_reply,
    expected_result,
    instant_goto,
    new_context,
    open_page,
)

XSS = "Bonjour <img src=x onerror=alert(1)> <script>alert(2)</script> &amp; merci"


def _examples(exercise: dict[str, Any]) -> tuple[str, str]:
    examples = exercise.get("examples") or []
    passing = next(e["text"] for e in examples if e.get("passed"))
    failing = next(e["text"] for e in examples if not e.get("passed"))
    return passing, failing


def _first(embedded: dict[str, str]) -> tuple[str, str]:
    ex_id = sorted(embedded)[0]
    return ex_id, embedded[ex_id]


# ----------------------------------------------------------------------------- warm page


def test_nothing_loads_before_interaction(warm: Warm, embedded: dict[str, str]) -> None:
    page = warm.page
    page.goto(warm.base_url)
    page.wait_for_load_state("networkidle")
    _, path = _first(embedded)
    instant_goto(page, warm.base_url, path)
    page.wait_for_selector("section.exercise[data-bound]")
    page.wait_for_load_state("networkidle")
    loaded = [u for u in warm.recorder.requests if "pyodide" in u or "exercise-worker" in u]
    assert loaded == [], "Pyodide must wait for the reader's first focus"
    status = page.locator("section.exercise [data-role=status]").first
    expect(status).to_contain_text("démarrera")


def test_every_exercise_grades_like_cpython(
    warm: Warm, exercises: dict[str, dict[str, Any]], embedded: dict[str, str]
) -> None:
    assert exercises, "no exercise in exercises/"
    missing = sorted(set(exercises) - set(embedded))
    assert not missing, f"exercises embedded in no page: {missing}"
    page = warm.page
    if not page.url.startswith(warm.base_url):
        page.goto(warm.base_url)
    marker = page.evaluate("window.__visit = Math.random()")
    for ex_id in sorted(exercises, key=lambda i: embedded[i]):
        open_page(page, warm.base_url, embedded[ex_id])
        for text in _examples(exercises[ex_id]):
            got = check_reply(page, ex_id, text)
            assert got == expected_result(exercises[ex_id], text), f"{ex_id}: {text[:60]!r}"
    # All of it happened in one visit: instant navigation, one worker.
    assert page.evaluate("window.__visit") == marker
    wasm = [u for u in warm.recorder.requests if u.endswith("pyodide.asm.wasm")]
    assert len(wasm) == 1


def test_instant_navigation_keeps_the_widget_working(
    warm: Warm, exercises: dict[str, dict[str, Any]], embedded: dict[str, str]
) -> None:
    page = warm.page
    ids = sorted(exercises, key=lambda i: embedded[i])
    first, other = ids[0], next((i for i in ids if embedded[i] != embedded[ids[0]]), ids[-1])
    open_page(page, warm.base_url, embedded[first])
    check_reply(page, first, _examples(exercises[first])[1])
    instant_goto(page, warm.base_url, embedded[other])
    status = page.locator(f"#exercice-{other} [data-role=status]")
    expect(status).to_have_text("Correcteur prêt.")
    assert check_reply(page, other, _examples(exercises[other])[0])["verdict"]
    page.go_back()
    page.wait_for_selector(f"section#exercice-{first}[data-bound]")
    got = check_reply(page, first, _examples(exercises[first])[0], via="keyboard")
    assert got == expected_result(exercises[first], _examples(exercises[first])[0])


def test_keyboard_only(
    warm: Warm, exercises: dict[str, dict[str, Any]], embedded: dict[str, str]
) -> None:
    page = warm.page
    ex_id, path = _first(embedded)
    open_page(page, warm.base_url, path)
    section = page.locator(f"section#exercice-{ex_id}")
    page.fill(f"#exercice-{ex_id}-reponse", "")
    # Start from the exercise heading's permalink and move with Tab only.
    page.focus(f"#exercice-{ex_id}-titre a.headerlink")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "TEXTAREA":
            break
    assert page.evaluate("document.activeElement.id") == f"exercice-{ex_id}-reponse"
    text = _examples(exercises[ex_id])[0]
    page.keyboard.type(text)
    page.keyboard.press("Control+Enter")
    result = section.locator("[data-role=result]")
    expect(result).to_have_attribute(
        "data-score", expected_result(exercises[ex_id], text)["score"], timeout=READY_TIMEOUT
    )
    assert page.evaluate("document.activeElement.id") == f"exercice-{ex_id}-resultat"
    assert result.get_attribute("role") == "region"
    verdict_id = result.get_attribute("aria-labelledby")
    expect(page.locator(f"#{verdict_id}")).to_contain_text("score")
    expect(section.locator("[data-role=status]")).to_contain_text("Réponse vérifiée")
    # The button works from the keyboard too.
    page.focus(f"#exercice-{ex_id}-reponse")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.action") == "check"
    page.eval_on_selector(f"#exercice-{ex_id}-resultat", "el => el.removeAttribute('data-score')")
    page.keyboard.press("Enter")
    expect(result).to_have_attribute("data-score", expected_result(exercises[ex_id], text)["score"])


def test_reply_is_shown_as_text(warm: Warm, embedded: dict[str, str]) -> None:
    page = warm.page
    ex_id, path = _first(embedded)
    open_page(page, warm.base_url, path)
    dialogs_before = len(warm.recorder.dialogs)
    check_reply(page, ex_id, XSS)
    result = page.locator(f"#exercice-{ex_id}-resultat")
    assert result.locator("img, script").count() == 0
    shown = result.locator(".exercise__reply").evaluate(
        "el => { const c = el.cloneNode(true); c.querySelectorAll('sup').forEach(s => s.remove());"
        " return c.textContent; }"
    )  # the reader's words, without the numbers that point to the checklist
    assert shown == XSS
    page.wait_for_timeout(300)
    assert len(warm.recorder.dialogs) == dialogs_before


def test_highlights_point_to_their_criterion(
    warm: Warm, exercises: dict[str, dict[str, Any]], embedded: dict[str, str]
) -> None:
    page = warm.page
    ex_id, path = _first(embedded)
    open_page(page, warm.base_url, path)
    text = _examples(exercises[ex_id])[0]
    check_reply(page, ex_id, text)
    marks = page.locator(f"#exercice-{ex_id}-resultat .exercise__reply mark")
    assert marks.count() > 0, "a passing example should have detected phrases"
    for i in range(marks.count()):
        for ref in (marks.nth(i).get_attribute("aria-describedby") or "").split():
            expect(page.locator(f"#{ref}")).to_have_count(1)
    copy = page.locator(f"#exercice-{ex_id}-resultat .exercise__reply")
    assert (
        copy.evaluate(
            "el => [...el.childNodes].filter(n => n.nodeName !== 'SUP')"
            ".map(n => n.textContent).join('')"
        )
        == text
    )


def test_model_answer_unlocks_after_first_attempt(
    warm: Warm, exercises: dict[str, dict[str, Any]], embedded: dict[str, str]
) -> None:
    page = warm.page
    ex_id = sorted(embedded)[-1]
    open_page(page, warm.base_url, embedded[ex_id])
    page.evaluate(f"localStorage.removeItem('dnspc.v1.{ex_id}')")
    page.reload()
    section = page.locator(f"section#exercice-{ex_id}")
    page.wait_for_selector(f"section#exercice-{ex_id}[data-bound]")
    model = section.locator("[data-role=model]")
    expect(model.locator("summary")).to_contain_text("après un premier essai")
    model.locator("summary").click()
    expect(model.locator("[data-role=lock]")).to_be_visible()
    expect(model.locator("[data-role=model-body]")).to_be_hidden()
    check_reply(page, ex_id, _examples(exercises[ex_id])[1])
    expect(model.locator("[data-role=model-body]")).to_be_visible()
    expect(model.locator("[data-role=lock]")).to_be_hidden()
    record = json.loads(page.evaluate(f"localStorage.getItem('dnspc.v1.{ex_id}')"))
    assert record["attempts"] == 1


def test_reveal_on_request(warm: Warm, embedded: dict[str, str]) -> None:
    page = warm.page
    ex_id = sorted(embedded)[-1]
    open_page(page, warm.base_url, embedded[ex_id])
    page.evaluate(f"localStorage.removeItem('dnspc.v1.{ex_id}')")
    page.reload()
    model = page.locator(f"section#exercice-{ex_id} [data-role=model]")
    model.locator("summary").click()
    model.locator("[data-action=reveal]").click()
    expect(model.locator("[data-role=model-body]")).to_be_visible()


def test_draft_is_kept(warm: Warm, embedded: dict[str, str]) -> None:
    page = warm.page
    ex_id, path = _first(embedded)
    open_page(page, warm.base_url, path)
    page.fill(f"#exercice-{ex_id}-reponse", "Un brouillon à garder 😊")
    page.wait_for_timeout(700)
    page.reload()
    expect(page.locator(f"#exercice-{ex_id}-reponse")).to_have_value("Un brouillon à garder 😊")


def test_copy_link_and_deep_link(warm: Warm, embedded: dict[str, str]) -> None:
    page = warm.page
    ex_id, path = _first(embedded)
    open_page(page, warm.base_url, path)
    page.click(f"section#exercice-{ex_id} [data-action=copy-link]")
    link = warm.base_url + path + f"#exercice-{ex_id}"
    expect(page.locator(f"#exercice-{ex_id}-lien")).to_contain_text(link)
    assert page.evaluate("navigator.clipboard.readText()") == link

    other = warm.context.new_page()
    other.goto(warm.base_url)  # arrive from elsewhere, then follow the link
    other.goto(link)
    other.wait_for_function(
        "(id) => document.activeElement && document.activeElement.id === id",
        arg=f"exercice-{ex_id}-reponse",
    )
    box = other.locator(f"section#exercice-{ex_id}").bounding_box()
    viewport = other.viewport_size
    assert box is not None and viewport is not None
    assert 0 <= box["y"] < viewport["height"]
    other.close()


def test_progress_page(
    warm: Warm, exercises: dict[str, dict[str, Any]], embedded: dict[str, str], tmp_path: Path
) -> None:
    page = warm.page
    ex_id, path = _first(embedded)
    open_page(page, warm.base_url, path)
    check_reply(page, ex_id, _examples(exercises[ex_id])[0])
    open_page(page, warm.base_url, "progression/")
    rows = page.locator("tr[data-exercise]")
    expect(rows).to_have_count(len(exercises))
    expect(page.locator(f"tr[data-exercise='{ex_id}'] [data-role=state]")).to_contain_text("Réussi")
    links = page.locator(f"tr[data-exercise='{ex_id}'] a").first
    assert (links.get_attribute("href") or "").endswith(f"#exercice-{ex_id}")

    with page.expect_download() as download_info:
        page.click("[data-action=export]")
    saved = tmp_path / "progression.json"
    download_info.value.save_as(saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["format"] == "dire-non-sans-perdre-le-client/progression"
    assert data["exercises"][ex_id]["passed"] is True

    page.once("dialog", lambda d: d.dismiss())
    page.click("[data-action=erase]")
    expect(page.locator(".progress__status")).to_contain_text("Rien n'a été effacé")

    page.once("dialog", lambda d: d.accept())
    page.click("[data-action=erase]")
    expect(page.locator(".progress__status")).to_contain_text("effacée")
    expect(page.locator(f"tr[data-exercise='{ex_id}'] [data-role=state]")).to_have_text(
        "Pas commencé"
    )

    page.set_input_files("[data-role=import-file]", str(saved))
    expect(page.locator(".progress__status")).to_contain_text("Progression importée")
    expect(page.locator(f"tr[data-exercise='{ex_id}'] [data-role=state]")).to_contain_text("Réussi")

    for payload, message in [
        (b"{not json", "pas un fichier JSON"),
        (b'{"format": "autre", "version": 1, "exercises": {}}', "pas une progression"),
        (
            b'{"format": "dire-non-sans-perdre-le-client/progression", "version": 1,'
            b' "exercises": {"x": {"attempts": -1, "best": 5, "passed": true}}}',
            "abîmé",
        ),
    ]:
        page.set_input_files(
            "[data-role=import-file]",
            files=[{"name": "mauvais.json", "mimeType": "application/json", "buffer": payload}],
        )
        expect(page.locator(".progress__status")).to_contain_text("Import impossible")
        expect(page.locator(".progress__status")).to_contain_text(message)


def test_requests_stay_on_site(warm: Warm, embedded: dict[str, str]) -> None:
    page = warm.page
    ex_id, path = _first(embedded)
    open_page(page, warm.base_url, path)
    check_reply(page, ex_id, "Je comprends votre situation.")
    outside = [
        u
        for u in warm.recorder.requests
        if not u.startswith(warm.base_url) and not u.startswith(("data:", "blob:"))
    ]
    assert outside == []
    assert page.evaluate("window.__cspViolations") == []
    assert warm.recorder.errors == []


# ----------------------------------------------------------------------------- own contexts


def test_pages_without_exercises_start_nothing(browser: Browser, base_url: str) -> None:
    context = new_context(browser, base_url)
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.goto(base_url)
    page.wait_for_load_state("networkidle")
    page.locator("main").click()
    page.keyboard.press("Tab")
    page.wait_for_timeout(300)
    assert not [u for u in requests if "pyodide" in u or "exercise-worker" in u]
    context.close()


def test_pyodide_failure_is_explained(
    browser: Browser, base_url: str, embedded: dict[str, str]
) -> None:
    context = new_context(browser, base_url)
    context.route("**/pyodide.asm.wasm", lambda route: route.fulfill(status=404, body="absent"))
    page = context.new_page()
    ex_id, path = _first(embedded)
    page.goto(base_url + path)
    page.evaluate(f"localStorage.removeItem('dnspc.v1.{ex_id}')")
    page.reload()
    section = page.locator(f"section#exercice-{ex_id}")
    page.fill(f"#exercice-{ex_id}-reponse", "Je comprends.")
    section.locator("[data-action=check]").click()
    status = section.locator("[data-role=status]")
    expect(status).to_contain_text("Le correcteur n'a pas pu démarrer", timeout=READY_TIMEOUT)
    expect(status).to_contain_text("réponse modèle restent disponibles")
    expect(status).to_have_attribute("data-state", "failed")
    hint = section.locator("details.exercise__hint").first
    hint.locator("summary").click()
    expect(hint.locator("p").first).to_be_visible()
    model = section.locator("[data-role=model]")
    model.locator("summary").click()
    expect(model.locator("[data-role=model-body]")).to_be_visible()
    expect(model.locator("[data-role=lock]")).to_be_hidden()
    context.close()


def test_works_without_storage(
    browser: Browser, base_url: str, embedded: dict[str, str], exercises: dict[str, dict[str, Any]]
) -> None:
    context = new_context(browser, base_url)
    context.add_init_script(
        """Object.defineProperty(window, 'localStorage', {
            get() { throw new DOMException('blocked', 'SecurityError'); }
        });"""
    )
    page = context.new_page()
    ex_id, path = _first(embedded)
    page.goto(base_url + path)
    section = page.locator(f"section#exercice-{ex_id}")
    expect(section.locator("[data-role=record]")).to_contain_text("ne seront pas conservés")
    text = _examples(exercises[ex_id])[0]
    got = check_reply(page, ex_id, text)
    assert got == expected_result(exercises[ex_id], text)
    instant_goto(page, base_url, "progression/")
    expect(page.locator(".progress__summary")).to_contain_text("ne garde pas")
    context.close()


def test_without_javascript(browser: Browser, base_url: str, embedded: dict[str, str]) -> None:
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page: Page = context.new_page()
    ex_id, path = _first(embedded)
    page.goto(base_url + path)
    section = page.locator(f"section#exercice-{ex_id}")
    expect(section.locator(".exercise__situation")).to_be_visible()
    expect(section.locator("noscript")).to_have_count(1)
    model = section.locator("[data-role=model]")
    model.locator("summary").click()
    expect(model.locator("[data-role=model-body]")).to_be_visible()
    expect(model.locator("[data-role=lock]")).to_be_hidden()
    context.close()


def test_every_page_has_a_filled_in_csp(site_dir: Path) -> None:
    pages = sorted(site_dir.rglob("*.html"))
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', text)
        assert policy, f"{page}: no CSP"
        assert "__CSP" not in policy.group(1)
        assert "'sha256-" in policy.group(1)
        assert "'unsafe-inline'" not in policy.group(1)
        assert "default-src 'self'" in policy.group(1)


def test_search_index_keeps_model_answers_out(
    site_dir: Path, exercises: dict[str, dict[str, Any]]
) -> None:
    def norm(value: str) -> str:
        return re.sub(r"\W+", " ", html.unescape(value)).strip().lower()

    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = norm(" ".join(doc.get("text", "") for doc in index["docs"]))
    for exercise in exercises.values():
        assert norm(exercise["instruction"])[:40] in text, "the exercise itself is searchable"
        for answer in exercise.get("model_answers") or []:
            assert norm(answer)[:60] not in text, f"model answer of {exercise['id']} is indexed"


def test_criteria_link_to_their_reflex(
    warm: Warm, exercises: dict[str, dict[str, Any]], embedded: dict[str, str]
) -> None:
    page = warm.page
    ex_id, path = _first(embedded)
    open_page(page, warm.base_url, path)
    check_reply(page, ex_id, _examples(exercises[ex_id])[0])
    link = page.locator(f"#exercice-{ex_id}-resultat li[data-criterion=empathy] a.criterion__more")
    expect(link).to_have_count(1)
    assert (link.get_attribute("href") or "").endswith("/reflexes/#empathy")
    page.goto(link.get_attribute("href") or "")
    expect(page.locator("#empathy")).to_be_visible()


def test_result_box_shows_the_checkers_words_as_they_are(
    warm: Warm, exercises: dict[str, dict[str, Any]], embedded: dict[str, str]
) -> None:
    import checker

    page = warm.page
    ex_id, path = _first(embedded)
    open_page(page, warm.base_url, path)
    text = _examples(exercises[ex_id])[1]
    check_reply(page, ex_id, text)
    expected = checker.grade(exercises[ex_id], text).to_dict()
    box = page.locator(f"#exercice-{ex_id}-resultat")
    expect(box.locator(".exercise__verdict")).to_have_text(
        f"{expected['verdict']} — {expected['score_text']}"
    )
    expect(page.locator(f"#exercice-{ex_id}-etat")).to_have_text(expected["announcement"])
    labels = box.locator("li[data-status] .criterion__status").all_text_contents()
    assert labels == [f"{c['status_label']} : " for c in expected["criteria"]]
