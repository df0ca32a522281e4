"""Agreement between the first labellers and a second, blind labeller.

    python scripts/label_agreement.py WORKDIR

Compares ``relabelled/*.jsonl`` with the same ids in ``labelled/*.jsonl``:
verdict agreement (as labelled, and under the settled conventions of
corpus/README.md), rubric criteria agreement, and moves micro-F1 taking the
first labeller as reference.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from assemble_corpus import settled_verdict


def main(workdir: Path) -> None:
    first = {}
    for path in (workdir / "labelled").glob("*.jsonl"):
        written = {r["id"]: r for r in map(json.loads, (workdir / "written" / path.name).open())}
        for row in map(json.loads, path.open()):
            row.update(
                {k: written[row["id"]][k] for k in ("text", "scenario") if k in written[row["id"]]}
            )
            first[row["id"]] = row
    verdicts = settled = criteria = criteria_same = 0
    verdicts_same = settled_same = 0
    tp = fp = fn = 0
    cache: dict[str, set[str]] = {}
    for path in sorted((workdir / "relabelled").glob("*.jsonl")):
        for second in map(json.loads, path.open()):
            one = first.get(second["id"])
            if one is None:
                continue
            a, b = set(one.get("moves", [])), set(second.get("moves", []))
            tp, fp, fn = tp + len(a & b), fp + len(b - a), fn + len(a - b)
            if "passed" in second and "passed" in one:
                verdicts += 1
                verdicts_same += one["passed"] == second["passed"]
                two = {**one, **second}
                settled += 1
                settled_same += settled_verdict(one, cache)[0] == settled_verdict(two, cache)[0]
                for cid, value in (second.get("criteria") or {}).items():
                    if isinstance((one.get("criteria") or {}).get(cid), bool):
                        criteria += 1
                        criteria_same += one["criteria"][cid] == value
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    print(
        f"verdicts: {verdicts_same}/{verdicts} = {verdicts_same / max(verdicts, 1):.1%} as labelled; "
        f"{settled_same}/{settled} = {settled_same / max(settled, 1):.1%} under the settled conventions"
    )
    print(f"rubric criteria: {criteria_same}/{criteria} = {criteria_same / max(criteria, 1):.1%}")
    print(f"moves micro-F1 between labellers: {f1:.3f} (tp {tp}, fp {fp}, fn {fn})")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
