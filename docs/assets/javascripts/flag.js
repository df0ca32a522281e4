// « Le correcteur s'est trompé ? »: the reader flags a result they think is
// wrong, with an optional comment. The flag (the reply, what the checker said,
// the comment) is kept on the device with the exercise's progress and goes
// into the progress export, so that a trainer can send it to the maintainers.
// Nothing is ever sent from here.

import { checker } from "./checker-client.js";
import { el, part } from "./dom.js";
import { ROLE } from "./protocol.js";
import { MAX_FLAG_COMMENT, MAX_FLAG_REPLY, MAX_FLAGS, store } from "./storage.js";

const SAVED = "Signalement enregistré sur cet appareil, avec votre réponse : il figurera dans l'export de votre progression (page « Ma progression »). Rien n'a été envoyé.";
const NOT_KEPT = "Votre navigateur ne le gardera pas après la fermeture de la page : exportez votre progression d'ici là.";
const ALREADY = "Vous avez signalé ce résultat : le signalement est enregistré sur cet appareil.";

function flagOf(last, comment) {
  const result = last.result;
  return {
    at: new Date().toISOString(),
    reply: last.text.slice(0, MAX_FLAG_REPLY),
    comment: comment.slice(0, MAX_FLAG_COMMENT),
    verdict: result.verdict,
    score: result.score,
    criteria: result.criteria.map((c) => ({ id: c.id, status: c.status })),
    checker: checker.version || "",
  };
}

// Keep the flag with the exercise's record; returns false when storage refused it.
function saveFlag(id, comment) {
  let saved = false;
  store.update(id, (record) => {
    if (!record.last || record.last.flagged) return;
    record.flags = [...record.flags, flagOf(record.last, comment)].slice(-MAX_FLAGS);
    record.last = { ...record.last, flagged: true };
    saved = true;
  });
  return saved;
}

// The button, then a small form: a real <form> so that Enter on the button
// and the labelled field behave as everywhere else.
export function addFlag(section, { flagged = false } = {}) {
  const box = part(section, ROLE.RESULT);
  const base = section.id;
  const formId = `${base}-signalement`;
  const status = el("p", { className: "exercise__flag-status", role: "status", "aria-live": "polite" });
  const wrapper = el("div", { className: "exercise__flag" });
  box.append(wrapper);
  if (flagged) {
    wrapper.append(status);
    status.textContent = ALREADY;
    return;
  }
  const open = el("button", {
    type: "button",
    className: "md-button",
    "aria-expanded": "false",
    "aria-controls": formId,
    text: "Le correcteur s'est trompé ?",
  });
  const comment = el("textarea", {
    id: `${formId}-commentaire`,
    rows: "3",
    maxlength: String(MAX_FLAG_COMMENT),
    lang: "fr",
    "aria-describedby": `${formId}-aide`,
  });
  const form = el(
    "form",
    { id: formId, className: "exercise__flag-form", hidden: true },
    el("label", { for: comment.id, text: "Qu'est-ce qui vous semble faux ? (facultatif)" }),
    comment,
    el("p", {
      id: `${formId}-aide`,
      className: "exercise__help",
      text: "Votre réponse et ce résultat restent sur cet appareil ; ils partent seulement dans l'export de votre progression, si vous l'envoyez vous-même à votre formateur.",
    }),
    el(
      "div",
      { className: "exercise__actions" },
      el("button", { type: "submit", className: "md-button md-button--primary", text: "Enregistrer le signalement" }),
      el("button", { type: "button", className: "md-button", "data-flag": "cancel", text: "Annuler" }),
    ),
  );
  wrapper.append(open, form, status);

  const close = () => {
    form.hidden = true;
    open.setAttribute("aria-expanded", "false");
    open.focus();
  };
  open.addEventListener("click", () => {
    const opening = form.hidden;
    form.hidden = !opening;
    open.setAttribute("aria-expanded", String(opening));
    if (opening) comment.focus();
  });
  form.querySelector('[data-flag="cancel"]').addEventListener("click", close);
  form.addEventListener("keydown", (event) => {
    if (event.key === "Escape") close();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!saveFlag(section.dataset.exercise, comment.value.trim())) {
      status.textContent = "Ce résultat ne peut plus être signalé : vérifiez à nouveau votre réponse, puis signalez le nouveau résultat.";
      return;
    }
    status.textContent = store.full || !store.available ? `${SAVED} ${NOT_KEPT}` : SAVED;
    open.remove();
    form.remove();
    status.tabIndex = -1;
    status.focus();
  });
}
