"""Runs inside Pyodide under Node (``hooks/pyodide_runtime.mjs``), never in MkDocs.

``exercise_checker`` does what the page's worker does (the checker wheel is
already unpacked), then grades every case; ``stdlib_modules`` lists the
standard-library modules loaded so far, Pyodide's own start-up included;
``write_stdlib`` compiles those modules with this very interpreter into a zip
of sourceless ``.pyc`` files that ``loadPyodide({stdLibURL})`` can load instead
of ``python_stdlib.zip``.

Nothing is imported at module level: the modules loaded by this file itself
must not count as needed by the page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # typing is loaded by Pyodide's own start-up already
    import types

# PEP 552: a hash-based .pyc that is never checked against a source (there is none).
_UNCHECKED_HASH_FLAGS = (0b01).to_bytes(4, "little")
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def exercise_checker(cases_json: str) -> int:
    """Import the checker as the worker does, warm it up fully and grade every case."""
    from checker.bridge import grade_many_json, warm_up

    while not warm_up(1000):
        pass
    return len(grade_many_json(cases_json))


def stdlib_zip() -> str:
    import sys

    return next(p for p in sys.path if p.endswith(".zip"))


def stdlib_modules() -> list[str]:
    """Names of the loaded modules that come from the standard library zip."""
    import sys

    prefix = stdlib_zip() + "/"
    found = []
    for name, module in list(sys.modules.items()):
        spec = getattr(module, "__spec__", None)
        origin = getattr(spec, "origin", None) or ""
        if origin.startswith(prefix):
            found.append(name)
    return sorted(found)


def _pyc(source: bytes, code: types.CodeType) -> bytes:
    import importlib.util
    import marshal

    return (
        importlib.util.MAGIC_NUMBER
        + _UNCHECKED_HASH_FLAGS
        + importlib.util.source_hash(source)
        + marshal.dumps(code)
    )


def _module_name(path: str) -> str:
    name = path.removesuffix(".py").replace("/", ".")
    return name.removesuffix(".__init__")


def write_stdlib(modules: list[str], target: str, optimize: int, deflate: bool) -> int:
    """Write the given modules of the standard library zip, compiled, into ``target``."""
    import zipfile

    keep = set(modules)
    source_zip = stdlib_zip()
    method = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    written = 0
    with zipfile.ZipFile(source_zip) as src, zipfile.ZipFile(target, "w") as out:
        for info in sorted(src.infolist(), key=lambda i: i.filename):
            if not info.filename.endswith(".py") or _module_name(info.filename) not in keep:
                continue
            source = src.read(info)
            # The file name zipimport gives a module compiled from the zip, for tracebacks.
            code = compile(
                source,
                f"{source_zip}/{info.filename}",
                "exec",
                dont_inherit=True,
                optimize=optimize,
            )
            entry = zipfile.ZipInfo(info.filename + "c", date_time=_ZIP_DATE)
            entry.compress_type = method
            entry.external_attr = 0o100644 << 16
            out.writestr(entry, _pyc(source, code), compresslevel=9 if deflate else None)
            written += 1
    return written
