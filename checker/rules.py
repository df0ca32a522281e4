"""Load the move rules from ``checker/rules/*.rules`` (data, not code).

A rules file describes one move: its French label and advice, then its
patterns, antipatterns and detectors, each followed by examples that must
(``+``) and must not (``-``) show the move. The format is documented in
``checker/rules/README.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources

from .patterns import Pattern, PatternError, compile_pattern

RULE_KINDS = ("pattern", "antipattern", "detector")
DETECTORS = ("shouting",)
_HEADER_KEYS = ("move", "kind", "label", "missing", "violated", "found", "negation")
_ENTRY_RE = re.compile(r"^(pattern|antipattern|detector|define)\s+([\w-]+)\s*:\s*(.*)$")


class RulesError(ValueError):
    """A rules file that cannot be used; the message names file and line."""


@dataclass(slots=True)
class Rule:
    """One pattern, antipattern or detector of a move, with its examples."""

    move: str
    kind: str
    name: str
    pattern: Pattern | None
    detector: str = ""
    must: list[str] = field(default_factory=list)
    must_not: list[str] = field(default_factory=list)
    # For ``+`` examples written ``Je [ne peux pas] modifier``: the span the rule must show.
    must_spans: list[tuple[int, int] | None] = field(default_factory=list)
    where: str = ""  # file:line, for messages


@dataclass(slots=True)
class MoveSpec:
    """A move: its French wording and its rules."""

    id: str
    kind: str  # "good" or "pitfall"
    label: str
    missing: str = ""
    violated: str = ""
    found: str = ""
    rules: list[Rule] = field(default_factory=list)


@dataclass(slots=True)
class RuleSet:
    moves: dict[str, MoveSpec]
    defines: dict[str, str]
    reported: list[Rule]  # patterns that open reported speech


def load_rules(require_examples: bool = False) -> RuleSet:
    """Read every rules file shipped with the package.

    The wheels ship the rules without their examples (they are the rules'
    tests); the repository's test suite loads them with ``require_examples``.
    """
    folder = resources.files("checker") / "rules"
    texts = {
        entry.name: entry.read_text(encoding="utf-8")
        for entry in folder.iterdir()
        if entry.name.endswith(".rules")
    }
    return parse_rules(texts, require_examples)


def parse_rules(texts: dict[str, str], require_examples: bool = True) -> RuleSet:
    """Parse rules files given as {file name: text}; files starting with ``_`` are shared."""
    defines: dict[str, str] = {}
    for name in sorted(texts):
        if name.startswith("_"):
            _read_defines(name, texts[name], defines)
    moves: dict[str, MoveSpec] = {}
    reported: list[Rule] = []
    for name in sorted(texts):
        spec = _parse_file(name, texts[name], defines, require_examples)
        if spec.id == "_reported":
            reported = spec.rules
        elif not name.startswith("_"):
            moves[spec.id] = spec
    return RuleSet(moves, defines, reported)


def _read_defines(name: str, text: str, defines: dict[str, str]) -> None:
    for number, line in _logical_lines(text):
        found = _ENTRY_RE.match(line)
        if found and found.group(1) == "define":
            if found.group(2) in defines:
                raise RulesError(f"{name}:{number}: define {found.group(2)} is given twice")
            defines[found.group(2)] = found.group(3).strip()


# ``+ Je [ne peux pas] modifier``: the words between brackets are the expected highlight.
_MARKED_RE = re.compile(r"([^\[\]]*)\[([^\[\]]+)\]([^\[\]]*)")
_COMMENT_RE = re.compile(r"\s+#(?:\s.*)?$")


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """(line number, line) with trailing ``# comments`` cut and continuation lines joined.

    An indented line that is neither an example (``+``/``-``) nor a comment
    continues the entry above it, so that a long alternation can hold one
    item per line.
    """
    lines: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        raw = _COMMENT_RE.sub("", raw)
        continues = raw[:1].isspace() and stripped[0] not in "+-"
        if continues and lines and not lines[-1][1][:1].isspace():
            lines[-1] = (lines[-1][0], lines[-1][1] + " " + raw.strip())
        else:
            lines.append((number, raw))
    return lines


def _parse_file(
    name: str, text: str, shared_defines: dict[str, str], require_examples: bool
) -> MoveSpec:
    header: dict[str, str] = {}
    rules: list[Rule] = []
    names: set[str] = set()
    # A move file's defines are its own: they never leak into the files read after it.
    defines = dict(shared_defines)
    for number, raw in _logical_lines(text):
        line = raw.strip()
        where = f"{name}:{number}"
        if line[0] in "+-" and raw[:1].isspace():
            if not rules:
                raise RulesError(f"{where}: an example must follow a pattern")
            example = line[1:].strip()
            if line[0] == "-":
                rules[-1].must_not.append(example)
                continue
            marked = _MARKED_RE.fullmatch(example)
            if marked:
                before, inside, after = marked.groups()
                example = before + inside + after
                rules[-1].must_spans.append((len(before), len(before) + len(inside)))
            else:
                rules[-1].must_spans.append(None)
            rules[-1].must.append(example)
            continue
        found = _ENTRY_RE.match(line)
        if found:
            kind, rule_name, body = found.groups()
            if kind == "define":
                if not name.startswith("_"):
                    if rule_name in shared_defines:
                        raise RulesError(
                            f"{where}: define {rule_name} hides the shared one of the same name"
                        )
                    defines[rule_name] = body.strip()
                continue
            if rule_name in names:
                raise RulesError(f"{where}: {kind} name '{rule_name}' is used twice")
            names.add(rule_name)
            rules.append(
                _make_rule(header.get("move", ""), kind, rule_name, body.strip(), defines, where)
            )
            continue
        key, sep, value = line.partition(":")
        if sep and key.strip() in _HEADER_KEYS:
            header[key.strip()] = value.strip()
            continue
        raise RulesError(f"{where}: cannot read this line: {line!r}")
    move = header.get("move")
    if not move and not name.startswith("_"):
        raise RulesError(f"{name}:1: the file does not say which move it is for ('move: <id>')")
    kind = header.get("kind", "good")
    if kind not in ("good", "pitfall", "shared"):
        raise RulesError(f"{name}: kind must be good or pitfall, not {kind!r}")
    spec = MoveSpec(move or name, kind, header.get("label", move or ""), rules=rules)
    spec.missing = header.get("missing", "")
    spec.violated = header.get("violated", "")
    spec.found = header.get("found", "")
    if header.get("negation") == "ignore":
        # Moves such as open questions keep their meaning under negation.
        for rule in rules:
            if rule.pattern is not None:
                rule.pattern.check_negation = False
    for rule in rules:
        if require_examples and not rule.must:
            raise RulesError(f"{rule.where}: {rule.kind} '{rule.name}' has no '+' example")
    return spec


def _make_rule(
    move: str, kind: str, name: str, body: str, defines: dict[str, str], where: str
) -> Rule:
    if kind == "detector":
        if body not in DETECTORS:
            raise RulesError(f"{where}: unknown detector {body!r} (known: {', '.join(DETECTORS)})")
        return Rule(move, kind, name, None, detector=body, where=where)
    try:
        pattern = compile_pattern(body, defines, name)
    except PatternError as error:
        raise RulesError(f"{where}: {error}") from None
    return Rule(move, kind, name, pattern, where=where)
