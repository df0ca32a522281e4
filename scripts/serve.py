#!/usr/bin/env python3
"""Serve the built site as a static host that knows precompressed files does.

    .venv/bin/python scripts/serve.py [site] [--port 8000]

For ``x.wasm`` it sends ``x.wasm.br`` with ``Content-Encoding: br`` when the
browser accepts brotli, else ``x.wasm.gz`` with ``gzip``, else ``x.wasm``
(``hooks/precompress.py`` writes the siblings); always with the type of
``x.wasm`` and ``Vary: Accept-Encoding``. ``make serve`` builds, then runs it.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hooks.precompress import negotiate  # noqa: E402

MIME_TYPES = {
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".wasm": "application/wasm",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".svg": "image/svg+xml",
}


class PrecompressedHandler(SimpleHTTPRequestHandler):
    """Static files, precompressed siblings when the browser accepts them."""

    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map,
        **MIME_TYPES,
    }

    def send_precompressed(self, head_only: bool = False) -> bool:
        """Send the file or its sibling; False when the stock handler should answer."""
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return False  # the stock handler redirects to the slash
            path = path / "index.html"
        if not path.is_file():
            return False
        body_path, encoding = negotiate(path, self.headers.get("Accept-Encoding", ""))
        body = body_path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head_only:
            self.wfile.write(body)
        return True

    def do_GET(self) -> None:
        if not self.send_precompressed():
            super().do_GET()

    def do_HEAD(self) -> None:
        if not self.send_precompressed(head_only=True):
            super().do_HEAD()

    def end_headers(self) -> None:
        # Like a plain static host: let the browser revalidate, never serve stale files.
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", default=str(ROOT / "site"))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    handler = functools.partial(PrecompressedHandler, directory=args.site)
    with ThreadingHTTPServer((args.host, args.port), handler) as httpd:
        print(f"Serving {args.site} on http://{args.host}:{args.port}/ (Ctrl+C to stop)")
        with contextlib.suppress(KeyboardInterrupt):
            httpd.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
