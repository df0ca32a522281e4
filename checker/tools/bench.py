"""Speed figures printed by ``python -m checker bench`` (no timed tests)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from ..analyser import analyse, default_analyser, warm_up
from ..grader import grade
from ..learned import default_layer, layer_enabled

# About 300 characters each, in the styles readers write.
SAMPLES = (
    "Je comprends tout à fait votre agacement, et je suis désolée que vous ayez dû rappeler. "
    "Le remboursement n'est possible que dans les 30 jours, car nos fournisseurs ne reprennent plus "
    "les articles au-delà. En revanche, je peux vous proposer un avoir de 89 €, valable un an.",
    "Non, ça on ne fait pas. Vous auriez dû lire les conditions avant de commander, c'est quand même "
    "pas compliqué. Voyez ça avec le transporteur, ce n'est pas mon problème. Calmez-vous, ce n'est "
    "pas grave, une rayure. Je vous garantis que ça n'arrivera plus jamais, promis.",
    "Si je comprends bien, vous avez ete debite deux fois de 45 euros pour un abonnement que vous "
    "n'avez jamais souscrit. Merci de m'avoir tout detaille. Je lance le remboursement tout de suite "
    "et je vous rappelle jeudi pour confirmer que tout est rentre dans l'ordre. Je reste votre contact.",
)
BENCH_EXERCISE: dict[str, Any] = {
    "id": "bench",
    "rubric": {
        "pass_score": 60,
        "min_words": 20,
        "criteria": [
            {"id": "empathy", "move": "empathy", "required": True, "label": "Émotion"},
            {"id": "reason", "move": "reason", "required": True, "label": "Raison"},
            {"id": "alternative", "move": "alternative", "label": "Option"},
            {"id": "no-blame", "forbid": "blame", "label": "Pas de reproche"},
            {
                "id": "credit",
                "phrases": ["avoir ..3 #num"],
                "label": "Avoir",
                "missing": "Parlez de l'avoir.",
            },
        ],
    },
}


def _rate(call: Callable[[str], object], seconds: float) -> float:
    """Calls per second of CPU time (other processes on the machine do not skew it)."""
    count = 0
    start = time.process_time()
    while time.process_time() - start < seconds:
        for text in SAMPLES:
            call(text)
        count += len(SAMPLES)
    return count / (time.process_time() - start)


def _median_ms(call: Callable[[str], object], rounds: int = 15) -> float:
    timings = []
    for _ in range(rounds):
        for text in SAMPLES:
            started = time.perf_counter()
            call(text)
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def run_bench(seconds: float = 2.0) -> str:
    layer_started = time.perf_counter()
    layer = default_layer()
    layer_ms = (time.perf_counter() - layer_started) * 1000
    started = time.perf_counter()
    default_analyser()
    build_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    while not warm_up(50):
        pass
    warm_ms = (time.perf_counter() - started) * 1000
    analysed = _rate(analyse, seconds)
    graded = _rate(lambda text: grade(BENCH_EXERCISE, text), seconds)
    with_layer = _median_ms(lambda text: grade(BENCH_EXERCISE, text))
    with layer_enabled(False):
        rules_alone = _median_ms(lambda text: grade(BENCH_EXERCISE, text))
    big = "Je comprends votre colère, mais c'est non. " * 2500
    started = time.perf_counter()
    analyse(big)
    big_ms = (time.perf_counter() - started) * 1000
    average = sum(len(s) for s in SAMPLES) // len(SAMPLES)
    return "\n".join(
        [
            f"rules read in {build_ms:.0f} ms, their regexes compiled in {warm_ms:.0f} ms "
            "(the page does this in slices after loading)",
            f"analyse: {analysed:,.0f} replies/s of CPU time (~{average} characters each)",
            f"grade:   {graded:,.0f} calls/s of CPU time",
            f"a {len(big) // 1000} KB reply analysed in {big_ms:.0f} ms",
            f"learned layer: {f'loaded in {layer_ms:.0f} ms' if layer else 'not shipped'}; "
            f"median grade of a ~{average}-character reply: {with_layer:.2f} ms with it, "
            f"{rules_alone:.2f} ms with the rules alone (ratio {with_layer / rules_alone:.2f}, "
            "same run)",
        ]
    )
