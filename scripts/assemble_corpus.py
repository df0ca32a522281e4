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

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "corpus"
sys.path.insert(0, str(ROOT))

from checker.language import foreign_language  # noqa: E402
from checker.text import tokenize  # noqa: E402
from checker.tools.exercises import load_exercise, resolve  # noqa: E402

# Settled conventions (corpus/README.md): a trainer refuses a reply that commits
# any pitfall but « cannot » (the eval sets' convention), « cannot » where the
# exercise forbids it, and a reply not written in French.
TOLERATED = {"cannot"}


def forbidden_moves(scenario: str, cache: dict[str, set[str]]) -> set[str]:
    if scenario not in cache:
        criteria = load_exercise(resolve(scenario))["rubric"]["criteria"]
        cache[scenario] = {c["forbid"] for c in criteria if "forbid" in c}
    return cache[scenario]


def settled_verdict(row: dict, cache: dict[str, set[str]]) -> tuple[bool, str]:
    """The labeller's verdict under the settled conventions, and why it changed."""
    if foreign_language(tokenize(row["text"])):
        return False, "not in French"
    pitfalls = set(row.get("moves", [])) & (
        {"blunt_no", "blame", "favor", "dismiss", "deflect", "overpromise", "hostile"}
        | (forbidden_moves(row["scenario"], cache) & TOLERATED)
    )
    if pitfalls:
        return False, "pitfall: " + ", ".join(sorted(pitfalls))
    return bool(row["passed"]), ""


def split_of(reply_id: str) -> str:
    bucket = int(hashlib.sha256(reply_id.encode()).hexdigest()[:8], 16) % 100
    return "train" if bucket < 65 else "dev" if bucket < 80 else "sealed"


def main(workdir: Path) -> None:
    cache: dict[str, set[str]] = {}
    for labelled in sorted((workdir / "labelled").glob("*.jsonl")):
        batch = labelled.stem
        if not (workdir / "written" / f"{batch}.jsonl").exists():
            continue  # a labeller's part, joined into its batch when complete
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
            if "passed" in row and "scenario" in row:
                settled, why = settled_verdict(row, cache)
                if settled != row["passed"]:
                    row["labeller_passed"], row["passed"], row["settled"] = (
                        row["passed"],
                        settled,
                        why,
                    )
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
