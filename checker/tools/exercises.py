"""Exercise files: finding, loading and validating them (build and CLI side).

Validation reports ``path:line: message`` for each problem: the line is that
of the field concerned, so that a maintainer can jump to it.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..analyser import default_analyser
from ..grader import grade
from ..rubric import read_rubric
from .typography import typeset_exercise

REPO_ROOT = Path(__file__).resolve().parents[2]
EXERCISES_DIR = REPO_ROOT / "exercises"
DOCS_DIR = REPO_ROOT / "docs"
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PRINCIPLE_RE = re.compile(r"^P(0[1-9]|[12][0-9]|3[0-3])$")
# A lesson is a page of the site, named relatively: no scheme, no parent folder.
LESSON_RE = re.compile(r"^lecons/[a-z0-9]+(?:-[a-z0-9]+)*\.md$")
TOP_LEVEL_FIELDS = frozenset(
    "id title lesson principles difficulty channel customer_channel customer_gender situation "
    "customer instruction hints model_answers rubric examples".split()
)
# Exercise files come from pull requests: bound what one file may cost to read.
MAX_FILE_BYTES = 200_000
MAX_TEXT_CHARS = 5_000
MAX_ITEMS = 200
CHANNELS = ("phone", "desk", "email", "chat")
GENDERS = ("feminine", "masculine")
TEXT_FIELDS = ("title", "lesson", "situation", "customer", "instruction")
MIN_PASSING_EXAMPLES = 4
MIN_FAILING_EXAMPLES = 6


class ExerciseFileError(ValueError):
    """An exercise file that cannot be used; ``problems`` holds ``path:line: message`` lines."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(slots=True)
class Loaded:
    path: Path
    data: dict[str, Any]
    lines: dict[str, int]  # dotted field path -> line number (1-based)

    def where(self, field: str) -> str:
        """``path:line`` of ``field``, or of its closest parent that has a line."""
        probe = field
        while probe and probe not in self.lines:
            probe = re.sub(r"(\.[^.\[]+|\[\d+\])$", "", probe) if re.search(r"[.\[]", probe) else ""
        return f"{self.path}:{self.lines.get(probe, 1)}"


def find_exercises(root: Path = EXERCISES_DIR) -> dict[str, Path]:
    """Exercise ids found in ``root`` (file stem = id)."""
    return {path.stem: path for path in sorted(root.glob("*.yml"))}


def resolve(name: str, root: Path = EXERCISES_DIR) -> Path:
    """An exercise id found in ``root``, or a path to an exercise file."""
    path = Path(name)
    if path.suffix in (".yml", ".yaml", ".json") and path.exists():
        return path
    candidate = root / f"{name}.yml"
    if candidate.exists():
        return candidate
    known = ", ".join(find_exercises(root)) or "aucun"
    raise FileNotFoundError(f"unknown exercise {name!r} (known ids: {known})")


def read_file(path: Path) -> Loaded:
    """Parse an exercise file, keeping the line of every field."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ExerciseFileError([f"{path}:1: cannot read the file: {error}"]) from None
    if path.suffix == ".json":
        try:
            return Loaded(path, json.loads(text), {})
        except json.JSONDecodeError as error:
            raise ExerciseFileError([f"{path}:{error.lineno}: invalid JSON: {error.msg}"]) from None
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise ExerciseFileError(
            [
                f"{path}:1: file too large (over {MAX_FILE_BYTES // 1000} KB): an exercise is a few KB"
            ]
        )
    try:
        node = yaml.compose(text, Loader=_loader())
        problems = _node_problems(path, node)
        if problems:
            raise ExerciseFileError(problems)
        data = yaml.load(text, Loader=_loader())
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise ExerciseFileError(
            [f"{path}:{line}: invalid YAML: {getattr(error, 'problem', None) or error}"]
        ) from None
    except RecursionError:
        raise ExerciseFileError([f"{path}:1: invalid YAML: nested too deeply"]) from None
    if not isinstance(data, dict):
        raise ExerciseFileError([f"{path}:1: an exercise file must be a mapping of fields"])
    lines: dict[str, int] = {}
    _collect_lines(node, "", lines)
    return Loaded(path, data, lines)


@functools.cache
def _loader() -> type:
    import yaml

    class StrictLoader(yaml.SafeLoader):
        """Safe YAML without anchors or aliases: a 1 KB alias bomb expands to gigabytes."""

        def compose_node(self, parent: Any, index: Any) -> Any:
            event = self.peek_event()  # type: ignore[no-untyped-call]
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise yaml.YAMLError(
                    f"line {event.start_mark.line + 1}: anchors and aliases (& and *) are not allowed"
                )
            return super().compose_node(parent, index)

    return StrictLoader


def _node_problems(path: Path, root: Any) -> list[str]:
    """Duplicate keys, oversized texts and lists, too deep nesting: ``path:line`` each."""
    import yaml

    problems: list[str] = []
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        line = node.start_mark.line + 1
        if depth > 8:
            problems.append(f"{path}:{line}: nested too deeply")
            continue
        if isinstance(node, yaml.ScalarNode):
            if len(node.value) > MAX_TEXT_CHARS:
                problems.append(f"{path}:{line}: text too long (over {MAX_TEXT_CHARS} characters)")
        elif isinstance(node, yaml.SequenceNode):
            if len(node.value) > MAX_ITEMS:
                problems.append(f"{path}:{line}: list too long (over {MAX_ITEMS} items)")
            stack += [(item, depth + 1) for item in node.value[:MAX_ITEMS]]
        elif isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in node.value:
                if key.value in seen:
                    problems.append(
                        f"{path}:{key.start_mark.line + 1}: duplicate key {key.value!r}"
                    )
                seen.add(key.value)
                stack += [(key, depth + 1), (value, depth + 1)]
    return problems


def _collect_lines(node: Any, prefix: str, lines: dict[str, int]) -> None:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            field = f"{prefix}.{key.value}" if prefix else str(key.value)
            lines[field] = key.start_mark.line + 1
            _collect_lines(value, field, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            field = f"{prefix}[{index}]"
            lines[field] = item.start_mark.line + 1
            _collect_lines(item, field, lines)


def load_exercise(path: str | Path) -> dict[str, Any]:
    """The data of a valid exercise file, its reader-facing texts typeset;
    :class:`ExerciseFileError` lists what is wrong."""
    loaded = read_file(Path(path))
    problems = check_structure(loaded)
    if problems:
        raise ExerciseFileError(problems)
    return typeset_exercise(loaded.data)


def check_structure(loaded: Loaded, docs_dir: Path = DOCS_DIR) -> list[str]:
    """Field-level problems: missing or mistyped fields, unknown ids, broken rubric."""
    data = loaded.data
    problems: list[str] = []

    def problem(field: str, message: str) -> None:
        problems.append(f"{loaded.where(field)}: {field}: {message}")

    for extra in sorted(str(key) for key in data if key not in TOP_LEVEL_FIELDS):
        problem(extra, "unknown field (allowed: " + ", ".join(sorted(TOP_LEVEL_FIELDS)) + ")")
    exercise_id = data.get("id")
    if not isinstance(exercise_id, str) or not ID_RE.fullmatch(exercise_id):
        problem("id", "missing, or not lower-case words joined by hyphens (e.g. carte-bancaire)")
    elif loaded.path.suffix != ".json" and exercise_id != loaded.path.stem:
        problem("id", f"the id {exercise_id!r} must match the file name {loaded.path.name!r}")
    for field in TEXT_FIELDS:
        if not isinstance(data.get(field), str) or not data[field].strip():
            problem(field, "missing or empty text")
    lesson = data.get("lesson")
    if isinstance(lesson, str) and lesson.strip() and not LESSON_RE.fullmatch(lesson):
        problem("lesson", "expected a lesson page of the site, such as lecons/client-furieux.md")
    elif isinstance(lesson, str) and lesson.strip() and not (docs_dir / lesson).is_file():
        problem("lesson", f"lesson page docs/{lesson} does not exist")
    principles = data.get("principles")
    if not isinstance(principles, list) or not principles:
        problem("principles", "expected a non-empty list of principle ids (P01–P33)")
    else:
        for index, principle in enumerate(principles):
            if not isinstance(principle, str) or not PRINCIPLE_RE.match(principle):
                problem(f"principles[{index}]", f"unknown principle id {principle!r} (P01–P33)")
    difficulty = data.get("difficulty")
    if difficulty not in (1, 2, 3):
        problem("difficulty", "expected 1, 2 or 3")
    if data.get("channel") not in CHANNELS:
        problem("channel", f"expected one of: {', '.join(CHANNELS)}")
    if "customer_channel" in data and data["customer_channel"] not in CHANNELS:
        problem("customer_channel", f"expected one of: {', '.join(CHANNELS)}")
    if "customer_gender" in data and data["customer_gender"] not in GENDERS:
        problem("customer_gender", f"expected one of: {', '.join(GENDERS)}")
    _check_texts(data, "hints", problem, minimum=2, maximum=3)
    _check_texts(data, "model_answers", problem, minimum=1)
    _, rubric_problems = read_rubric(data, default_analyser().rules)
    for rubric_problem in rubric_problems:
        problem(rubric_problem.field, rubric_problem.message)
    _check_examples_shape(data, problem)
    problems += [
        p
        for p in _schema_problems(loaded)
        if not any(p.split(": ")[1] == q.split(": ")[1] for q in problems)
    ]
    return problems


def _schema_problems(loaded: Loaded) -> list[str]:
    """What ``exercises/schema.json`` says (when jsonschema is installed: dev side)."""
    try:
        import jsonschema
    except ImportError:
        return []
    schema = json.loads((EXERCISES_DIR / "schema.json").read_text(encoding="utf-8"))
    problems = []
    for error in jsonschema.Draft202012Validator(schema).iter_errors(loaded.data):
        field = "".join(
            f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path
        )
        extra = re.findall(r"'([^']+)' (?:was|were) unexpected", error.message)
        if error.validator == "additionalProperties" and extra:
            field = f"{field}.{extra[0]}"
        field = field.lstrip(".") or "(file)"
        problems.append(f"{loaded.where(field)}: {field}: {error.message} (schema)")
    return problems


def _check_texts(
    data: dict[str, Any], field: str, problem: Any, minimum: int, maximum: int = 99
) -> None:
    value = data.get(field)
    if not isinstance(value, list) or not minimum <= len(value) <= maximum:
        problem(
            field,
            f"expected a list of {minimum} to {maximum} French texts"
            if maximum < 99
            else f"expected at least {minimum} text(s)",
        )
        return
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            problem(f"{field}[{index}]", "expected a non-empty text")


def _check_examples_shape(data: dict[str, Any], problem: Any) -> None:
    examples = data.get("examples")
    if not isinstance(examples, list):
        problem("examples", "expected a list of example replies")
        return
    passing = failing = 0
    for index, example in enumerate(examples):
        where = f"examples[{index}]"
        if not isinstance(example, dict) or not isinstance(example.get("text"), str):
            problem(where, "an example needs a 'text'")
            continue
        if not isinstance(example.get("passed"), bool):
            problem(f"{where}.passed", "expected true or false")
            continue
        if example["passed"]:
            passing += 1
        else:
            failing += 1
            if not isinstance(example.get("failing"), list) or not example["failing"]:
                problem(
                    f"{where}.failing", "a failing example lists the criteria ids expected to fail"
                )
    if passing < MIN_PASSING_EXAMPLES or failing < MIN_FAILING_EXAMPLES:
        problem(
            "examples",
            f"needs at least {MIN_PASSING_EXAMPLES} passing and {MIN_FAILING_EXAMPLES} failing examples "
            f"(has {passing} and {failing})",
        )


def check_behaviour(loaded: Loaded) -> list[str]:
    """Problems only grading shows: model answers that fail, examples that disagree."""
    data = loaded.data
    problems: list[str] = []
    for index, answer in enumerate(data.get("model_answers") or []):
        result = grade(data, answer)
        if not result.passed:
            missing = [c.id for c in result.criteria if not c.ok]
            problems.append(
                f"{loaded.where(f'model_answers[{index}]')}: model_answers[{index}]: the model answer fails "
                f"its own rubric (score {result.score}, not met: {', '.join(missing)})"
            )
    criterion_ids = {c.get("id") for c in data["rubric"]["criteria"] if isinstance(c, dict)} | {
        "length",
        "specific",
    }
    for index, example in enumerate(data.get("examples") or []):
        where = f"examples[{index}]"
        result = grade(data, example["text"])
        not_met = {c.id for c in result.criteria if not c.ok}
        expected_failing = set(example.get("failing") or [])
        for unknown in sorted(expected_failing - criterion_ids):
            problems.append(
                f"{loaded.where(where)}: {where}.failing: unknown criterion id {unknown!r}"
            )
        if result.passed != example["passed"]:
            verdict = "passes" if result.passed else "fails"
            problems.append(
                f"{loaded.where(where)}: {where}: expected passed={str(example['passed']).lower()}, but the reply "
                f"{verdict} (score {result.score}, not met: {', '.join(sorted(not_met)) or 'none'})"
            )
        elif not example["passed"] and not expected_failing <= not_met:
            problems.append(
                f"{loaded.where(where)}: {where}.failing: expected {sorted(expected_failing)} not met, "
                f"but not met: {sorted(not_met)}"
            )
    return problems


def _relative(path: Path) -> Path:
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


def validate_paths(paths: list[Path], docs_dir: Path = DOCS_DIR) -> list[str]:
    """Every problem of the exercise files under ``paths`` (files or folders)."""
    paths = [_relative(path) for path in paths]
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(path.glob("*.yml"))
        elif path.exists():
            files.append(path)
        else:
            return [f"{path}:1: no such file or folder"]
    if not files:
        return [f"{paths[0] if paths else EXERCISES_DIR}:1: no exercise file (*.yml) found"]
    problems: list[str] = []
    seen: dict[str, Path] = {}
    for file in files:
        try:
            loaded = read_file(file)
        except ExerciseFileError as error:
            problems += error.problems
            continue
        structure = check_structure(loaded, docs_dir)
        problems += structure
        exercise_id = loaded.data.get("id")
        if isinstance(exercise_id, str):
            if exercise_id in seen:
                problems.append(
                    f"{loaded.where('id')}: id: {exercise_id!r} is already used by {seen[exercise_id]}"
                )
            seen[exercise_id] = file
        if not structure:
            problems += check_behaviour(loaded)
    return problems


def load_catalogue(directory: Path = EXERCISES_DIR) -> dict[str, dict[str, Any]]:
    """Every exercise of ``directory``, keyed by id, each checked as ``validate`` checks it.

    The site build calls this before writing anything: an exercise file from a
    pull request is untrusted, and its id becomes a file name.
    """
    problems: list[str] = []
    catalogue: dict[str, dict[str, Any]] = {}
    for stray in sorted(directory.glob("*.yaml")):
        problems.append(f"{_relative(stray)}:1: exercise files end in .yml")
    for file in sorted(directory.glob("*.yml")):
        file = _relative(file)
        try:
            loaded = read_file(file)
        except ExerciseFileError as error:
            problems += error.problems
            continue
        structure = check_structure(loaded)
        problems += structure
        if not structure:
            catalogue[loaded.data["id"]] = typeset_exercise(loaded.data)
    if problems:
        raise ExerciseFileError(problems)
    return catalogue
