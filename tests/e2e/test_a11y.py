"""Accessibility: axe-core finds no violation on any page, light and dark.

axe-core comes from its npm package (node_modules/axe-core) and is injected by
Playwright; the context bypasses the site's CSP only to let that script in.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from .helpers import AXE, check_reply

SCHEMES = ["default", "slate"]


def site_pages(site_dir: Path) -> list[str]:
    pages = []
    for html in sorted(site_dir.rglob("index.html")):
        rel = html.parent.relative_to(site_dir).as_posix()
        pages.append("" if rel == "." else rel + "/")
    return pages


@pytest.fixture(scope="module")
def axe_context(browser: Browser, base_url: str) -> Iterator[BrowserContext]:
    if not AXE.is_file():
        pytest.skip("node_modules/axe-core is absent: run `npm ci`")
    context = browser.new_context(base_url=base_url, bypass_csp=True)
    yield context
    context.close()


NO_TRANSITIONS = (
    "*, *::before, *::after { transition: none !important; animation: none !important; }"
)


def run_axe(page: Page, scheme: str) -> list[dict[str, Any]]:
    if not page.evaluate("!!document.getElementById('axe-no-transitions')"):
        # Colours must be final when axe reads them: no fading between palettes.
        page.add_style_tag(content=NO_TRANSITIONS)
        page.evaluate("document.querySelector('style:last-of-type').id = 'axe-no-transitions'")
    page.evaluate(
        """(scheme) => {
            document.body.setAttribute('data-md-color-scheme', scheme);
        }""",
        scheme,
    )
    page.wait_for_timeout(50)
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary),
            }));
        }"""
    )
    return list(result)


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        lines.extend(f"    {n}" for n in v["nodes"])
    return "\n".join(lines)


def failures_in_both_schemes(page: Page, where: str) -> list[str]:
    """One report per colour scheme in which axe finds violations."""
    failures = []
    for scheme in SCHEMES:
        violations = run_axe(page, scheme)
        if violations:
            failures.append(f"{where} [{scheme}]\n{describe(violations)}")
    return failures


def test_every_page_light_and_dark(
    axe_context: BrowserContext, base_url: str, site_dir: Path
) -> None:
    page = axe_context.new_page()
    failures = []
    pages = site_pages(site_dir)
    assert len(pages) > 5
    for path in pages:
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
        failures += failures_in_both_schemes(page, f"/{path}")
    page.close()
    assert not failures, "\n".join(failures)


def test_graded_feedback(
    axe_context: BrowserContext,
    base_url: str,
    embedded: dict[str, str],
    exercises: dict[str, dict[str, Any]],
) -> None:
    page = axe_context.new_page()
    ex_id = sorted(embedded)[0]
    page.goto(base_url + embedded[ex_id])
    examples = exercises[ex_id].get("examples") or []
    failing = next(e["text"] for e in examples if not e.get("passed"))
    passing = next(e["text"] for e in examples if e.get("passed"))
    check_reply(page, ex_id, failing)
    # A second exercise state on the page: the model answer open.
    page.locator(f"section#exercice-{ex_id} [data-role=model] summary").click()
    failures = []
    box = page.locator(f"#exercice-{ex_id}-resultat")
    for text in (failing, passing):
        check_reply(page, ex_id, text)
        # Every part of the result shown: the folded checklist and the flag form.
        box.locator("details.exercise__checklist > summary").click()
        box.locator(".exercise__flag > button").click()
        failures += failures_in_both_schemes(page, repr(text[:40]))
    page.close()
    assert not failures, "\n".join(failures)
