"""Packaging glue: the wheels ship the move rules without their test examples.

The examples (`  + …` / `  - …` lines) are the rules' tests: the repository keeps
them beside each pattern, the test suite runs them, and the runtime never
reads them. Stripping them keeps the wheel the browser downloads small.
"""

from __future__ import annotations

from pathlib import Path

from setuptools.command.build_py import build_py


def strip_examples(text: str) -> str:
    """The rules file with its example and comment lines blanked.

    Lines stay where they are, so that the ``file:line`` a finding names in the
    browser is the line of the repository's file.
    """
    kept = [
        "" if (line[:1].isspace() and line.lstrip()[:1] in "+-") or line.startswith("#") else line
        for line in text.splitlines()
    ]
    return "\n".join(kept) + "\n"


class BuildPy(build_py):  # type: ignore[misc]
    """build_py that strips the examples from the copied ``*.rules`` files."""

    def run(self) -> None:
        super().run()
        for path in Path(self.build_lib).rglob("*.rules"):
            path.write_text(strip_examples(path.read_text(encoding="utf-8")), encoding="utf-8")
