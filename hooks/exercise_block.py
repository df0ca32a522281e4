"""The ``/// exercise | <id>`` and ``/// progression`` blocks (pymdownx.blocks).

``/// exercise | carte-bancaire`` followed by ``///`` renders the exercise
widget: semantic HTML that stays readable without JavaScript (situation,
customer's words, instruction, hints, model answer), plus the textarea, the
buttons, the status line and the empty result region that the page modules
(``docs/assets/javascripts/``, ``widget.js`` first) bring to life.

``/// progression`` followed by ``///`` renders the table of every exercise
for the "Ma progression" page.

The extension is given a :class:`Catalog` (the exercises, and where each one
is embedded); the MkDocs hook (``hooks/site_build.py``) fills it in before any
page is rendered, and also reports unknown ids with their page and line.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

# Neither Python-Markdown nor pymdown-extensions ships type information.
from markdown import Markdown  # type: ignore[import-untyped]
from markdown.util import AtomicString  # type: ignore[import-untyped]
from pymdownx.blocks import BlocksExtension, BlocksProcessor  # type: ignore[import-untyped]
from pymdownx.blocks.block import Block  # type: ignore[import-untyped]

CHANNELS = {
    "phone": "au téléphone",
    "desk": "au guichet, en face à face",
    "email": "par courriel",
    "chat": "par messagerie instantanée",
}
# The caption of the customer's words, by the channel they came through
# (``customer_channel``, else ``channel``); « {le} » is the customer.
CUSTOMER_SAYS = {
    "phone": "{Le}, au téléphone",
    "desk": "{Le}, en face à face",
    "email": "Le courriel {du}",
    "chat": "Le message {du}",
}
CUSTOMER = {
    "masculine": {"Le": "Le client", "du": "du client", "au": "au client"},
    "feminine": {"Le": "La cliente", "du": "de la cliente", "au": "à la cliente"},
}
DIFFICULTY = {1: "facile", 2: "intermédiaire", 3: "difficile"}

# data-role and data-action names the page's modules look for: the same dicts
# as ROLE and ACTION in docs/assets/javascripts/protocol.js (a test compares them).
ROLE = {
    "REPLY": "reply",
    "STATUS": "status",
    "COPIED": "copied",
    "RESULT": "result",
    "MODEL": "model",
    "LOCK": "lock",
    "LOCK_LABEL": "lock-label",
    "MODEL_BODY": "model-body",
    "SUMMARY": "summary",
    "STATE": "state",
    "TOOLS": "tools",
    "IMPORT_FILE": "import-file",
}
ACTION = {
    "CHECK": "check",
    "COPY_LINK": "copy-link",
    "REVEAL": "reveal",
    "EXPORT": "export",
    "IMPORT": "import",
    "ERASE": "erase",
}

_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BLANK_LINES = re.compile(r"\n[ \t]*\n+")


class UnknownExerciseError(ValueError):
    """An exercise block names an id that has no ``exercises/<id>.yml``."""


@dataclass
class Placement:
    """Where an exercise is embedded: the page (``src_uri`` under docs/) and its title."""

    page: str
    title: str
    line: int


@dataclass
class Catalog:
    """What the blocks need to know; filled in by the build hook."""

    exercises: dict[str, dict[str, Any]] = field(default_factory=dict)
    placements: dict[str, Placement] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    lesson_titles: dict[str, str] = field(default_factory=dict)

    def get(self, exercise_id: str) -> dict[str, Any]:
        try:
            return self.exercises[exercise_id]
        except KeyError:
            raise UnknownExerciseError(
                f"unknown exercise id '{exercise_id}' (no exercises/{exercise_id}.yml)"
            ) from None

    def ordered_ids(self) -> list[str]:
        """Embedded exercises in reading order, then the others by lesson and id."""
        seen = [i for i in self.order if i in self.exercises]
        rest = sorted(
            (i for i in self.exercises if i not in seen),
            key=lambda i: (str(self.exercises[i].get("lesson", "")), i),
        )
        return seen + rest


# --------------------------------------------------------------------------- helpers


def _sub(parent: etree.Element, tag: str, text: str | None = None, **attrs: str) -> etree.Element:
    el = etree.SubElement(
        parent, tag, {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
    )
    if text is not None:
        el.text = AtomicString(text)
    return el


def _add_paragraphs(parent: etree.Element, text: object, **attrs: str) -> None:
    """Plain text (from YAML) as paragraphs, no Markdown: blank lines split
    paragraphs and single newlines are soft wraps, as in Markdown."""
    body = str(text or "").strip()
    if not body:
        return
    for chunk in _BLANK_LINES.split(body):
        _sub(parent, "p", " ".join(line.strip() for line in chunk.split("\n")), **attrs)


def _heading_level(parent: etree.Element) -> int:
    """One level below the closest heading before the block (h2 when there is none)."""
    for child in reversed(list(parent)):
        level = _HEADINGS.get(child.tag)
        if level is not None:
            return min(level + 1, 6)
    return 2


def difficulty_text(value: object) -> str:
    try:
        level = int(str(value))
    except ValueError:
        return str(value)
    name = DIFFICULTY.get(level)
    return f"{name} ({level} sur 3)" if name else f"{level} sur 3"


# --------------------------------------------------------------------------- rendering


def render_exercise(
    parent: etree.Element, exercise: Mapping[str, Any], level: int
) -> etree.Element:
    """Build the widget of one exercise under ``parent`` and return its ``<section>``."""
    ex_id = str(exercise["id"])
    base = f"exercice-{ex_id}"
    section = _sub(
        parent,
        "section",
        class_="exercise",
        id=base,
        data_exercise=ex_id,
        aria_labelledby=f"{base}-titre",
    )
    _header(section, exercise, base, level)
    _situation(section, exercise)
    # Free Markdown written inside the block goes here (usually nothing).
    _sub(section, "div", class_="exercise__extra")
    _answer(section, exercise, base)
    _result_region(section, base)
    _hints(section, [str(h) for h in exercise.get("hints") or []])
    _model_answers(section, [str(a) for a in exercise.get("model_answers") or []])
    _handout(section, exercise)
    return section


def _header(section: etree.Element, exercise: Mapping[str, Any], base: str, level: int) -> None:
    """The title, then the channel and the difficulty."""
    heading = _sub(section, f"h{level}", None, class_="exercise__title", id=f"{base}-titre")
    kicker = _sub(heading, "span", "Exercice", class_="exercise__kicker")
    kicker.tail = AtomicString(" " + str(exercise.get("title", exercise["id"])))
    meta = _sub(section, "ul", class_="exercise__meta")
    channel = str(exercise.get("channel", ""))
    if channel:
        _sub(meta, "li", f"Canal : {CHANNELS.get(channel, channel)}", data_channel=channel)
    if exercise.get("difficulty") is not None:
        _sub(meta, "li", f"Difficulté : {difficulty_text(exercise['difficulty'])}")


def _situation(section: etree.Element, exercise: Mapping[str, Any]) -> None:
    """The situation, the customer's words (captioned by channel) and the instruction."""
    situation = _sub(section, "div", class_="exercise__situation")
    _sub(situation, "p", "La situation", class_="exercise__label")
    _add_paragraphs(situation, exercise.get("situation"))

    customer = _sub(section, "figure", class_="exercise__customer")
    _sub(customer, "figcaption", customer_caption(exercise), class_="exercise__label")
    _add_paragraphs(_sub(customer, "blockquote"), exercise.get("customer"))

    instruction = _sub(section, "p", class_="exercise__instruction")
    strong = _sub(instruction, "strong", "Consigne :")
    strong.tail = AtomicString(" " + str(exercise.get("instruction", "")).strip())


def _customer(exercise: Mapping[str, Any]) -> dict[str, str]:
    return CUSTOMER.get(str(exercise.get("customer_gender", "")), CUSTOMER["masculine"])


def customer_caption(exercise: Mapping[str, Any]) -> str:
    """« Le courriel du client », « La cliente, au téléphone »…: how her words reached you."""
    channel = str(exercise.get("customer_channel") or exercise.get("channel", ""))
    return CUSTOMER_SAYS.get(channel, "{Le}").format(**_customer(exercise))


def _answer(section: etree.Element, exercise: Mapping[str, Any], base: str) -> None:
    """Where the reader writes: the labelled reply, the buttons and the status line."""
    ex_id = str(exercise["id"])
    answer = _sub(section, "div", class_="exercise__answer")
    _sub(answer, "label", "Votre réponse", for_=f"{base}-reponse", class_="exercise__label")
    _sub(
        answer,
        "p",
        f"Écrivez comme vous le diriez ou l'écririez {_customer(exercise)['au']}. "
        "Vérifiez avec le bouton ou Ctrl+Entrée.",
        id=f"{base}-aide",
        class_="exercise__help",
    )
    textarea = _sub(
        answer,
        "textarea",
        id=f"{base}-reponse",
        name=f"reponse-{ex_id}",
        rows="7",
        lang="fr",
        spellcheck="true",
        autocomplete="off",
        aria_describedby=f"{base}-aide {base}-etat",
        data_role=ROLE["REPLY"],
    )
    textarea.text = AtomicString("")
    _actions(answer, base)
    _sub(
        answer,
        "p",
        "",
        id=f"{base}-etat",
        class_="exercise__status",
        role="status",
        aria_live="polite",
        data_role=ROLE["STATUS"],
    )
    noscript = _sub(answer, "noscript")
    _sub(
        noscript,
        "p",
        "La vérification automatique demande JavaScript. Comparez votre réponse "
        "avec les indices et la réponse modèle ci-dessous.",
        class_="exercise__status",
    )


def _actions(answer: etree.Element, base: str) -> None:
    """« Vérifier », « Copier le lien » and the live region that confirms the copy."""
    actions = _sub(answer, "div", class_="exercise__actions")
    _sub(
        actions,
        "button",
        "Vérifier",
        type="button",
        class_="md-button md-button--primary",
        data_action=ACTION["CHECK"],
    )
    _sub(
        actions,
        "button",
        "Copier le lien",
        type="button",
        class_="md-button",
        data_action=ACTION["COPY_LINK"],
    )
    # Its own live region: the checker's status must not overwrite the copied link.
    _sub(
        actions,
        "span",
        "",
        id=f"{base}-lien",
        class_="exercise__copied",
        role="status",
        aria_live="polite",
        data_role=ROLE["COPIED"],
    )


def _result_region(section: etree.Element, base: str) -> None:
    """Empty and hidden: the page fills it in with the checker's result."""
    _sub(
        section,
        "div",
        "",
        id=f"{base}-resultat",
        class_="exercise__result",
        data_role=ROLE["RESULT"],
        tabindex="-1",
        hidden="hidden",
    )


def _hints(section: etree.Element, hints: list[str]) -> None:
    if not hints:
        return
    box = _sub(section, "div", class_="exercise__hints")
    for number, hint in enumerate(hints, start=1):
        details = _sub(box, "details", class_="exercise__hint tip")
        _sub(details, "summary", f"Indice {number}")
        _add_paragraphs(details, hint)


def _model_answers(section: etree.Element, answers: list[str]) -> None:
    """Readable without JavaScript; the page locks them until a first attempt."""
    if not answers:
        return
    details = _sub(
        section,
        "details",
        class_="exercise__model success",
        data_role=ROLE["MODEL"],
        data_search_exclude="",
    )
    summary = _sub(
        details, "summary", "Réponse modèle" if len(answers) == 1 else "Réponses modèles"
    )
    _sub(
        summary,
        "span",
        " (s'ouvre après un premier essai)",
        data_role=ROLE["LOCK_LABEL"],
        hidden="hidden",
    )
    lock = _sub(
        details,
        "p",
        "Essayez d'abord de répondre : la réponse modèle s'affiche "
        "après votre première vérification.",
        class_="exercise__lock",
        data_role=ROLE["LOCK"],
        hidden="hidden",
    )
    lock.text = AtomicString(f"{lock.text} ")
    _sub(
        lock,
        "button",
        "La voir quand même",
        type="button",
        class_="md-button",
        data_action=ACTION["REVEAL"],
    )
    body = _sub(details, "div", class_="exercise__model-body", data_role=ROLE["MODEL_BODY"])
    for number, text in enumerate(answers, start=1):
        if len(answers) > 1:
            _sub(body, "p", f"Réponse {number}", class_="exercise__label")
        _add_paragraphs(_sub(body, "blockquote", class_="exercise__model-answer"), text)


def _handout(section: etree.Element, exercise: Mapping[str, Any]) -> None:
    """Printed only (``print.css``): lines to write on, then the model answer on a page
    of its own, so that a printed lesson hands its exercises out. On screen the
    widget above does both, and this copy stays hidden (from screen readers too)."""
    # No <div> inside: the site search skips an excluded element until the first
    # closing tag of the same name.
    handout = _sub(section, "div", class_="exercise__handout", data_search_exclude="")
    _sub(handout, "p", "Votre réponse", class_="exercise__label")
    _sub(handout, "p", "", class_="exercise__lines")
    answers = [str(a) for a in exercise.get("model_answers") or []]
    if not answers:
        return
    model = _sub(handout, "section", class_="exercise__handout-model")
    title = str(exercise.get("title", exercise["id"]))
    heading = "Réponse modèle" if len(answers) == 1 else "Réponses modèles"
    _sub(model, "p", f"{heading}\u00a0: {title}", class_="exercise__label")
    for text in answers:
        _add_paragraphs(_sub(model, "blockquote", class_="exercise__model-answer"), text)


def render_progress(parent: etree.Element, catalog: Catalog) -> etree.Element:
    """Build the table of the "Ma progression" page."""
    root = _sub(parent, "div", class_="progress", data_progress="")
    _sub(root, "p", "", class_="progress__summary", data_role=ROLE["SUMMARY"])
    noscript = _sub(root, "noscript")
    _sub(
        noscript,
        "p",
        "Votre progression est enregistrée par votre navigateur : activez JavaScript pour la voir.",
    )
    _progress_table(root, catalog)
    _progress_tools(root)
    _sub(
        root,
        "p",
        "",
        class_="progress__status",
        role="status",
        aria_live="polite",
        data_role=ROLE["STATUS"],
    )
    return root


def _progress_table(root: etree.Element, catalog: Catalog) -> None:
    """One row per exercise, in reading order; the page fills in the « État » cells."""
    table = _sub(root, "table")  # no class: Material styles plain tables
    _sub(table, "caption", "Les exercices du parcours")
    head = _sub(_sub(table, "thead"), "tr")
    for label in ("Exercice", "Leçon", "Difficulté", "État"):
        _sub(head, "th", label, scope="col")
    body = _sub(table, "tbody")
    for ex_id in catalog.ordered_ids():
        exercise = catalog.exercises[ex_id]
        placement = catalog.placements.get(ex_id)
        page = placement.page if placement else str(exercise.get("lesson", ""))
        lesson_title = placement.title if placement else catalog.lesson_titles.get(page, page)
        row = _sub(body, "tr", data_exercise=ex_id)
        cell = _sub(row, "th", scope="row")
        link = f"{page}#exercice-{ex_id}" if placement else page
        _sub(cell, "a", str(exercise.get("title", ex_id)), href=link)
        lesson_cell = _sub(row, "td")
        _sub(lesson_cell, "a", lesson_title, href=page)
        _sub(row, "td", difficulty_text(exercise.get("difficulty", "")))
        _sub(row, "td", "—", data_role=ROLE["STATE"])


def _progress_tools(root: etree.Element) -> None:
    """Export, import and erase: hidden until the page's script can run them."""
    tools = _sub(root, "div", class_="progress__tools", data_role=ROLE["TOOLS"], hidden="hidden")
    _sub(
        tools,
        "button",
        "Exporter ma progression",
        type="button",
        class_="md-button md-button--primary",
        data_action=ACTION["EXPORT"],
    )
    _sub(
        tools,
        "button",
        "Importer une progression",
        type="button",
        class_="md-button",
        data_action=ACTION["IMPORT"],
    )
    _sub(
        tools,
        "input",
        type="file",
        accept="application/json,.json",
        hidden="hidden",
        data_role=ROLE["IMPORT_FILE"],
        aria_label="Fichier de progression à importer",
    )
    _sub(
        tools,
        "button",
        "Effacer ma progression",
        type="button",
        class_="md-button",
        data_action=ACTION["ERASE"],
    )


# --------------------------------------------------------------------------- blocks


class ExerciseBlock(Block):  # type: ignore[misc]
    """``/// exercise | <id>``: the widget of one exercise."""

    NAME = "exercise"
    ARGUMENT = True
    OPTIONS: ClassVar[dict[str, tuple[Any, Any]]] = {}

    def on_create(self, parent: etree.Element) -> etree.Element:
        catalog: Catalog = self.config["catalog"]
        exercise = catalog.get(str(self.argument).strip())
        return render_exercise(parent, exercise, _heading_level(parent))

    def on_add(self, block: etree.Element) -> etree.Element:
        extra = block.find("./div[@class='exercise__extra']")
        return extra if extra is not None else block

    def on_end(self, block: etree.Element) -> None:
        extra = block.find("./div[@class='exercise__extra']")
        if extra is not None and len(extra) == 0 and not (extra.text or "").strip():
            block.remove(extra)


class ProgressBlock(Block):  # type: ignore[misc]
    """``/// progression``: the table of every exercise with the reader's status."""

    NAME = "progression"
    ARGUMENT = False
    OPTIONS: ClassVar[dict[str, tuple[Any, Any]]] = {}

    def on_create(self, parent: etree.Element) -> etree.Element:
        catalog: Catalog = self.config["catalog"]
        return render_progress(parent, catalog)


class ExerciseExtension(BlocksExtension):  # type: ignore[misc]
    """Registers both blocks; ``catalog`` is shared with the build hook."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {"catalog": [Catalog(), "Exercises and where they are embedded"]}
        super().__init__(**kwargs)

    def extendMarkdownBlocks(self, md: Markdown, block_mgr: BlocksProcessor) -> None:
        config = self.getConfigs()
        block_mgr.register(ExerciseBlock, config)
        block_mgr.register(ProgressBlock, config)


def makeExtension(**kwargs: Any) -> ExerciseExtension:
    return ExerciseExtension(**kwargs)
