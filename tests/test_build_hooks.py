"""The build hooks that shape what the reader downloads: pruning and the runtime."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from hooks.precompress import negotiate, precompress
from hooks.prune import lunr_files_needed, prune
from hooks.runtime import example_cases, lock_info


def test_only_the_configured_search_languages_are_kept() -> None:
    assert lunr_files_needed(["fr"]) == {
        "min/lunr.fr.min.js",
        "min/lunr.stemmer.support.min.js",
    }
    assert lunr_files_needed(["en"]) == set()
    assert lunr_files_needed(["fr", "ja"]) >= {"min/lunr.multi.min.js", "tinyseg.js"}


def test_prune_removes_maps_their_comments_and_other_languages(tmp_path: Path) -> None:
    js = tmp_path / "assets" / "javascripts"
    (js / "lunr" / "min").mkdir(parents=True)
    bundle = js / "bundle.min.js"
    bundle.write_bytes(b"(()=>{})();\n//# sourceMappingURL=bundle.min.js.map\n\n")
    (js / "bundle.min.js.map").write_text("{}")
    for name in ("lunr.fr.min.js", "lunr.de.min.js", "lunr.stemmer.support.min.js"):
        (js / "lunr" / "min" / name).write_text("x")
    (js / "lunr" / "tinyseg.js").write_text("x")

    removed = prune(tmp_path, ["fr"])

    assert bundle.read_bytes() == b"(()=>{})();\n"
    left = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert left == [
        "assets/javascripts/bundle.min.js",
        "assets/javascripts/lunr/min/lunr.fr.min.js",
        "assets/javascripts/lunr/min/lunr.stemmer.support.min.js",
    ]
    assert len(removed) == 3


def test_runtime_cases_cover_examples_and_model_answers() -> None:
    exercise = {
        "id": "x",
        "examples": [{"text": "Un.", "passed": True}, {"text": "Deux.", "passed": False}],
        "model_answers": ["Modèle."],
    }
    cases = example_cases({"x": exercise})
    assert [c["text"] for c in cases] == ["Un.", "Deux.", "Modèle."]
    assert cases[0]["exercise"] == json.loads(json.dumps(exercise))


def test_lock_info_is_what_pyodide_checks(tmp_path: Path) -> None:
    info = {"abi_version": "2026_0", "arch": "wasm32", "platform": "p", "python": "3.14.2"}
    (tmp_path / "pyodide-lock.json").write_text(json.dumps({"info": info, "packages": {"a": {}}}))
    assert lock_info(tmp_path) == info


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr("hooks.precompress.CACHE_DIR", tmp_path / "cache")
    (tmp_path / "site").mkdir()
    return tmp_path / "site"


def test_precompress_writes_siblings_of_large_assets_only(site: Path) -> None:
    tmp_path = site
    big = tmp_path / "big.js"
    big.write_text("const mot = 'bonjour';\n" * 500)
    small = tmp_path / "small.css"
    small.write_text("a{}")
    image = tmp_path / "logo.png"
    image.write_bytes(b"\x89PNG" + bytes(4000))
    orphan = tmp_path / "gone.js.gz"
    orphan.write_bytes(b"x")

    precompress(tmp_path)

    assert gzip.decompress((tmp_path / "big.js.gz").read_bytes()) == big.read_bytes()
    assert not (tmp_path / "small.css.gz").exists(), "too small to be worth a second file"
    assert not (tmp_path / "logo.png.gz").exists(), "not a text or WebAssembly asset"
    assert not orphan.exists(), "the sibling of a file that is gone"


def test_negotiate_prefers_brotli_then_gzip_and_honours_refusals(tmp_path: Path) -> None:
    wasm = tmp_path / "x.wasm"
    wasm.write_bytes(b"w")
    (tmp_path / "x.wasm.gz").write_bytes(b"g")
    assert negotiate(wasm, "gzip, deflate") == (tmp_path / "x.wasm.gz", "gzip")
    assert negotiate(wasm, "br, gzip") == (tmp_path / "x.wasm.gz", "gzip"), "no .br here"
    (tmp_path / "x.wasm.br").write_bytes(b"b")
    assert negotiate(wasm, "gzip, deflate, br, zstd") == (tmp_path / "x.wasm.br", "br")
    assert negotiate(wasm, "br;q=0, gzip") == (tmp_path / "x.wasm.gz", "gzip")
    assert negotiate(wasm, "") == (wasm, None)


def test_make_serve_sends_siblings_with_the_original_type(site: Path) -> None:
    tmp_path = site
    import functools
    import threading
    import urllib.request
    from http.server import ThreadingHTTPServer

    from scripts.serve import PrecompressedHandler

    data = b"\x00asm" + b"\x01" * 5000
    (tmp_path / "x.wasm").write_bytes(data)
    precompress(tmp_path)
    handler = functools.partial(PrecompressedHandler, directory=str(tmp_path))
    handler.log_message = lambda *a: None  # type: ignore[attr-defined]
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as httpd:
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{httpd.server_address[1]}/x.wasm"
        request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            assert response.headers["Content-Type"] == "application/wasm"
            assert "Accept-Encoding" in response.headers["Vary"]
            assert gzip.decompress(response.read()) == data
        with urllib.request.urlopen(url) as response:
            assert response.headers["Content-Encoding"] is None
            assert response.read() == data
        httpd.shutdown()


def _published_page(site: Path, rel: str, canonical: str, body: str = "") -> None:
    page = site / rel
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(f'<html><head><link rel="canonical" href="{canonical}"></head>{body}</html>')


def test_deploy_check_refuses_localhost_and_foreign_canonical_links(tmp_path: Path) -> None:
    from scripts.check_deploy import check_pages, check_sitemap, check_url

    url = "https://example.org/cours/"
    assert check_url(url) == []
    assert check_url("http://127.0.0.1:8000/") and check_url("https://example.org/cours")
    _published_page(tmp_path, "index.html", url)
    _published_page(tmp_path, "lecons/a/index.html", "http://127.0.0.1:8000/lecons/a/")
    _published_page(tmp_path, "lecons/b/index.html", url + "lecons/b/", "__CSP_SCRIPT_HASHES__")
    problems = check_pages(tmp_path, url)
    assert any("lecons/a/index.html: names 127.0.0.1" in p for p in problems)
    assert any("lecons/a/index.html: canonical link http://127.0.0.1" in p for p in problems)
    assert any("lecons/b/index.html: Content-Security-Policy placeholder" in p for p in problems)
    assert not any(p.startswith("index.html") for p in problems)
    (tmp_path / "sitemap.xml").write_text("<urlset></urlset>")
    assert check_sitemap(tmp_path, url) == [
        "sitemap.xml lists no page: instant navigation would be off"
    ]


def test_service_worker_plan_covers_every_page_and_keeps_the_runtime_apart(tmp_path: Path) -> None:
    from hooks.offline import plan

    site = tmp_path
    (site / "assets" / "pyodide").mkdir(parents=True)
    (site / "assets" / "exercises").mkdir()
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "stdlib-abc.zip"):
        (site / "assets" / "pyodide" / name).write_text(name)
    (site / "assets" / "checker-1-py3-none-any.whl").write_text("wheel")
    (site / "assets" / "exercises" / "x.json").write_text("{}")
    manifest = {"build": "b1", "wheel": "checker-1-py3-none-any.whl"}
    manifest["pyodide"] = {"stdlib": "pyodide/stdlib-abc.zip"}  # type: ignore[assignment]
    (site / "assets" / "checker.json").write_text(json.dumps(manifest))
    for page in ("index.html", "lecons/a/index.html", "404.html"):
        (site / page).parent.mkdir(parents=True, exist_ok=True)
        (site / page).write_text(page)
    (site / "index.html.br").write_bytes(b"x")

    first = plan(site)
    assert set(first["course"]) == {
        "./",
        "lecons/a/",
        "assets/checker.json",
        "assets/exercises/x.json?v=b1",
    }
    assert first["runtime_urls"][-1] == "assets/checker-1-py3-none-any.whl?v=b1"
    assert "assets/pyodide/pyodide.asm.wasm" in first["runtime_urls"]

    (site / "lecons" / "a" / "index.html").write_text("changed")
    second = plan(site)
    assert second["build"] != first["build"], "a changed page is a new build"
    assert second["runtime"] == first["runtime"], "the runtime did not change"
    (site / "assets" / "pyodide" / "pyodide.asm.wasm").write_text("new runtime")
    assert plan(site)["runtime"] != first["runtime"]


def test_icons_are_png_of_their_size() -> None:
    from hooks.offline import icon_png

    png = icon_png(48)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert int.from_bytes(png[16:20], "big") == 48 == int.from_bytes(png[20:24], "big")
