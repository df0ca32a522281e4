"""Printing, as a trainer does: a lesson hands its exercises out, the Fiche fits one sheet.

The page is laid out for print (``page.emulate_media(media="print")``) and, for
the page counts, printed to PDF by Chromium itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from .helpers import new_context

LESSON = "lecons/client-furieux/"  # two exercises
LESSON_EXERCISES = ["client-furieux", "suivi-reclamation"]


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    context = new_context(browser, base_url)
    yield context.new_page()
    context.close()


def _pdf_pages(page: Page) -> int:
    pdf = page.pdf(format="A4", print_background=True)
    return len(re.findall(rb"/Type\s*/Page(?![a-z])", pdf))


def _shown(page: Page, selector: str) -> bool:
    return bool(
        page.eval_on_selector(
            selector,
            "el => getComputedStyle(el).display !== 'none' && el.getClientRects().length > 0",
        )
    )


def test_a_printed_lesson_hands_its_exercises_out(
    page: Page, exercises: dict[str, dict[str, Any]]
) -> None:
    page.goto(LESSON)
    page.wait_for_selector("section.exercise[data-bound]")
    page.emulate_media(media="print")
    assert not _shown(page, ".md-header") and not _shown(page, ".md-sidebar")
    for ex_id in LESSON_EXERCISES:
        section = f"section#exercice-{ex_id}"
        for part in (
            ".exercise__title",
            ".exercise__situation",
            "figure.exercise__customer",
            ".exercise__instruction",
            ".exercise__lines",
            ".exercise__handout-model",
        ):
            assert _shown(page, f"{section} {part}"), f"{ex_id}: {part} is not printed"
        for part in (
            "textarea",
            ".exercise__actions",
            ".exercise__hints",
            "details.exercise__model",
        ):
            assert not _shown(page, f"{section} {part}"), f"{ex_id}: {part} is printed"
        # Each exercise on a new page, its model answer on a page of its own.
        breaks = page.eval_on_selector(
            section,
            """s => [getComputedStyle(s).breakBefore,
                     getComputedStyle(s.querySelector('.exercise__handout-model')).breakBefore]""",
        )
        assert breaks == ["page", "page"], ex_id
        lines = page.eval_on_selector(f"{section} .exercise__lines", "el => el.offsetHeight")
        assert lines > 300, f"{ex_id}: {lines}px to write on"
        model = page.inner_text(f"{section} .exercise__handout-model")
        words = " ".join(exercises[ex_id]["model_answers"][0].split()[:6])
        assert " ".join(model.split()).find(words) >= 0, f"{ex_id}: model answer not printed"
    # Lesson, then two handouts of two pages each (the exercise, then its model answer).
    assert _pdf_pages(page) >= 5


def test_the_handout_copy_stays_off_the_screen(page: Page) -> None:
    page.goto(LESSON)
    page.wait_for_selector("section.exercise[data-bound]")
    assert not _shown(page, "section#exercice-client-furieux .exercise__handout")
    snapshot = page.locator("section#exercice-client-furieux").aria_snapshot()
    assert "Réponse modèle :" not in snapshot  # not read twice by a screen reader


def test_the_fiche_reflexe_prints_on_one_sheet_with_the_course_and_its_address(
    page: Page, base_url: str
) -> None:
    page.goto("fiche-reflexe/")
    source = page.inner_text(".fiche-source")
    assert "Dire non sans perdre le client" in source and base_url.rstrip("/") in source
    page.emulate_media(media="print")
    assert _shown(page, ".fiche-source")
    assert _pdf_pages(page) == 1
