"""Command line: ``python -m checker analyse|grade|validate|evaluate|bench|new``.

Exit codes: 0 success, 1 a check failed, 2 bad usage or unreadable input.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from .analyser import analyse, default_analyser
from .grader import ExerciseError, Result, grade

OK, CHECK_FAILED, BAD_USAGE = 0, 1, 2


_VALUED_FLAGS = {"--seconds", "--move", "--exercise", "--split"}


def _flags_first(argv: list[str]) -> list[str]:
    """Put a command's options before its positionals: ``grade ID --json TEXT`` works too."""
    if not argv or argv[0].startswith("-"):
        return argv
    flags: list[str] = []
    positionals: list[str] = []
    rest = iter(argv[1:])
    for token in rest:
        if token == "--":
            positionals += ["--", *rest]
            break
        if token.startswith("--"):
            flags.append(token)
            if token in _VALUED_FLAGS:
                flags.append(next(rest, ""))
        else:
            positionals.append(token)
    return [argv[0], *flags, *positionals]


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(_flags_first(sys.argv[1:] if argv is None else argv))
    try:
        code: int = args.run(args)
        return code
    except ModuleNotFoundError as error:
        if not (error.name or "").startswith("checker.tools"):
            raise
        print(
            "error: this command needs the project's repository: run it from the repository "
            "root (the installed wheel holds the grader only)",
            file=sys.stderr,
        )
        return BAD_USAGE
    except (FileNotFoundError, ExerciseError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return BAD_USAGE
    except BrokenPipeError:
        return OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m checker", description=__doc__)
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    analyse_cmd = sub.add_parser("analyse", help="list the moves of a reply")
    analyse_cmd.add_argument("text", nargs="?", help="the reply (default: standard input)")
    _output_flags(analyse_cmd)
    analyse_cmd.set_defaults(run=_run_analyse)

    grade_cmd = sub.add_parser("grade", help="grade a reply against an exercise")
    grade_cmd.add_argument(
        "exercise", nargs="?", help="exercise id (in exercises/) or path to its file"
    )
    grade_cmd.add_argument("text", nargs="?", help="the reply (default: standard input)")
    _output_flags(grade_cmd)
    grade_cmd.set_defaults(run=_run_grade)

    explain_cmd = sub.add_parser(
        "explain", help="why a reply gets (or does not get) a move: every rule and its stage"
    )
    explain_cmd.add_argument("text", nargs="?", help="the reply (default: standard input)")
    explain_cmd.add_argument("--move", help="only this move (shows even rules without key words)")
    explain_cmd.add_argument("--exercise", help="also judge the rubric of this exercise")
    explain_cmd.set_defaults(run=_run_explain)

    validate_cmd = sub.add_parser("validate", help="check exercise files (default: exercises/)")
    validate_cmd.add_argument("paths", nargs="*", type=Path)
    validate_cmd.set_defaults(run=_run_validate)

    evaluate_cmd = sub.add_parser("evaluate", help="measure against labelled JSONL files")
    evaluate_cmd.add_argument("files", type=Path, nargs="+", metavar="file")
    evaluate_cmd.add_argument("--errors", action="store_true", help="list every disagreement")
    evaluate_cmd.add_argument(
        "--split", choices=("train", "dev", "sealed"), help="only the replies of this corpus split"
    )
    evaluate_cmd.add_argument(
        "--rules-only", action="store_true", help="without the learned layer (ablation)"
    )
    evaluate_cmd.set_defaults(run=_run_evaluate)

    bench_cmd = sub.add_parser("bench", help="print analysis and grading speed")
    bench_cmd.add_argument("--seconds", type=float, default=2.0, help="time spent on each measure")
    bench_cmd.set_defaults(run=_run_bench)

    new_cmd = sub.add_parser("new", help="create exercises/<id>.yml from the template")
    new_cmd.add_argument("id")
    new_cmd.add_argument("--force", action="store_true", help="overwrite an existing file")
    new_cmd.set_defaults(run=_run_new)
    return parser


def _output_flags(command: argparse.ArgumentParser) -> None:
    group = command.add_mutually_exclusive_group()
    group.add_argument("--json", action="store_true", help="one JSON object")
    group.add_argument(
        "--jsonl", action="store_true", help="read JSON lines on stdin, write one line per input"
    )


def _read_text(text: str | None) -> str:
    return text if text is not None else sys.stdin.read()


def _jsonl_lines(stream: BinaryIO) -> Iterator[tuple[int, dict[str, Any] | None, str]]:
    """(line number, object or None, error message) for each non-blank input line.

    Lines are decoded one by one, so that a line that is not UTF-8 gives its
    own error and the batch goes on.
    """
    for number, raw in enumerate(stream, 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            yield number, None, f"line {number}: not UTF-8 text ({error.reason})"
            continue
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            yield number, None, f"line {number}: not JSON: {error.msg}"
            continue
        if not isinstance(item, dict):
            yield number, None, f"line {number}: expected a JSON object"
        elif not isinstance(item.get("text"), str):
            yield number, item, f"line {number}: 'text' must be a string"
        else:
            yield number, item, ""


def _emit(obj: dict[str, Any]) -> None:
    line = json.dumps(obj, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from the input: JSON escapes it
        line = json.dumps(obj)
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _run_analyse(args: argparse.Namespace) -> int:
    if args.jsonl:
        failed = False
        for number, item, error in _jsonl_lines(sys.stdin.buffer):
            item_id = item.get("id") if item else None
            if error or item is None:
                failed = True
                _emit({"id": item_id, "error": error})
                continue
            try:
                moves = [m.to_dict() for m in analyse(item["text"])]
            except Exception as problem:
                failed = True
                _emit(
                    {"id": item_id, "error": f"line {number}: {type(problem).__name__}: {problem}"}
                )
                continue
            _emit({"id": item_id, "moves": moves})
        return CHECK_FAILED if failed else OK
    text = _read_text(args.text)
    matches = analyse(text)
    if args.json:
        _emit({"text": text, "moves": [m.to_dict() for m in matches]})
        return OK
    if not matches:
        print("No move found.")
    for match in matches:
        print(f"{match.move:<15} {match.start:>5}-{match.end:<5} « {match.text} »")
    return OK


class _Exercises:
    """Exercise data loaded once per id or path."""

    def __init__(self) -> None:
        self.cache: dict[str, dict[str, Any]] = {}

    def get(self, name: str) -> dict[str, Any]:
        if name not in self.cache:
            from .tools.exercises import load_exercise, resolve

            self.cache[name] = load_exercise(resolve(name))
        return self.cache[name]


def _run_grade(args: argparse.Namespace) -> int:
    exercises = _Exercises()
    if args.jsonl:
        return _grade_lines(args.exercise, exercises)
    if not args.exercise:
        raise ValueError("grade needs an EXERCISE (an id in exercises/ or a path)")
    result = grade(exercises.get(args.exercise), _read_text(args.text))
    if args.json:
        _emit(result.to_dict())
    else:
        print(render_result(result))
    return OK if result.passed else CHECK_FAILED


def _grade_lines(default_exercise: str | None, exercises: _Exercises) -> int:
    failed = False
    for number, item, error in _jsonl_lines(sys.stdin.buffer):
        item_id = item.get("id") if item else None
        name = (item or {}).get("exercise") or default_exercise
        if not error and not isinstance(name, str):
            error = f"line {number}: 'exercise' is missing"
        if error or item is None or not isinstance(name, str):
            failed = True
            _emit({"id": item_id, "exercise": name, "error": error})
            continue
        try:
            result = grade(exercises.get(name), item["text"]).to_dict()
        except (FileNotFoundError, ValueError) as problem:
            failed = True
            _emit({"id": item_id, "exercise": name, "error": f"line {number}: {problem}"})
            continue
        except Exception as problem:
            failed = True
            _emit(
                {
                    "id": item_id,
                    "exercise": name,
                    "error": f"line {number}: {type(problem).__name__}: {problem}",
                }
            )
            continue
        _emit(
            {
                "id": item_id,
                "exercise": name,
                **{k: result[k] for k in ("score", "passed", "criteria")},
            }
        )
    return CHECK_FAILED if failed else OK


def render_result(result: Result) -> str:
    """Readable French feedback in the page's words and order: the verdict, at most
    three comments, what works, then the whole checklist."""
    from . import feedback

    lines = [feedback.headline(result)]
    if feedback.advice(result):
        lines.append(feedback.advice(result))
    if result.empty:  # the advice says it all, as on the page
        return "\n".join(lines)
    data = feedback.result_dict(result)
    for title, notes in (
        (data["comments_title"], data["comments"]),
        (data["strengths_title"], data["strengths"]),
    ):
        if notes:
            lines += ["", f"{title} :"]
            lines += [_note_line(number, note) for number, note in enumerate(notes, 1)]
    lines += ["", "Toute la grille :"]
    for criterion in result.criteria:
        status = criterion.status
        note = f" ({feedback.REQUIRED_NOTE})" if criterion.required else ""
        lines.append(
            f"{feedback.STATUS_MARKS[status]} {feedback.STATUS_LABELS[status]} : "
            f"{criterion.label}{note} — {criterion.message}"
        )
        for start, end in criterion.spans:
            lines.append(f"    « {result.text[start:end]} »")
        if criterion.rules and status != "missing":
            lines.append(f"    [{'; '.join(criterion.rules)}]")
    return "\n".join(lines)


def _note_line(number: int, note: dict[str, str]) -> str:
    quoted = f" — « {note['quote']} »" if note["quote"] else ""
    return f"{number}. {note['label']}{quoted} : {note['message']}"


def _run_explain(args: argparse.Namespace) -> int:
    from .explain import explain

    if args.move is not None and args.move not in default_analyser().rules.moves:
        raise ValueError(f"unknown move {args.move!r}")
    exercise = _Exercises().get(args.exercise) if args.exercise else None
    print(explain(_read_text(args.text), args.move, exercise))
    return OK


def _run_validate(args: argparse.Namespace) -> int:
    from .tools.exercises import EXERCISES_DIR, validate_paths

    problems = validate_paths(args.paths or [EXERCISES_DIR])
    for problem in problems:
        print(problem)
    if not problems:
        print("All exercise files are valid.", file=sys.stderr)
    return CHECK_FAILED if problems else OK


def _run_evaluate(args: argparse.Namespace) -> int:
    from .learned import layer_enabled
    from .tools.evaluate import read_jsonl, report_moves, report_verdicts, score_moves

    rows = [row for path in args.files for row in read_jsonl(path)]
    if args.split:
        rows = [row for row in rows if row.get("split") == args.split]
    if not rows:
        raise ValueError(f"{', '.join(map(str, args.files))}: no labelled reply")
    with layer_enabled(not args.rules_only):
        verdict_rows = [row for row in rows if "scenario" in row and "passed" in row]
        if verdict_rows:
            exercises = _Exercises()

            def grade_one(scenario: str, text: str) -> tuple[bool, int, list[str]]:
                result = grade(exercises.get(scenario), text)
                return result.passed, result.score, [c.id for c in result.criteria if not c.ok]

            print(report_verdicts(verdict_rows, grade_one, args.errors))
        move_rows = [row for row in rows if "moves" in row]
        if move_rows:
            if verdict_rows:
                print()
            print(report_moves(score_moves(move_rows), args.errors))
    return OK


def _run_bench(args: argparse.Namespace) -> int:
    from .tools.bench import run_bench

    print(run_bench(args.seconds))
    return OK


def _run_new(args: argparse.Namespace) -> int:
    from .tools.scaffold import create_exercise

    path = create_exercise(args.id, force=args.force)
    print(f"Created {path}: fill in every field, then run `python -m checker validate {path}`.")
    return OK
