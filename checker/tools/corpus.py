"""The labelled corpus in ``corpus/``: reading it, and its splits."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..rules import load_rules

CORPUS_DIR = Path(__file__).resolve().parents[2] / "corpus"
SPLITS = ("train", "dev", "sealed")
MOVES = sorted(name for name in load_rules().moves if not name.startswith("_"))


def read_corpus(folder: Path = CORPUS_DIR) -> list[dict[str, Any]]:
    """Every labelled reply of ``folder/*.jsonl`` (moves and verdict files alike)."""
    rows: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if row.get("split") not in SPLITS:
                raise ValueError(f"{path}:{number}: split must be one of {', '.join(SPLITS)}")
            row["source"] = path.name
            rows.append(row)
    return rows
