// Rendering one result of the checker in its exercise's result box, as a
// coach would give it: the verdict first, then at most three comments that
// quote the reader's own words, then what works, and the whole checklist
// (with the reply, its found passages highlighted) folded below.

import { el, part } from "./dom.js";
import { ROLE } from "./protocol.js";

// Every sentence about the grade comes worded from the checker (checker/feedback.py):
// the page shows them as they are.
const STATUSES = new Set(["found", "missing", "violated", "not_applicable"]);
// The folded checklist (a part this module adds).
const CHECKLIST = "checklist";

// Split the reply into segments at every span boundary (UTF-16 offsets), so
// that overlapping highlights of several criteria stay correct.
function highlightedReply(text, criteria, idFor) {
  const spans = [];
  criteria.forEach((criterion, index) => {
    if (criterion.status === "missing" || criterion.status === "not_applicable") return;
    for (const span of criterion.spans || []) {
      const start = Math.max(0, Math.min(text.length, Number(span.start16)));
      const end = Math.max(0, Math.min(text.length, Number(span.end16)));
      if (Number.isFinite(start) && Number.isFinite(end) && end > start) {
        spans.push({ start, end, index, status: criterion.status });
      }
    }
  });
  // One sweep over the span boundaries: linear in the spans, whatever the reply's length.
  const starting = new Map();
  const ending = new Map();
  const cuts = new Set([0, text.length]);
  for (const span of spans) {
    cuts.add(span.start);
    cuts.add(span.end);
    if (!starting.has(span.start)) starting.set(span.start, []);
    starting.get(span.start).push(span);
    if (!ending.has(span.end)) ending.set(span.end, []);
    ending.get(span.end).push(span);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const active = new Set();
  const out = el("div", { className: "exercise__reply" });
  for (let i = 0; i < points.length - 1; i += 1) {
    const [a, b] = [points[i], points[i + 1]];
    for (const span of starting.get(a) || []) active.add(span);
    const piece = document.createTextNode(text.slice(a, b));
    if (active.size === 0) {
      out.append(piece);
    } else {
      const covering = [...active];
      const indexes = [...new Set(covering.map((s) => s.index))].sort((x, y) => x - y);
      const status = covering.some((s) => s.status === "violated") ? "violated" : "found";
      const rules = [...new Set(indexes.flatMap((n) => criteria[n].rules || []))].join("; ");
      out.append(
        el(
          "mark",
          { className: `is-${status}`, "aria-describedby": indexes.map(idFor).join(" "), "data-rules": rules },
          piece,
        ),
      );
    }
    const closing = ending.get(b) || [];
    for (const span of closing) active.delete(span);
    const ended = [...new Set(closing.map((s) => s.index))].sort((x, y) => x - y);
    if (ended.length) {
      out.append(el("sup", { className: "exercise__ref", text: ended.map((n) => n + 1).join(",") }));
    }
  }
  return { node: out, count: spans.length };
}

// One heading level below the exercise's title, so that the result's parts
// can be reached with a screen reader's heading keys.
function subheadingTag(section) {
  const title = section.querySelector(".exercise__title");
  const level = title ? Number(title.tagName.slice(1)) || 2 : 2;
  return `h${Math.min(6, level + 1)}`;
}

// A few notes in a coach's voice: the criterion, the reader's own words, what to do.
function notes(heading, items, { ordered, className, key }) {
  if (!Array.isArray(items) || !items.length) return [];
  const list = el(ordered ? "ol" : "ul", { className });
  for (const item of items) {
    list.append(
      el(
        "li",
        { [key]: item.id },
        el("strong", { className: "note__label", text: item.label }),
        item.quote ? el("span", { className: "note__quote", lang: "fr", text: ` « ${item.quote} »` }) : null,
        item.message ? el("span", { className: "note__message", text: item.message }) : null,
      ),
    );
  }
  return [heading, list];
}

function criterionItem(criterion, id) {
  const status = STATUSES.has(criterion.status) ? criterion.status : "missing";
  return el(
    "li",
    { className: `criterion is-${status}`, id, "data-status": status, "data-criterion": criterion.id },
    el("span", { className: "criterion__icon", "aria-hidden": "true", text: criterion.mark }),
    el("span", { className: "criterion__status", text: `${criterion.status_label} : ` }),
    el("strong", { className: "criterion__label", text: criterion.label || criterion.id }),
    criterion.required_note ? el("span", { className: "criterion__required", text: ` (${criterion.required_note})` }) : null,
    criterion.message ? el("span", { className: "criterion__message", text: criterion.message }) : null,
    Array.isArray(criterion.moves) && criterion.moves.length && /^[a-z_]+$/.test(criterion.moves[0])
      ? el("a", {
          className: "criterion__more",
          href: new URL(`../../reflexes/#${criterion.moves[0]}`, import.meta.url).href,
          text: " Voir le réflexe",
        })
      : null,
  );
}

// The whole checklist and the highlighted reply, folded: the notes above come first.
function checklist(base, criteria, text) {
  const idFor = (index) => `${base}-critere-${index + 1}`;
  const list = el("ol", { className: "exercise__criteria" });
  criteria.forEach((criterion, index) => list.append(criterionItem(criterion, idFor(index))));
  const { node, count } = highlightedReply(text, criteria, idFor);
  return el(
    "details",
    { className: "exercise__checklist", "data-role": CHECKLIST },
    el("summary", { text: `Toute la grille, point par point (${criteria.length})` }),
    list,
    el(
      "p",
      { className: "exercise__label" },
      count
        ? "Votre réponse, avec les passages repérés (le numéro renvoie au point de la grille) :"
        : "Votre réponse (aucun passage précis n'a été repéré) :",
    ),
    node,
  );
}

// Render `result` (the checker's dict, worded by checker/feedback.py) for the
// reply `text`. A result restored from storage says so under the verdict.
export function renderResult(section, result, text, { restored = false } = {}) {
  const base = section.id;
  const box = part(section, ROLE.RESULT);
  const verdictId = `${base}-verdict`;
  const heading = subheadingTag(section);
  box.replaceChildren();
  box.dataset.verdict = result.passed ? "pass" : "fail";
  box.dataset.score = String(result.score);
  box.setAttribute("role", "region");
  box.setAttribute("aria-labelledby", verdictId);

  box.append(
    el(
      "p",
      { className: "exercise__verdict", id: verdictId },
      el("strong", { text: result.verdict }),
      ` — ${result.score_text}`,
    ),
  );
  if (restored) {
    box.append(
      el("p", { className: "exercise__restored", text: "Résultat de votre dernière vérification, conservé sur cet appareil." }),
    );
  }
  if (result.advice) box.append(el("p", { className: "exercise__summary", text: result.advice }));

  const criteria = Array.isArray(result.criteria) ? result.criteria : [];
  if (!result.empty && criteria.length) {
    const subtitle = (title) => el(heading, { className: "exercise__subtitle", text: title });
    box.append(
      ...notes(subtitle(result.comments_title), result.comments, {
        ordered: true,
        className: "exercise__comments",
        key: "data-comment",
      }),
      ...notes(subtitle(result.strengths_title), result.strengths, {
        ordered: false,
        className: "exercise__strengths",
        key: "data-strength",
      }),
      checklist(base, criteria, text),
    );
  }
  box.hidden = false;
}
