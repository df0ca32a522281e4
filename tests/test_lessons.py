"""Content checks for the French course pages in docs/.

- every principle P01-P33 is taught by at least one lesson (front matter);
- every lesson embeds its exercises with the `/// exercise | <id>` block;
- every lesson has the required sections;
- the glossary (docs/reflexes.md) has one anchor per move id;
- no run of 8 consecutive words of a seed document appears anywhere in docs/.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
LESSONS_DIR = DOCS / "lecons"
SEEDS_DIR = ROOT.parent / "shared" / "seeds"

LESSON_FILES = [
    "non-argumente.md",
    "client-a-raison.md",
    "ramener-a-la-realite.md",
    "quand-on-ne-peut-pas.md",
    "se-faire-respecter.md",
    "dernier-mot-ou-resultat.md",
    "client-furieux.md",
    "mauvaise-nouvelle.md",
]

PRINCIPLES = [f"P{n:02d}" for n in range(1, 34)]

MOVE_IDS = [
    # good moves
    "empathy",
    "restate",
    "reason",
    "alternative",
    "next_step",
    "ownership",
    "advance_notice",
    "boundary",
    "question",
    "thanks",
    # pitfalls
    "blunt_no",
    "blame",
    "favor",
    "dismiss",
    "deflect",
    "cannot",
    "overpromise",
    "hostile",
]

REQUIRED_SECTIONS = ["Ce que vous saurez faire", "Avant", "Les pièges", "À retenir"]

EXERCISE_BLOCK = re.compile(r"^///[ \t]*exercise[ \t]*\|[ \t]*([a-z0-9-]+)[ \t]*$", re.MULTILINE)

NGRAM = 8


# --------------------------------------------------------------------------- helpers


def split_front_matter(text: str) -> tuple[dict[str, object], str]:
    """Return (front matter, body) of a Markdown page; {} when there is none."""
    match = re.match(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", text, re.DOTALL)
    if not match:
        return {}, text
    data = yaml.safe_load(match.group(1)) or {}
    assert isinstance(data, dict), "front matter must be a mapping"
    return data, text[match.end() :]


def lesson_paths() -> list[Path]:
    return sorted(LESSONS_DIR.glob("*.md"))


def normalise_words(text: str) -> list[str]:
    """Lowercase, one apostrophe, accents kept, punctuation to spaces, split."""
    text = unicodedata.normalize("NFC", text).lower()
    text = text.replace("\u2019", "'").replace("\u02bc", "'").replace("\u2018", "'")
    # Every character that is neither a letter nor a digit (apostrophes included)
    # separates words: « l'aider » gives "l" and "aider" on both sides alike.
    text = "".join(ch if ch.isalnum() else " " for ch in text)
    return text.split()


def ngrams(words: list[str], n: int = NGRAM) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


# --------------------------------------------------------------------------- lessons


def test_all_lessons_exist() -> None:
    missing = [name for name in LESSON_FILES if not (LESSONS_DIR / name).is_file()]
    assert not missing, f"lessons missing from docs/lecons/: {missing}"


@pytest.mark.parametrize("name", LESSON_FILES)
def test_lesson_front_matter(name: str) -> None:
    meta, _ = split_front_matter((LESSONS_DIR / name).read_text(encoding="utf-8"))
    for key in ("title", "description", "principles", "exercises"):
        assert meta.get(key), f"{name}: front matter lacks {key!r}"
    principles = meta["principles"]
    assert isinstance(principles, list)
    unknown = [p for p in principles if p not in PRINCIPLES]
    assert not unknown, f"{name}: unknown principle ids {unknown}"


def test_every_principle_is_taught() -> None:
    taught: set[str] = set()
    for path in lesson_paths():
        meta, _ = split_front_matter(path.read_text(encoding="utf-8"))
        listed = meta.get("principles") or []
        assert isinstance(listed, list), f"{path.name}: principles must be a list"
        taught.update(str(p) for p in listed)
    missing = [p for p in PRINCIPLES if p not in taught]
    assert not missing, f"principles taught by no lesson: {missing}"


@pytest.mark.parametrize("path", lesson_paths(), ids=lambda p: p.name)
def test_lesson_embeds_its_exercises(path: Path) -> None:
    meta, body = split_front_matter(path.read_text(encoding="utf-8"))
    embedded = EXERCISE_BLOCK.findall(body)
    assert embedded, f"{path.name}: no `/// exercise | <id>` block"
    listed = meta.get("exercises") or []
    assert isinstance(listed, list)
    not_embedded = [ex for ex in listed if ex not in embedded]
    assert not not_embedded, f"{path.name}: exercises in front matter not embedded: {not_embedded}"
    # Each block is two lines: the opening line, then a closing `///` at once.
    for match in EXERCISE_BLOCK.finditer(body):
        following = body[match.end() :].lstrip("\n").splitlines()
        assert following and following[0].strip() == "///", (
            f"{path.name}: exercise block {match.group(1)!r} must be closed by `///` "
            "on the next line"
        )


@pytest.mark.parametrize("path", lesson_paths(), ids=lambda p: p.name)
def test_lesson_has_required_sections(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    headings = [
        line
        for line in text.splitlines()
        if re.match(r"^#{2,6}\s", line) or re.match(r'^(!!!|\?\?\?\+?)\s+\w+\s+"', line)
    ]
    missing = [s for s in REQUIRED_SECTIONS if not any(s in h for h in headings)]
    assert not missing, f"{path.name}: missing sections {missing}"


# --------------------------------------------------------------------------- glossary


def test_glossary_has_an_anchor_per_move() -> None:
    text = (DOCS / "reflexes.md").read_text(encoding="utf-8")
    anchors = re.findall(r"^#{2,3} .*\{#([a-z_]+)\}\s*$", text, re.MULTILINE)
    missing = [m for m in MOVE_IDS if m not in anchors]
    assert not missing, f"reflexes.md: no heading anchor for moves {missing}"
    good, pitfalls = MOVE_IDS[:10], MOVE_IDS[10:]
    order = {m: anchors.index(m) for m in MOVE_IDS}
    assert max(order[m] for m in good) < min(order[m] for m in pitfalls), (
        "reflexes.md: good moves must come before pitfalls"
    )


def test_glossary_links_from_lessons_resolve() -> None:
    anchors = set(re.findall(r"\{#([a-z_]+)\}", (DOCS / "reflexes.md").read_text(encoding="utf-8")))
    for path in DOCS.rglob("*.md"):
        for anchor in re.findall(r"reflexes\.md#([a-z_]+)", path.read_text(encoding="utf-8")):
            assert anchor in anchors, f"{path.relative_to(ROOT)}: broken link reflexes.md#{anchor}"


# --------------------------------------------------------------------------- no copying


def test_no_eight_words_copied_from_the_seeds() -> None:
    seeds = sorted(SEEDS_DIR.glob("*.txt")) if SEEDS_DIR.is_dir() else []
    if not seeds:
        pytest.skip(f"seed documents not found in {SEEDS_DIR}: copy test not run")
    seed_grams: dict[tuple[str, ...], str] = {}
    for seed in seeds:
        for gram in ngrams(normalise_words(seed.read_text(encoding="utf-8"))):
            seed_grams.setdefault(gram, seed.name)
    problems = []
    for page in sorted(DOCS.rglob("*.md")):
        words = normalise_words(page.read_text(encoding="utf-8"))
        for i in range(len(words) - NGRAM + 1):
            gram = tuple(words[i : i + NGRAM])
            if gram in seed_grams:
                problems.append(
                    f"{page.relative_to(ROOT)}: « {' '.join(gram)} » (from {seed_grams[gram]})"
                )
    assert not problems, "8-word runs copied from a seed:\n" + "\n".join(problems)


# --------------------------------------------------------------------------- rubrics and lessons


def _folded(text: str) -> str:
    """Lower case, no accents, plain spaces and apostrophes: « Le « non » sec » ~ « le « non » sec »."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2019", "'")
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _names(move: str, lesson: str, label: str) -> bool:
    """The lesson names ``move``: a link to its glossary entry, or its French name."""
    return f"reflexes.md#{move}" in lesson or _folded(label) in _folded(lesson)


def _unnamed_required_moves(exercise: dict[str, object]) -> list[str]:
    from checker.analyser import default_analyser
    from checker.rubric import read_rubric

    rules = default_analyser().rules
    rubric, problems = read_rubric(exercise, rules)
    assert not problems
    lesson = (DOCS / str(exercise["lesson"])).read_text(encoding="utf-8")
    unnamed = []
    for criterion in rubric.criteria:
        if not criterion.required or criterion.implied or criterion.kind == "phrases":
            continue
        moves = criterion.moves + criterion.then_moves
        named = [m for m in moves if _names(m, lesson, rules.moves[m].label)]
        # any_of asks for one of its moves: the lesson must teach at least one.
        if (criterion.kind == "any_of" and not named) or (
            criterion.kind != "any_of" and len(named) < len(moves)
        ):
            missing = [m for m in moves if m not in named]
            unnamed.append(f"{criterion.id} ({criterion.label}): {', '.join(missing)}")
    return unnamed


def _exercises() -> dict[str, Path]:
    from checker.tools.exercises import find_exercises

    return find_exercises()


@pytest.mark.parametrize("name", sorted(_exercises()))
def test_every_required_move_is_named_in_the_lesson(name: str) -> None:
    """An « indispensable » criterion is taught where the exercise stands: its lesson
    names the move, by a link to « Les réflexes » or by its French name."""
    from checker.tools.exercises import load_exercise

    exercise = load_exercise(_exercises()[name])
    unnamed = _unnamed_required_moves(exercise)
    assert not unnamed, f"{exercise['lesson']} does not name what {name} requires:\n" + "\n".join(
        unnamed
    )


def test_a_lesson_that_does_not_teach_a_required_move_is_caught() -> None:
    from checker.tools.exercises import load_exercise

    exercise = load_exercise(_exercises()["retour-produit"])
    exercise["rubric"]["criteria"].append(
        {"id": "limit", "move": "boundary", "required": True, "label": "Poser une limite"}
    )
    assert _unnamed_required_moves(exercise) == ["limit (Poser une limite): boundary"]
