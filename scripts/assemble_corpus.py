"""Join writers' replies and labellers' labels into corpus/*.jsonl, with fixed splits.

    python scripts/assemble_corpus.py WORKDIR

WORKDIR holds ``written/<batch>.jsonl`` (the writers' files: text, style, hard
case, the writer's own intent) and ``labelled/<batch>.jsonl`` (the blind
labels). A reply's split comes from a hash of its id, so it never changes
when the corpus grows: 65 % train, 15 % dev, 20 % sealed.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "corpus"


def split_of(reply_id: str) -> str:
    bucket = int(hashlib.sha256(reply_id.encode()).hexdigest()[:8], 16) % 100
    return "train" if bucket < 65 else "dev" if bucket < 80 else "sealed"


def main(workdir: Path) -> None:
    for labelled in sorted((workdir / "labelled").glob("*.jsonl")):
        batch = labelled.stem
        written = {
            row["id"]: row
            for row in map(json.loads, (workdir / "written" / f"{batch}.jsonl").open())
        }
        rows = []
        for label in map(json.loads, labelled.open()):
            source = written.get(label["id"])
            if source is None:
                continue
            row = {"id": label["id"]}
            for key in ("scenario", "situation", "context", "text"):
                if key in source:
                    row[key] = source[key]
            for key in ("passed", "criteria", "moves"):
                if key in label:
                    row[key] = label[key]
            row["style"] = source.get("style", "")
            row["hard"] = source.get("hard", "")
            row["writer_intent"] = source.get("intent", source.get("intent_moves"))
            row["split"] = split_of(label["id"])
            rows.append(row)
        rows.sort(key=lambda r: r["id"])
        target = OUT / f"{batch}.jsonl"
        target.write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
        )
        print(f"{target.name}: {len(rows)} replies")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
