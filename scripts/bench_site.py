#!/usr/bin/env python3
"""Measure the site as a reader gets it, in headless Chromium.

    .venv/bin/python scripts/bench_site.py [--gradings 50] [--ready-runs 5] [--json]

Builds the site into a temporary directory, serves it on 127.0.0.1 and prints:

- bytes sent by the server for each lesson page before any interaction (cold
  cache), counted on the server so that the page's workers and service worker
  are counted too, and how many of them are Pyodide's (targets: at most 130 KB,
  no Pyodide byte);
- time from the first focus in an exercise to "ready", cold cache, as a ratio of
  a bare page that only starts the same Pyodide in a worker, measured in the
  same run, runs interleaved (target: at most 0.6x);
- bytes sent before the first verdict: page, runtime, checker, exercise
  (target: at most 4 MiB);
- the same first focus -> ready at a simulated 10 Mbit/s line with 40 ms of
  latency (Chromium's network emulation, which also throttles the workers;
  target: at most 5 s);
- the cost of a grading sent at the very moment of "ready" (before the worker
  has warmed up), and grade latency measured inside the worker around the
  Python call, median and p95 over ``--gradings`` gradings (targets 5 / 20 ms),
  timing starting 3 s after "ready", as a reader types first.

The server sends a precompressed ``.br`` (or ``.gz``) file beside the one asked
for when there is one and the browser accepts it, as ``make serve`` does;
otherwise it gzips text files on the fly. A second build, made as the Pages
workflow makes it, is served as GitHub Pages serves files (siblings ignored,
text and WebAssembly gzipped on the fly) for the bytes before the first verdict
and the slow line there (``--no-pages`` skips it).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from conftest import QuietHandler, build_site, launch_args  # noqa: E402
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright  # noqa: E402

from hooks.precompress import negotiate  # noqa: E402
from hooks.site_build import find_blocks, load_exercises  # noqa: E402

TARGET_PAGE_BYTES = 130 * 1024
TARGET_READY_RATIO = 0.6
TARGET_VERDICT_BYTES = 4 * 1024 * 1024
TARGET_SLOW_READY_S = 5.0
TARGET_MEDIAN_MS = 5.0
TARGET_P95_MS = 20.0

TYPING_PAUSE_MS = 3000
SLOW_RUNS = 3
READY_TIMEOUT_MS = 180_000
# A 10 Mbit/s line with 40 ms of latency, in Chromium's units (bytes per second).
SLOW_LINE = {
    "offline": False,
    "latency": 40,
    "downloadThroughput": 10_000_000 / 8,
    "uploadThroughput": 10_000_000 / 8,
}

COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".txt", ".map"}
# Stock Pyodide, as npm ships it: what the bare page starts.
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"
BARE_PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
BARE_PREFIX = "/__bare__/"

BARE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Bare Pyodide</title>
<script type="module" src="bare.js"></script></head><body></body></html>
"""
# The page starts one module worker, as exercise.js does, and times it from the page.
BARE_SCRIPT = """
window.__bare = { readyMs: null, failed: null };
window.__bare.start = () => {
  const started = performance.now();
  const worker = new Worker(new URL("worker.js", import.meta.url), { type: "module" });
  worker.addEventListener("message", (event) => {
    if (event.data.type === "ready") window.__bare.readyMs = performance.now() - started;
    else window.__bare.failed = event.data.message;
  });
};
"""
BARE_WORKER = """
try {
  const { loadPyodide } = await import(new URL("pyodide/pyodide.mjs", import.meta.url).href);
  await loadPyodide({
    indexURL: new URL("pyodide/", import.meta.url).href,
    stdout: () => {},
    stderr: () => {},
  });
  postMessage({ type: "ready" });
} catch (error) {
  postMessage({ type: "failed", message: String(error) });
}
"""


# --------------------------------------------------------------------------- server


class BenchHandler(QuietHandler):
    """Serves the site (and the bare page under ``/__bare__/``) and counts every byte sent.

    ``host="precompressed"``: a ``.br`` or ``.gz`` sibling when the browser
    accepts it, as ``make serve`` does; other text files gzipped on the fly.
    ``host="gzip"``: like GitHub Pages, siblings ignored, text and WebAssembly
    gzipped on the fly. ``host="none"``: every file as it is.
    """

    bare_dir: Path
    host = "precompressed"
    log: list[tuple[str, int]]
    lock: threading.Lock
    cache: dict[tuple[str, int], bytes] = {}  # noqa: RUF012

    def setup(self) -> None:
        super().setup()
        self.wfile = _CountingWriter(self.wfile)  # type: ignore[assignment]

    def handle_one_request(self) -> None:
        self.wfile.sent = 0  # type: ignore[attr-defined]
        super().handle_one_request()
        sent = self.wfile.sent  # type: ignore[attr-defined]
        if sent and getattr(self, "path", None):
            with self.lock:
                self.log.append((self.path, sent))

    def translate_path(self, path: str) -> str:
        if path.startswith(BARE_PREFIX):
            rel = path[len(BARE_PREFIX) :].split("?", 1)[0].split("#", 1)[0]
            return str(self.bare_dir / (rel or "index.html"))
        return super().translate_path(path)

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepted = self.headers.get("Accept-Encoding", "")
        if self.host == "precompressed" and negotiate(path, accepted)[1]:
            super().do_GET()
            return
        compressible = COMPRESSIBLE | ({".wasm"} if self.host == "gzip" else set())
        if self.host == "none" or "gzip" not in accepted or path.suffix not in compressible:
            SimpleHTTPRequestHandler.do_GET(self)
            return
        if not path.is_file():
            SimpleHTTPRequestHandler.do_GET(self)
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


class _CountingWriter:
    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self.sent = 0

    def write(self, data: bytes) -> int:
        self.sent += len(data)
        return int(self.raw.write(data) or len(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)


class BenchServer:
    """The site and the bare page on 127.0.0.1, every response logged with its size."""

    def __init__(self, site: Path, bare: Path, *, host: str) -> None:
        self.log: list[tuple[str, int]] = []
        self.lock = threading.Lock()
        handler_class = type(
            "Handler",
            (BenchHandler,),
            {"bare_dir": bare, "host": host, "log": self.log, "lock": self.lock},
        )
        handler = functools.partial(handler_class, directory=str(site))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> BenchServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def take_log(self) -> list[tuple[str, int]]:
        with self.lock:
            taken = list(self.log)
            self.log.clear()
        return taken


def write_bare_page(target: Path) -> None:
    (target / "pyodide").mkdir(parents=True)
    for name in BARE_PYODIDE_FILES:
        shutil.copy2(PYODIDE_DIR / name, target / "pyodide" / name)
    (target / "index.html").write_text(BARE_PAGE, encoding="utf-8")
    (target / "bare.js").write_text(BARE_SCRIPT, encoding="utf-8")
    (target / "worker.js").write_text(BARE_WORKER, encoding="utf-8")


# --------------------------------------------------------------------------- measures


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


def is_runtime(path: str) -> bool:
    return "/pyodide/" in path or ".whl" in path


def new_page(
    browser: Browser, throttle: dict[str, Any] | None = None
) -> tuple[BrowserContext, Page]:
    """A fresh context (cold cache); with ``throttle``, Chromium's network emulation.

    The emulation applies to the page and its workers but not to the service
    worker's own requests: throttled, the page runs without it (on a first
    visit it only forwards requests, the bytes are the same).
    """
    context = browser.new_context(service_workers="block" if throttle else "allow")
    page = context.new_page()
    if throttle:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", throttle)
    return context, page


def page_weight(browser: Browser, server: BenchServer, path: str) -> dict[str, Any]:
    context, page = new_page(browser)
    server.take_log()
    page.goto(server.url + path)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(2000)  # a service worker installs after the load
    log = server.take_log()
    context.close()
    return {
        "url": server.url + path,
        "requests": len(log),
        "bytes": sum(n for _, n in log),
        "pyodide_bytes": sum(n for p, n in log if is_runtime(p)),
    }


def bare_ready(browser: Browser, server: BenchServer) -> float:
    """Seconds for the bare page to start stock Pyodide in a worker, cold cache."""
    context, page = new_page(browser)
    page.goto(server.url + BARE_PREFIX.lstrip("/"))
    page.wait_for_function("() => window.__bare !== undefined")
    page.evaluate("window.__bare.start()")
    page.wait_for_function(
        "() => window.__bare.readyMs !== null || window.__bare.failed !== null",
        timeout=READY_TIMEOUT_MS,
    )
    failed = page.evaluate("window.__bare.failed")
    ms = page.evaluate("window.__bare.readyMs")
    context.close()
    if failed:
        raise RuntimeError(f"the bare page did not start Pyodide: {failed}")
    return float(ms) / 1000


def cold_ready(
    browser: Browser,
    server: BenchServer,
    path: str,
    ex_id: str,
    reply: str,
    throttle: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """First focus -> ready, then one grading sent at once; bytes sent until its verdict."""
    context, page = new_page(browser, throttle)
    server.take_log()
    page.goto(server.url + path)
    page.wait_for_load_state("networkidle")
    page.focus(f"#exercice-{ex_id}-reponse")
    page.wait_for_function("() => window.__exercises.state !== 'loading'", timeout=READY_TIMEOUT_MS)
    state = page.evaluate("window.__exercises.state")
    stats = page.evaluate("window.__exercises.stats")
    if state != "ready":
        context.close()
        raise RuntimeError(f"the checker did not start ({state})")
    first = page.evaluate(
        """async ([id, text]) => {
            const t0 = performance.now();
            const r = await window.__exercises.grade(id, text);
            return {worker: r.ms, page: performance.now() - t0,
                    sinceFocus: performance.now() - window.__exercises.stats.startedAt};
        }""",
        [ex_id, reply],
    )
    log = server.take_log()
    context.close()
    return {
        "s": float(stats["readyMs"]) / 1000,
        "steps_ms": stats["steps"],
        "first_grade_worker_ms": first["worker"],
        "first_grade_page_ms": first["page"],
        "verdict_after_focus_s": first["sinceFocus"] / 1000,
        "bytes_to_verdict": sum(n for _, n in log),
        "largest": sorted(log, key=lambda e: -e[1])[:6],
    }


def grade_latency(
    browser: Browser, url: str, cases: list[tuple[str, str]], n: int
) -> dict[str, Any]:
    context, page = new_page(browser)
    page.goto(url)
    page.evaluate("window.__exercises.start()")
    page.wait_for_function("() => window.__exercises.state === 'ready'", timeout=READY_TIMEOUT_MS)
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


def run(
    server: BenchServer, pages_server: BenchServer | None, gradings: int, ready_runs: int
) -> dict[str, Any]:
    pages = lesson_pages()
    exercises = load_exercises()
    cases = [
        (ex_id, example["text"])
        for ex_id, exercise in sorted(exercises.items())
        for example in exercise.get("examples") or []
    ]
    first_path = sorted(pages)[0]
    first_id = pages[first_path][0]
    reply = exercises[first_id]["examples"][0]["text"]
    with sync_playwright() as p:
        browser = p.chromium.launch(**launch_args())
        weights = [page_weight(browser, server, path) for path in sorted(pages)]
        bares: list[float] = []
        readies: list[dict[str, Any]] = []
        for _ in range(ready_runs):  # interleaved, so that both see the same machine
            bares.append(bare_ready(browser, server))
            readies.append(cold_ready(browser, server, first_path, first_id, reply))
        slows = [
            cold_ready(browser, server, first_path, first_id, reply, throttle=SLOW_LINE)
            for _ in range(SLOW_RUNS)
        ]
        slow = sorted(slows, key=lambda r: r["s"])[len(slows) // 2]  # the median run
        on_pages = None
        if pages_server is not None:
            fast = cold_ready(browser, pages_server, first_path, first_id, reply)
            slow_pages = cold_ready(
                browser, pages_server, first_path, first_id, reply, throttle=SLOW_LINE
            )
            on_pages = {
                "bytes_to_verdict": fast["bytes_to_verdict"],
                "slow_ready_s": slow_pages["s"],
                "largest": fast["largest"],
            }
        latency = grade_latency(browser, server.url + first_path, cases, gradings)
        browser.close()
    ready_median = statistics.median(r["s"] for r in readies)
    bare_median = statistics.median(bares)
    return {
        "pages": weights,
        "max_page_bytes": max(w["bytes"] for w in weights),
        "pyodide_bytes_before_interaction": sum(w["pyodide_bytes"] for w in weights),
        "bare_ready_s": bares,
        "bare_ready_median_s": bare_median,
        "ready_s": [r["s"] for r in readies],
        "ready_steps_ms": [r["steps_ms"] for r in readies],
        "ready_median_s": ready_median,
        "ready_ratio": ready_median / bare_median,
        "first_grade_worker_ms": [r["first_grade_worker_ms"] for r in readies],
        "first_grade_page_ms": [r["first_grade_page_ms"] for r in readies],
        "bytes_to_verdict": statistics.median(r["bytes_to_verdict"] for r in readies),
        "largest_to_verdict": readies[0]["largest"],
        "slow_line": {
            "ready_s": slow["s"],
            "runs_s": [r["s"] for r in slows],
            "verdict_after_focus_s": slow["verdict_after_focus_s"],
            "steps_ms": slow["steps_ms"],
        },
        "pages_like_host": on_pages,
        "latency": latency,
    }


# --------------------------------------------------------------------------- report


def verdict(ok: bool) -> str:
    return "ok" if ok else "OVER TARGET"


def report(r: dict[str, Any]) -> None:
    print(
        "Lesson pages before interaction (cold cache, .br/.gz siblings sent when accepted,"
        " other text gzipped; every byte the server sent, workers included):"
    )
    for w in r["pages"]:
        print(f"  {w['url']}: {w['bytes'] / 1024:7.1f} KB in {w['requests']} requests")
    max_kb = r["max_page_bytes"] / 1024
    target_kb = TARGET_PAGE_BYTES / 1024
    print(
        f"  heaviest: {max_kb:.1f} KB (target <= {target_kb:.0f} KB) {verdict(max_kb <= target_kb)}"
    )
    py = r["pyodide_bytes_before_interaction"]
    print(f"  Pyodide bytes before interaction: {py} (target 0) {verdict(py == 0)}")

    bares = ", ".join(f"{s:.2f}" for s in r["bare_ready_s"])
    print(
        f"Bare page starting stock Pyodide in a worker, cold cache: median {r['bare_ready_median_s']:.2f} s ({bares})"
    )
    readies = ", ".join(f"{s:.2f}" for s in r["ready_s"])
    ratio = r["ready_ratio"]
    print(
        f"First focus -> ready, cold cache: median {r['ready_median_s']:.2f} s ({readies}),"
        f" {ratio:.2f}x the bare page (target <= {TARGET_READY_RATIO}x)"
        f" {verdict(ratio <= TARGET_READY_RATIO)}"
    )
    for steps in r["ready_steps_ms"]:
        print("  in the worker: " + ", ".join(f"{k} {v:.0f} ms" for k, v in steps.items()))
    firsts = ", ".join(f"{ms:.0f}" for ms in r["first_grade_worker_ms"])
    pages = ", ".join(f"{ms:.0f}" for ms in r["first_grade_page_ms"])
    print(f"  a grading sent at ready: {firsts} ms in the worker, {pages} ms seen by the page")

    mib = r["bytes_to_verdict"] / 1024 / 1024
    target_mib = TARGET_VERDICT_BYTES / 1024 / 1024
    print(
        f"Bytes sent before the first verdict (cold cache): {mib:.2f} MiB"
        f" (target <= {target_mib:.0f} MiB) {verdict(mib <= target_mib)}"
    )
    for path, size in r["largest_to_verdict"]:
        print(f"  {size / 1024:8.1f} KB  {path}")
    slow = r["slow_line"]
    runs = ", ".join(f"{x:.2f}" for x in slow["runs_s"])
    print(
        f"At 10 Mbit/s and 40 ms (network emulation): first focus -> ready, median {slow['ready_s']:.2f} s ({runs})"
        f" (target <= {TARGET_SLOW_READY_S:.0f} s) {verdict(slow['ready_s'] <= TARGET_SLOW_READY_S)},"
        f" first verdict {slow['verdict_after_focus_s']:.2f} s after the focus"
    )
    print("  in the worker: " + ", ".join(f"{k} {v:.0f} ms" for k, v in slow["steps_ms"].items()))

    pages = r["pages_like_host"]
    if pages:
        print(
            "On a host that ignores the siblings and gzips text and WebAssembly itself (GitHub"
            " Pages), site built as the Pages workflow builds it (STDLIB_ZIP=deflated):"
        )
        print(
            f"  bytes before the first verdict {pages['bytes_to_verdict'] / 1024 / 1024:.2f} MiB,"
            f" first focus -> ready at 10 Mbit/s {pages['slow_ready_s']:.2f} s"
        )
        for path, size in pages["largest"][:3]:
            print(f"  {size / 1024:8.1f} KB  {path}")

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
    parser.add_argument("--ready-runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--no-pages", action="store_true", help="skip the GitHub Pages-like build and host"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        site, bare, pages_site = Path(tmp) / "site", Path(tmp) / "bare", Path(tmp) / "pages"
        write_bare_page(bare)
        server = BenchServer(site, bare, host="precompressed")
        build_site(site, site_url=server.url)
        pages_server = None
        if not args.no_pages:
            pages_server = BenchServer(pages_site, bare, host="gzip")
            os.environ["STDLIB_ZIP"] = "deflated"  # as .github/workflows/pages.yml builds
            try:
                build_site(pages_site, site_url=pages_server.url)
            finally:
                del os.environ["STDLIB_ZIP"]
        with server, pages_server or contextlib.nullcontext():
            result = run(server, pages_server, args.gradings, args.ready_runs)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        report(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
