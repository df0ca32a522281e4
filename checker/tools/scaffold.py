"""``python -m checker new <id>``: a new exercise file, every field explained."""

from __future__ import annotations

from pathlib import Path

from .exercises import EXERCISES_DIR, ID_RE

TEMPLATE = """\
# yaml-language-server: $schema=schema.json
# A new exercise. Fill in every field, then run:
#   python -m checker validate exercises/{id}.yml
# and see CONTRIBUTING.md for the whole format. Readers see French; keep it kind and concrete.

# Stable id: deep links and saved progress use it. Must equal the file name.
id: {id}
# French title, shown above the exercise.
title: "À compléter"
# The lesson page (under docs/) that embeds this exercise with:  /// exercise | {id}
lesson: lecons/non-argumente.md
# Principle ids (P01–P33) from shared/spec/principles.md that the exercise trains.
principles: [P01]
# 1 (easy) to 3 (hard).
difficulty: 1
# phone | desk | email | chat: how the reader answers.
channel: phone
# Optional: how the customer's words below reached the reader, if not by `channel`
# (an e-mail read before calling: email). It sets their caption.
# customer_channel: email
# Optional: feminine for a female customer (« la cliente » in the caption and the feedback).
# customer_gender: feminine
# 2–5 French sentences, in the project's own words: who, what happened, what the company can do.
situation: |
  À compléter.
# What the customer says or writes, as the reader would hear or read it.
customer: |
  « À compléter. »
# What the reader must do.
instruction: "Répondez à M. …, au téléphone."
# 2–3 hints, each revealing a little more, never the whole answer.
hints:
  - "À compléter."
  - "À compléter."
# At least one reply that passes its own rubric.
model_answers:
  - |
    À compléter.
rubric:
  # Score (0–100) needed to pass, besides every required criterion.
  pass_score: 60
  # Shorter replies fail the length rule; longer ones lose points.
  min_words: 25
  max_words: 220
  # How many "phrases" criteria a reply must meet to fit THIS customer, and what to say if not.
  specific_min: 1
  specific_message: "Votre réponse pourrait s'adresser à n'importe quel client : parlez de son cas (…)."
  criteria:
    # A move the reply must show (ids: shared/spec/moves.md). `required: true` makes it a must.
    - id: empathy
      move: empathy
      required: true
      weight: 20
      label: "Accueillir l'émotion"
      found: "Vous accueillez l'émotion du client."
      missing: "Commencez par accueillir ce qu'il ressent : « Je comprends votre agacement. »"
    # One of several moves: any_of: [question, restate]
    # A pitfall the reply must not show (its default French message is used if `violated` is omitted).
    - id: no-blame
      forbid: blame
      label: "Ne pas donner tort au client"
    # Scenario content: what this customer must hear. Patterns: checker/rules/README.md.
    - id: case-detail
      phrases:
        - "avoir|bon_d'achat ..4 #num"
      weight: 10
      label: "Parler de son cas"
      found: "Vous parlez de son cas précis."
      missing: "Parlez de son cas : « … »"
    # Order (when both are present, the first comes first): order: [reason, cannot]
    # Condition: if_any: [cannot, blunt_no] with then_any: [alternative]
# At least 4 passing and 6 failing replies; failing ones list the criteria ids expected not to be met.
examples:
  - text: "À compléter."
    passed: true
  - text: "À compléter."
    passed: false
    failing: [empathy]
"""


def create_exercise(exercise_id: str, root: Path = EXERCISES_DIR, force: bool = False) -> Path:
    """Write ``root/<id>.yml`` from the template; refuse a bad id or an existing file."""
    if not ID_RE.match(exercise_id):
        raise ValueError(
            f"invalid id {exercise_id!r}: use lower-case words joined by hyphens (e.g. colis-perdu)"
        )
    path = root / f"{exercise_id}.yml"
    if path.exists() and not force:
        raise ValueError(f"{path} already exists (use --force to overwrite it)")
    path.write_text(TEMPLATE.format(id=exercise_id), encoding="utf-8")
    return path
