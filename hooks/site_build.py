"""MkDocs hook: exercise widgets, self-hosted Pyodide, the checker wheel, CSP.

Registered in ``mkdocs.yml`` under ``hooks:``; each concern lives in its own
module and this file only wires them to MkDocs' events:

- ``on_config``: the exercise catalogue (``hooks/catalogue.py``) loads
  ``exercises/*.yml`` through the validator, and the Markdown extension
  (``hooks/exercise_block.py``) is registered with it;
- ``on_nav``: every ``/// exercise | <id>`` block of every page is placed,
  failing the build with ``page:line`` on an unknown id;
- ``on_post_build``: Pyodide, the checker wheel, the exercises' JSON and the
  manifest are shipped into ``site/assets/`` (``hooks/assets.py``), then the
  Content-Security-Policy of every page is filled in (``hooks/csp.py``).

Nothing is fetched from the network, at build time or at run time.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Literal

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # so that ``hooks.*`` imports work from the hook file
    sys.path.insert(0, str(ROOT))

from hooks.assets import check_pyodide, ship_assets  # noqa: E402
from hooks.catalogue import (  # noqa: E402
    find_blocks,
    load_exercises,
    page_title,
    place_exercises,
    reset,
)
from hooks.csp import apply_csp  # noqa: E402
from hooks.exercise_block import Catalog, ExerciseExtension  # noqa: E402

# scripts/bench_site.py and the Pyodide parity test import these from here.
__all__ = ["apply_csp", "find_blocks", "load_exercises", "page_title"]

_catalog = Catalog()
_command: str = "build"


def on_startup(*, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
    global _command
    _command = command


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    check_pyodide()
    reset(_catalog, load_exercises())
    config.markdown_extensions.append(ExerciseExtension(catalog=_catalog))
    return config


def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
    place_exercises(_catalog, nav, files, Path(config.docs_dir))
    return nav


def on_post_build(*, config: MkDocsConfig) -> None:
    site = Path(config.site_dir)
    ship_assets(site, _catalog.exercises)
    apply_csp(site, dev=_command == "serve")
