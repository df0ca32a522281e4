"""Shared fixtures: the built site, a local HTTP server, Debian's Chromium.

The site is built once per session (``mkdocs build --strict`` into a temporary
directory) and served by one server thread on 127.0.0.1, precompressed files
included as ``make serve`` does (``scripts/serve.py``); every browser test
shares one Chromium. Chromium is ``$CHROMIUM``, else ``/usr/bin/chromium``,
else Playwright's own build; it resolves no host but the loopback one.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # for ``hooks`` and ``checker`` without installing them
    sys.path.insert(0, str(ROOT))

from scripts.serve import PrecompressedHandler  # noqa: E402

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]


def chromium_executable() -> str | None:
    """``$CHROMIUM``, else Debian's ``/usr/bin/chromium``, else None (Playwright's own)."""
    env = os.environ.get("CHROMIUM")
    if env:
        return env
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return None


def launch_args() -> dict[str, Any]:
    args: dict[str, Any] = {"headless": True, "args": list(CHROMIUM_FLAGS)}
    executable = chromium_executable()
    if executable:
        args["executable_path"] = executable
    return args


class QuietHandler(PrecompressedHandler):
    """``make serve``'s handler: precompressed siblings, revalidation, no log."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


def build_site(target: Path, site_url: str | None = None) -> None:
    """``mkdocs build --strict`` of the working tree into ``target``.

    ``site_url`` must be the origin the site is served from: Material's instant
    navigation only follows links to pages of its sitemap, port included.
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if site_url:
        env["SITE_URL"] = site_url
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(target)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"mkdocs build failed:\n{proc.stdout}\n{proc.stderr}")


class SiteServer:
    """A static server bound on 127.0.0.1 (free port) as soon as it is created."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        handler = functools.partial(QuietHandler, directory=str(directory))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> SiteServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def site_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    """The site, built once for the session and served on 127.0.0.1."""
    target = tmp_path_factory.mktemp("site")
    server = SiteServer(target)  # bind first: the build needs the URL
    try:
        build_site(target, site_url=server.url)
    except RuntimeError as exc:
        server.httpd.server_close()
        pytest.fail(str(exc), pytrace=False)
    with server:
        yield server
    shutil.rmtree(target, ignore_errors=True)


@pytest.fixture(scope="session")
def site_dir(site_server: SiteServer) -> Path:
    return site_server.directory


@pytest.fixture(scope="session")
def base_url(site_server: SiteServer) -> str:
    """The served site's root URL (also pytest-base-url's ``base_url``)."""
    return site_server.url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, **launch_args()}
