"""The complete exercise shown in CONTRIBUTING.md is valid and its examples hold."""

from __future__ import annotations

import re
from pathlib import Path

from checker.tools.exercises import check_behaviour, check_structure, read_file

ROOT = Path(__file__).resolve().parents[1]


def test_contributing_example_exercise_is_valid(tmp_path: Path) -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(# yaml-language-server.*?)```", text, re.S)
    assert block, "CONTRIBUTING.md lost its complete exercise example"
    path = tmp_path / "colis-abime.yml"
    path.write_text(block.group(1), encoding="utf-8")
    loaded = read_file(path)
    assert check_structure(loaded) == []
    assert check_behaviour(loaded) == []


def test_the_map_of_the_checker_names_every_module() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    package = ROOT / "checker"
    modules = [
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if path.name not in ("__init__.py", "__main__.py")
    ]
    missing = [m for m in modules if f"`{m}`" not in text and f"`{Path(m).name}`" not in text]
    assert missing == [], f"CONTRIBUTING.md's map misses {missing}"
