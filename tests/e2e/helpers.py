"""Helpers shared by the browser tests (the fixtures are in conftest.py)."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from hooks.catalogue import find_blocks  # noqa: E402

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
READY_TIMEOUT = 60_000

CSP_PROBE = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample || ''}`);
});
"""


@dataclass
class Recorder:
    """What the pages and their workers ask for; the service worker's own
    requests (it forwards theirs to the network) are kept apart."""

    requests: list[str] = field(default_factory=list)
    service_worker_requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def attach(self, context: BrowserContext) -> None:
        context.on("request", self.on_request)
        context.on("page", self.attach_page)
        for page in context.pages:
            self.attach_page(page)

    def on_request(self, request: Any) -> None:
        if request.service_worker:
            self.service_worker_requests.append(request.url)
        else:
            self.requests.append(request.url)

    def attach_page(self, page: Page) -> None:
        def on_console(message: Any) -> None:
            text = message.text
            if message.type == "error" or "Content Security Policy" in text:
                self.errors.append(f"console {message.type}: {text}")

        def on_dialog(dialog: Any) -> None:
            self.dialogs.append(f"{dialog.type}: {dialog.message}")
            if dialog.type != "confirm":  # confirms are answered by the test that expects them
                dialog.dismiss()

        page.on("console", on_console)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("dialog", on_dialog)


@dataclass
class Warm:
    context: BrowserContext
    page: Page
    recorder: Recorder
    base_url: str


def exercise_pages(docs: Path = ROOT / "docs") -> dict[str, str]:
    """Exercise id -> site path (directory URL) of the page that embeds it."""
    pages: dict[str, str] = {}
    for md in sorted(docs.rglob("*.md")):
        uri = md.relative_to(docs).as_posix()
        for _line, ex_id in find_blocks(md.read_text(encoding="utf-8")):
            if ex_id:
                pages[ex_id] = page_url(uri)
    return pages


def page_url(uri: str) -> str:
    """``lecons/x.md`` -> ``lecons/x/``; ``index.md`` -> ``''`` (use_directory_urls)."""
    stem = uri.removesuffix(".md")
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def new_context(browser: Browser, base_url: str, **kwargs: Any) -> BrowserContext:
    context = browser.new_context(base_url=base_url, **kwargs)
    context.add_init_script(CSP_PROBE)
    context.set_default_timeout(30_000)
    return context


def instant_goto(page: Page, base_url: str, path: str) -> None:
    """Follow a link the way a reader does, so that Material's instant navigation runs."""
    target = base_url + path
    page.evaluate(
        """(url) => {
            const a = document.createElement('a');
            a.href = url;
            document.querySelector('.md-content').append(a);
            a.click();
            a.remove();
        }""",
        target,
    )
    page.wait_for_function("(url) => location.href === url", arg=target)
    page.wait_for_load_state("domcontentloaded")


def open_page(page: Page, base_url: str, path: str) -> None:
    """Instant navigation when a site page is already shown, a full load otherwise."""
    if page.url.startswith(base_url) and page.evaluate("!!window.document$"):
        instant_goto(page, base_url, path)
    else:
        page.goto(base_url + path)
    page.wait_for_selector("body")


def check_reply(page: Page, ex_id: str, text: str, *, via: str = "button") -> dict[str, str]:
    """Type ``text`` into the exercise, ask for a check, wait for the verdict."""
    section = f"section#exercice-{ex_id}"
    page.wait_for_selector(f"{section}[data-bound]")
    page.eval_on_selector(
        f"{section} [data-role=result]",
        "el => { el.removeAttribute('data-verdict'); el.removeAttribute('data-score'); }",
    )
    page.fill(f"{section} textarea", text)
    if via == "button":
        page.click(f"{section} [data-action=check]")
    else:
        page.focus(f"{section} textarea")
        page.keyboard.press("Control+Enter")
    page.wait_for_selector(f"{section} [data-role=result][data-score]", timeout=READY_TIMEOUT)
    result = page.locator(f"{section} [data-role=result]")
    return {
        "verdict": result.get_attribute("data-verdict") or "",
        "score": result.get_attribute("data-score") or "",
        "statuses": ",".join(
            result.locator("li[data-status]").evaluate_all("els => els.map(e => e.dataset.status)")
        ),
    }


def expected_result(exercise: dict[str, Any], text: str) -> dict[str, str]:
    """What ``check_reply`` must read on the page: the checker's own grade, in CPython."""
    import checker

    result = checker.grade(exercise, text).to_dict()
    return {
        "verdict": "pass" if result["passed"] else "fail",
        "score": str(result["score"]),
        "statuses": ",".join(c["status"] for c in result["criteria"]),
    }
