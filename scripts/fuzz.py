"""Fuzz the grader with odd replies: zero crashes expected, in CPython and in Pyodide.

    python scripts/fuzz.py [--count 30000] [--pyodide]

Replies are built from random pieces: lone combining marks, lone surrogates,
control characters, right-to-left text and marks, emoji sequences, characters
newer than CPython's Unicode, French phrases and punctuation. Each goes
through ``checker.bridge.grade_json`` (the page's own door); a reply whose
result is an error object counts as a crash. With ``--pyodide`` the same
replies are graded by the wheel inside Pyodide under Node.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checker.bridge import grade_json  # noqa: E402
from checker.tools.exercises import find_exercises, load_exercise  # noqa: E402

PIECES = [
    "\u0301", "\u0327\u0301", "\ud800", "\udfff", "\x00", "\x1b", "\x7f", "\u200b", "\u200d",
    "\u202e", "\u202c", "\u2066", "\ufeff", "שלום", "مرحبا", "👩‍👩‍👧", "👍🏽", "🏳️‍🌈", "\U0001e030",
    "\U0001fae8", "ｖｏｕｓ", "ﬁ", "Ǆ", "ß", " ", "\n", "\t", "!!!", "?!", "« ", " »", '"', "’", "'",
    "je comprends votre colère", "vous me dites que", "ne … pas", "c'est non", "désolé",
    "CALMEZ-VOUS", "car", "mais", "1 290 €", "#num", "..", "*", "(", ")", "{PRO}", "é", "e\u0301",
]  # fmt: skip


def reply(rng: random.Random) -> str:
    parts = rng.choices(PIECES, k=rng.randint(0, 40))
    if rng.random() < 0.3:
        parts.append("".join(chr(rng.randint(0, 0x10FFFF)) for _ in range(rng.randint(1, 20))))
    return "".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=30_000)
    parser.add_argument("--pyodide", action="store_true")
    args = parser.parse_args()
    rng = random.Random(20261203)
    exercises = [load_exercise(p) for p in find_exercises().values()]
    cases = [{"exercise": rng.choice(exercises), "text": reply(rng)} for _ in range(args.count)]
    started = time.perf_counter()
    crashes = 0
    for case in cases:
        crashes += "error" in json.loads(grade_json(json.dumps(case["exercise"]), case["text"]))
    seconds = time.perf_counter() - started
    print(f"CPython: {args.count} fuzzed replies, {crashes} crashes, {seconds:.1f} s")
    if args.pyodide:
        from hooks.wheel import build_wheel

        with tempfile.TemporaryDirectory() as folder:
            wheel = build_wheel(ROOT, Path(folder))
            file = Path(folder) / "cases.json"
            file.write_text(json.dumps(cases), encoding="utf-8")
            started = time.perf_counter()
            run = subprocess.run(
                ["node", str(ROOT / "tests/pyodide/parity.mjs"), str(wheel), str(file)],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            results = json.loads(run.stdout)["results"]
            crashes = sum("error" in r for r in results)
            seconds = time.perf_counter() - started
            print(f"Pyodide: {len(results)} fuzzed replies, {crashes} crashes, {seconds:.1f} s")


if __name__ == "__main__":
    main()
