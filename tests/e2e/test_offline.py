"""Offline after one visit, installable, updated when the build changes.

Each test serves the site from a server of its own, which it stops to cut the
network off (and the browser context is set offline too).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

from conftest import SiteServer
from playwright.sync_api import Browser, Page

from .helpers import Recorder, check_reply, expected_result, new_context

CACHED_TIMEOUT = 90_000


def _two_lessons(embedded: dict[str, str]) -> tuple[str, str]:
    first = sorted(embedded)[0]
    other = next(i for i in sorted(embedded) if embedded[i] != embedded[first])
    return first, other


def _visit_and_grade(page: Page, url: str, ex_id: str, text: str) -> None:
    page.goto(url)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30_000)
    check_reply(page, ex_id, text)
    page.wait_for_function(
        "() => ['cached', 'failed'].includes(window.__offline.status)", timeout=CACHED_TIMEOUT
    )
    assert page.evaluate("window.__offline") == {"status": "cached", "message": ""}


def test_two_lessons_load_and_grade_with_the_network_blocked_after_one_visit(
    browser: Browser,
    site_dir: Path,
    embedded: dict[str, str],
    exercises: dict[str, dict[str, Any]],
) -> None:
    first, other = _two_lessons(embedded)
    server = SiteServer(site_dir)
    context = new_context(browser, server.url)
    recorder = Recorder()
    recorder.attach(context)
    page = context.new_page()
    with server:
        _visit_and_grade(page, server.url + embedded[first], first, "Bonjour.")
    kept = recorder.service_worker_requests
    assert kept and all(u.startswith(server.url) for u in kept), "the service worker stays on site"
    context.set_offline(True)  # and the server is gone

    page.goto(server.url + embedded[first])
    page.wait_for_selector(f"section#exercice-{first}[data-bound]")
    page.goto(server.url + embedded[other])  # a lesson this visit never opened
    assert page.locator("h1").first.inner_text()
    text = exercises[other]["examples"][0]["text"]
    assert check_reply(page, other, text) == expected_result(exercises[other], text)
    context.close()


def test_the_course_is_installable_in_french(site_dir: Path, base_url: str) -> None:
    manifest = json.loads((site_dir / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["name"] == "Dire non sans perdre le client"
    assert manifest["lang"] == "fr" and manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        png = (site_dir / icon["src"]).read_bytes()
        assert png.startswith(b"\x89PNG")
        width = int.from_bytes(png[16:20], "big")
        assert f"{width}x{width}" == icon["sizes"]
    page = (site_dir / "index.html").read_text(encoding="utf-8")
    assert '<link rel="manifest" href="manifest.webmanifest">' in page


def test_a_new_build_replaces_the_course_and_keeps_the_runtime(
    browser: Browser, site_dir: Path, embedded: dict[str, str], tmp_path: Path
) -> None:
    site = tmp_path / "site"
    shutil.copytree(site_dir, site)
    first, _ = _two_lessons(embedded)
    server = SiteServer(site)
    context = new_context(browser, server.url)
    page = context.new_page()
    with server:
        _visit_and_grade(page, server.url + embedded[first], first, "Bonjour.")
        before = sorted(page.evaluate("caches.keys()"))
        assert [n.split("-")[1] for n in before] == ["course", "runtime"]

        # A new build: a page changes, and with it the build hash in sw.js.
        lesson = site / embedded[first] / "index.html"
        lesson.write_text(
            lesson.read_text(encoding="utf-8").replace("</h1>", " (revue)</h1>", 1),
            encoding="utf-8",
        )
        worker = site / "sw.js"
        worker.write_text(
            re.sub(r'const BUILD = "\w+";', 'const BUILD = "nouvelle0build0";', worker.read_text()),
            encoding="utf-8",
        )
        for changed in (lesson, worker):  # precompress would rewrite them: none here
            for sibling in changed.parent.glob(changed.name + ".*"):
                sibling.unlink()
        page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
        new_course = "dnspc-course-nouvelle0build0"
        for _ in range(CACHED_TIMEOUT // 250):
            names = page.evaluate("caches.keys()")
            if new_course in names and before[0] not in names:
                break
            page.wait_for_timeout(250)
        assert new_course in names and before[0] not in names, names
        after = sorted(page.evaluate("caches.keys()"))
        assert after[1] == before[1], "the runtime did not change: its cache stays"
        page.reload()
        assert "(revue)" in page.locator("h1").first.inner_text()
    context.set_offline(True)
    page.reload()
    assert "(revue)" in page.locator("h1").first.inner_text(), "the new page, offline"
    context.close()
