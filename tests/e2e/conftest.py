"""Browser fixtures for the end-to-end and accessibility tests.

``warm`` is one browser context and page shared by a test module: Pyodide
starts once in it and instant navigation moves between lessons, as a reader
would. Every request it makes, every console error and every CSP violation
is recorded so that tests can assert that nothing left the site.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser

from hooks.catalogue import load_exercises

from .helpers import Recorder, Warm, exercise_pages, new_context


@pytest.fixture(scope="session")
def exercises() -> dict[str, dict[str, Any]]:
    loaded = load_exercises()
    # What the site ships and what the worker grades against: the JSON of the YAML.
    return {k: json.loads(json.dumps(v)) for k, v in loaded.items()}


@pytest.fixture(scope="session")
def embedded() -> dict[str, str]:
    """Exercise id -> path of the page that embeds it."""
    return exercise_pages()


@pytest.fixture(scope="module")
def warm(browser: Browser, base_url: str) -> Iterator[Warm]:
    context = new_context(browser, base_url, permissions=["clipboard-read", "clipboard-write"])
    recorder = Recorder()
    recorder.attach(context)
    page = context.new_page()
    yield Warm(context, page, recorder, base_url)
    context.close()
