"""Packaging glue: the wheels ship the move rules without their test examples.

The examples (`  + …` / `  - …` lines) are the rules' tests: the repository keeps
them beside each pattern, the test suite runs them, and the runtime never
reads them. Stripping them keeps the wheel the browser downloads small.
"""

from __future__ import annotations

from pathlib import Path

from setuptools.command.build_py import build_py


def strip_examples(text: str) -> str:
    """The rules file without its example and comment lines."""
    kept = [
        line
        for line in text.splitlines()
        if not (line[:1].isspace() and line.lstrip()[:1] in "+-") and not line.startswith("#")
    ]
    return "\n".join(kept) + "\n"


class BuildPy(build_py):  # type: ignore[misc]
    """build_py that strips the examples from the copied ``*.rules`` files."""

    def run(self) -> None:
        super().run()
        for path in Path(self.build_lib).rglob("*.rules"):
            path.write_text(strip_examples(path.read_text(encoding="utf-8")), encoding="utf-8")
