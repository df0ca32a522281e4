#!/usr/bin/env python3
"""Measure the site as a reader gets it, in headless Chromium.

    .venv/bin/python scripts/bench_site.py [--gradings 50] [--ready-runs 3] [--json]

Builds the site into a temporary directory, serves it on 127.0.0.1 and prints:

- bytes transferred by each lesson page before any interaction (cold cache),
  and how many of them are Pyodide's (target: at most 400 KB, no Pyodide byte);
- time from the first focus in an exercise to "ready", cold cache (target 3 s);
- grade latency measured inside the worker around the Python call, median and
  p95 over ``--gradings`` gradings (targets 5 ms / 20 ms), plus the round trip
  seen by the page; timing starts 3 s after "ready", as a reader types first.

By default the server compresses text files with gzip, as static hosts do
(GitHub Pages does); ``--no-gzip`` sends every file as it is. WebAssembly and
zip files are never compressed here.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from conftest import QuietHandler, SiteServer, build_site, launch_args  # noqa: E402
from playwright.sync_api import Browser, sync_playwright  # noqa: E402

from hooks.site_build import find_blocks, load_exercises  # noqa: E402

TARGET_PAGE_BYTES = 400 * 1024
TARGET_READY_S = 3.0
TARGET_MEDIAN_MS = 5.0
TARGET_P95_MS = 20.0


COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".txt", ".map"}


class GzipHandler(QuietHandler):
    """Sends text files gzip-compressed when the browser accepts it."""

    cache: dict[tuple[str, int], bytes] = {}  # noqa: RUF012

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not accepts or path.suffix not in COMPRESSIBLE or not path.is_file():
            super().do_GET()
            return
        key = (str(path), path.stat().st_mtime_ns)
        if key not in self.cache:
            self.cache[key] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        body = self.cache[key]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


TYPING_PAUSE_MS = 3000


def lesson_pages() -> dict[str, list[str]]:
    """Site path of each page with exercises -> the ids it embeds."""
    pages: dict[str, list[str]] = {}
    docs = ROOT / "docs"
    for md in sorted(docs.rglob("*.md")):
        ids = [i for _, i in find_blocks(md.read_text(encoding="utf-8")) if i]
        if ids:
            uri = md.relative_to(docs).as_posix().removesuffix(".md")
            pages[uri.removesuffix("index") if uri.endswith("index") else uri + "/"] = ids
    return pages


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[index]


def page_weight(browser: Browser, url: str) -> dict[str, Any]:
    context = browser.new_context()
    sizes: list[tuple[str, int]] = []

    def finished(request: Any) -> None:
        s = request.sizes()
        sizes.append((request.url, s["responseBodySize"] + s["responseHeadersSize"]))

    context.on("requestfinished", finished)
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    context.close()
    total = sum(n for _, n in sizes)
    pyodide = sum(n for u, n in sizes if "/pyodide/" in u or u.endswith(".whl"))
    return {"url": url, "requests": len(sizes), "bytes": total, "pyodide_bytes": pyodide}


def cold_ready(browser: Browser, url: str, ex_id: str) -> dict[str, Any]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.focus(f"#exercice-{ex_id}-reponse")
    page.wait_for_function("() => window.__exercises.state !== 'loading'", timeout=120_000)
    state = page.evaluate("window.__exercises.state")
    stats = page.evaluate("window.__exercises.stats")
    context.close()
    if state != "ready":
        raise RuntimeError(f"the checker did not start ({state})")
    return {"s": float(stats["readyMs"]) / 1000, "steps_ms": stats["steps"]}


def grade_latency(
    browser: Browser, url: str, cases: list[tuple[str, str]], n: int
) -> dict[str, Any]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    page.evaluate("window.__exercises.start()")
    page.wait_for_function("() => window.__exercises.state === 'ready'", timeout=120_000)
    # A reader types for several seconds before the first grading: the worker
    # compiles the patterns in slices meanwhile, which this pause lets it do.
    page.wait_for_timeout(TYPING_PAUSE_MS)
    worker_ms: list[float] = []
    round_trip_ms: list[float] = []
    # Warm-up: the first grading of an exercise fetches its JSON.
    for ex_id in sorted({c[0] for c in cases}):
        page.evaluate("([id, t]) => window.__exercises.grade(id, t)", [ex_id, "Bonjour."])
    for i in range(n):
        ex_id, text = cases[i % len(cases)]
        out = page.evaluate(
            """async ([id, text]) => {
                const t0 = performance.now();
                const r = await window.__exercises.grade(id, text);
                return {worker: r.ms, page: performance.now() - t0};
            }""",
            [ex_id, text],
        )
        worker_ms.append(out["worker"])
        round_trip_ms.append(out["page"])
    context.close()
    return {
        "gradings": n,
        "worker_median_ms": statistics.median(worker_ms),
        "worker_p95_ms": percentile(worker_ms, 0.95),
        "worker_max_ms": max(worker_ms),
        "page_median_ms": statistics.median(round_trip_ms),
        "page_p95_ms": percentile(round_trip_ms, 0.95),
    }


def run(site: Path, server: SiteServer, gradings: int, ready_runs: int) -> dict[str, Any]:
    pages = lesson_pages()
    exercises = load_exercises()
    cases = [
        (ex_id, example["text"])
        for ex_id, exercise in sorted(exercises.items())
        for example in exercise.get("examples") or []
    ]
    with sync_playwright() as p:
        browser = p.chromium.launch(**launch_args())
        weights = [page_weight(browser, server.url + path) for path in sorted(pages)]
        first_path = sorted(pages)[0]
        readies = [
            cold_ready(browser, server.url + first_path, pages[first_path][0])
            for _ in range(ready_runs)
        ]
        latency = grade_latency(browser, server.url + first_path, cases, gradings)
        browser.close()
    return {
        "site": str(site),
        "pages": weights,
        "max_page_bytes": max(w["bytes"] for w in weights),
        "pyodide_bytes_before_interaction": sum(w["pyodide_bytes"] for w in weights),
        "ready_s": [r["s"] for r in readies],
        "ready_steps_ms": [r["steps_ms"] for r in readies],
        "ready_median_s": statistics.median(r["s"] for r in readies),
        "latency": latency,
    }


def verdict(ok: bool) -> str:
    return "ok" if ok else "OVER TARGET"


def report(r: dict[str, Any]) -> None:
    how = "gzip for text files" if r["gzip"] else "uncompressed"
    print(f"Lesson pages before interaction (cold cache, {how}):")
    for w in r["pages"]:
        print(f"  {w['url']}: {w['bytes'] / 1024:7.1f} KB in {w['requests']} requests")
    max_kb = r["max_page_bytes"] / 1024
    print(f"  heaviest: {max_kb:.1f} KB (target <= 400 KB) {verdict(max_kb <= 400)}")
    py = r["pyodide_bytes_before_interaction"]
    print(f"  Pyodide bytes before interaction: {py} (target 0) {verdict(py == 0)}")
    readies = ", ".join(f"{s:.2f}" for s in r["ready_s"])
    median = r["ready_median_s"]
    print(
        f"First focus -> ready, cold cache: median {median:.2f} s ({readies})"
        f" (target <= 3 s) {verdict(median <= TARGET_READY_S)}"
    )
    for steps in r["ready_steps_ms"]:
        print("  in the worker: " + ", ".join(f"{k} {v:.0f} ms" for k, v in steps.items()))
    lat = r["latency"]
    ok = lat["worker_median_ms"] <= TARGET_MEDIAN_MS and lat["worker_p95_ms"] <= TARGET_P95_MS
    print(
        f"Grade latency in the worker over {lat['gradings']} gradings: "
        f"median {lat['worker_median_ms']:.2f} ms, p95 {lat['worker_p95_ms']:.2f} ms, "
        f"max {lat['worker_max_ms']:.2f} ms (targets 5 / 20 ms) {verdict(ok)}"
    )
    print(
        f"  round trip seen by the page: median {lat['page_median_ms']:.2f} ms, "
        f"p95 {lat['page_p95_ms']:.2f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gradings", type=int, default=50)
    parser.add_argument("--ready-runs", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--no-gzip", action="store_true", help="send files uncompressed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        site = Path(tmp)
        server = SiteServer(site)
        if not args.no_gzip:
            handler = functools.partial(GzipHandler, directory=str(site))
            server.httpd.RequestHandlerClass = handler  # type: ignore[assignment]
        build_site(site, site_url=server.url)
        with server:
            result = run(site, server, args.gradings, args.ready_runs)
        result["gzip"] = not args.no_gzip
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        report(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
