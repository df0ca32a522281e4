"""Build the ``checker`` wheel from the working tree, without pip.

The wheel is pure Python (``py3-none-any``) and is built deterministically:
files in sorted order, fixed timestamps and permissions, so that the same tree
always gives the same bytes. The browser unpacks it into Pyodide's
site-packages; the Pyodide parity test unpacks the very same file in Node.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import io
import re
import zipfile
from pathlib import Path

from build_support import strip_examples

PACKAGE = "checker"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# checker/tools serves the command line and the build, never the browser.
_SKIP_DIRS = {"__pycache__", "tools"}
_SKIP_SUFFIXES = {".pyc", ".pyo"}
_KEEP_SUFFIXES = {".py", ".rules", ".json"}


class WheelError(RuntimeError):
    """The checker package cannot be turned into a wheel."""


def read_version(package_dir: Path) -> str:
    """Return ``__version__`` as written in ``checker/__init__.py`` (without importing it)."""
    init = package_dir / "__init__.py"
    if not init.is_file():
        raise WheelError(f"{init} is missing: is the checker package there?")
    tree = ast.parse(init.read_text(encoding="utf-8"), filename=str(init))
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = {t.id for t in targets if isinstance(t, ast.Name)}
            if "__version__" in names and isinstance(node.value, ast.Constant):
                value = node.value.value
                if isinstance(value, str) and re.fullmatch(r"[0-9A-Za-z.+!-]+", value):
                    return value
    raise WheelError(f"{init} has no literal __version__ = '...'")


def package_files(package_dir: Path) -> list[Path]:
    """Every file of the package that belongs in the wheel, sorted."""
    files: list[Path] = []
    for path in package_dir.rglob("*"):
        rel = path.relative_to(package_dir)
        if not path.is_file():
            continue
        if any(part in _SKIP_DIRS or part.startswith(".") for part in rel.parts):
            continue
        if path.suffix in _SKIP_SUFFIXES:
            continue
        # The same files as the pip-built wheel: code, move rules, the typing marker.
        if path.suffix not in _KEEP_SUFFIXES and path.name != "py.typed":
            continue
        files.append(path)
    return sorted(files, key=lambda p: p.relative_to(package_dir).as_posix())


def wheel_name(version: str) -> str:
    return f"{PACKAGE}-{version}-py3-none-any.whl"


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + digest.decode("ascii")


def _zip_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.external_attr = 0o100644 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    return info


def wheel_bytes(root: Path) -> tuple[str, bytes]:
    """Return ``(file name, bytes)`` of the wheel built from ``root/checker``."""
    package_dir = root / PACKAGE
    version = read_version(package_dir)
    dist_info = f"{PACKAGE}-{version}.dist-info"
    entries: list[tuple[str, bytes]] = []
    for path in package_files(package_dir):
        arcname = f"{PACKAGE}/{path.relative_to(package_dir).as_posix()}"
        data = path.read_bytes()
        if path.suffix == ".rules":  # same as the pip-built wheel (build_support)
            data = strip_examples(data.decode("utf-8")).encode("utf-8")
        entries.append((arcname, data))
    metadata = (
        "Metadata-Version: 2.1\n"
        f"Name: {PACKAGE}\n"
        f"Version: {version}\n"
        "Summary: Grades French customer-service replies.\n"
        "Requires-Python: >=3.11\n"
    ).encode()
    wheel = (
        b"Wheel-Version: 1.0\nGenerator: hooks.wheel\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    entries.append((f"{dist_info}/METADATA", metadata))
    entries.append((f"{dist_info}/WHEEL", wheel))
    record_lines = [f"{name},{_record_hash(data)},{len(data)}" for name, data in entries]
    record_lines.append(f"{dist_info}/RECORD,,")
    entries.append((f"{dist_info}/RECORD", ("\n".join(record_lines) + "\n").encode()))

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            archive.writestr(_zip_info(name), data, compresslevel=9)
    return wheel_name(version), buffer.getvalue()


def build_wheel(root: Path, out_dir: Path) -> Path:
    """Write the wheel into ``out_dir`` (replacing older checker wheels) and return its path."""
    name, data = wheel_bytes(root)
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob(f"{PACKAGE}-*-py3-none-any.whl"):
        if old.name != name:
            old.unlink()
    target = out_dir / name
    if not target.is_file() or target.read_bytes() != data:
        tmp = target.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
    return target
