"""Grading time and memory against reply length, whatever the reply repeats.

Prints, for each kind of adversarial input, the time per KB and the extra
memory per 100 KB at several sizes, and the ratio between the largest and the
smallest size (a linear grader keeps the per-KB figures flat: ratio near 1).
Targets (issue 8): <= 10 ms per KB, <= 50 MB per 100 KB, in CPython.

    python scripts/bench_linear.py [--max-kb 1000]
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from checker.grader import grade
from checker.tools.exercises import load_exercise

UNITS = {
    "ordinary reply": "Je comprends votre colère, monsieur, et je suis désolé. "
    "Je ne peux pas vous rembourser car le délai est dépassé, mais je vous propose un avoir. ",
    "reported-speech openers": "vous me dites que ",
    "one long word": "a",
    "capitals and bangs": "NON NON JAMAIS !!! ",
    "lone combining marks": "\u0301 ",
    "quotes never closed": "« vous ",
    "negations": "ne pas ne jamais ne plus ",
    "emoji and RTL": "👍🏽 שלום مرحبا ",
}


def sample(unit: str, kilobytes: int) -> str:
    size = kilobytes * 1000
    return (unit * (size // len(unit) + 1))[:size]


def measure(exercise: dict, text: str) -> tuple[float, float]:
    start = time.perf_counter()
    grade(exercise, text)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    grade(exercise, text)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-kb", type=int, default=1000)
    args = parser.parse_args()
    exercise = load_exercise(Path(__file__).resolve().parents[1] / "exercises/delai-depasse.yml")
    grade(exercise, "Bonjour, je comprends.")  # compile the patterns first
    sizes = [s for s in (10, 100, 1000) if s <= args.max_kb]
    print(f"{'input':26} " + " ".join(f"{s:>6} KB: ms/KB MB/100KB" for s in sizes) + "  ratio")
    worst_ms = worst_mb = 0.0
    for name, unit in UNITS.items():
        cells = []
        per_kb = []
        for kilobytes in sizes:
            seconds, megabytes = measure(exercise, sample(unit, kilobytes))
            ms_per_kb = seconds * 1000 / kilobytes
            mb_per_100kb = megabytes * 100 / kilobytes
            per_kb.append(ms_per_kb)
            worst_ms, worst_mb = max(worst_ms, ms_per_kb), max(worst_mb, mb_per_100kb)
            cells.append(f"{ms_per_kb:>12.2f} {mb_per_100kb:>9.1f}")
        print(f"{name:26} " + " ".join(cells) + f"  {per_kb[-1] / per_kb[0]:5.2f}")
    print(
        f"worst: {worst_ms:.2f} ms per KB (target <= 10), {worst_mb:.1f} MB per 100 KB (target <= 50)"
    )


if __name__ == "__main__":
    main()
