"""Any string gets a result: no exception, offsets inside the text, linear time."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from checker import analyse, grade
from checker.tools.bench import BENCH_EXERCISE

FRENCH_BITS = st.sampled_from(
    [
        "je comprends", "vous avez tort", "non", "n'", "pas", "« ", " »", '"', "!!!", "?", "car",
        "CALMEZ-VOUS", "désolé", "e\u0301", "’", "\u00a0", "\n", "🙂", "👩‍👩‍👧", "\u202e", "<img src=x>",
        "\x00", "\x1b", "ne ... que", "..", "|", "*", "(", ")", "{PRO}", "#num", "30", "-",
    ]
)  # fmt: skip
TEXTS = st.one_of(st.text(), st.lists(FRENCH_BITS | st.text(max_size=5), max_size=60).map("".join))


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_analyse_never_raises_and_spans_fit(text: str) -> None:
    for match in analyse(text):
        assert 0 <= match.start < match.end <= len(text)
        assert text[match.start : match.end] == match.text


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_grade_always_gives_a_result(text: str) -> None:
    result = grade(BENCH_EXERCISE, text).to_dict()
    assert 0 <= result["score"] <= 100
    assert isinstance(result["passed"], bool)
    encoded = text.encode("utf-16-le")
    for criterion in result["criteria"]:
        assert criterion["message"] or criterion["status"] == "found"
        for span in criterion["spans"]:
            assert (
                encoded[2 * span["start16"] : 2 * span["end16"]].decode("utf-16-le") == span["text"]
            )


def test_blank_replies_say_so() -> None:
    for text in ["", "   ", "\n\t", "!!! ???", "🙂🙂"]:
        result = grade(BENCH_EXERCISE, text)
        assert result.empty and not result.passed and result.score == 0
        assert "vide" in result.to_dict()["advice"]


def test_a_100_kb_reply_is_handled_in_linear_time() -> None:
    """A generous bound, to catch quadratic behaviour, not to benchmark."""
    unit = (
        "Je comprends votre colère, mais c'est non ! « Vous avez tort » 🙂 car la loi l'interdit. "
    )
    small, big = unit * 100, unit * 1200  # ~10 KB and ~100 KB
    timings = []
    for text in (small, big):
        started = time.perf_counter()
        analyse(text)
        timings.append(time.perf_counter() - started)
    assert len(big) > 100_000
    assert timings[1] < 30 * max(timings[0], 0.01)
