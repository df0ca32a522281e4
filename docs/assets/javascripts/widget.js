// The exercise widget: binds the HTML that hooks/exercise_block.py writes
// (reply, buttons, status line, model answer) to the checker client and to
// the reader's stored progress.

import { CANCELLED, cancelGradings, checker, grade, onCheckerChange, startChecker } from "./checker-client.js";
import { el, part, plural } from "./dom.js";
import { ACTION, ROLE } from "./protocol.js";
import { addFlag } from "./flag.js";
import { renderResult } from "./result.js";
import { MAX_DRAFT, NO_STORAGE, STORAGE_FULL, storageKey, store } from "./storage.js";

const DRAFT_DELAY_MS = 400;
const CANCEL_AFTER_MS = 3000;
// Parts this module adds to the widget (the others come with the HTML: ROLE).
const RECORD = "record";
const CANCEL = "cancel";

const STATUS_TEXT = {
  idle: "Le correcteur démarrera quand vous commencerez à répondre.",
  loading: "Chargement du correcteur… (quelques secondes, une seule fois par visite)",
  ready: "Correcteur prêt.",
};

function setStatus(section, text, state) {
  const status = part(section, ROLE.STATUS);
  if (!status) return;
  status.textContent = text;
  status.dataset.state = state || checker.state;
}

function showCheckerStatus(section) {
  if (section.dataset.busy === "1") return;
  if (checker.state === "failed") {
    setStatus(
      section,
      `Le correcteur n'a pas pu démarrer : ${checker.message}. ` +
        "Les indices et la réponse modèle restent disponibles ci-dessous.",
      "failed",
    );
  } else if (checker.state === "loading" && checker.message === "slow") {
    setStatus(section, "Le correcteur se charge encore (connexion lente ?)… Vous pouvez continuer à écrire.", "loading");
  } else {
    setStatus(section, STATUS_TEXT[checker.state], checker.state);
  }
}

function lockModel(section) {
  const model = part(section, ROLE.MODEL);
  if (!model) return;
  model.dataset.locked = "";
  part(model, ROLE.LOCK).hidden = false;
  part(model, ROLE.LOCK_LABEL).hidden = false;
  part(model, ROLE.MODEL_BODY).hidden = true;
}

function unlockModel(section) {
  const model = part(section, ROLE.MODEL);
  if (!model || !("locked" in model.dataset)) return;
  delete model.dataset.locked;
  part(model, ROLE.LOCK).hidden = true;
  part(model, ROLE.LOCK_LABEL).hidden = true;
  part(model, ROLE.MODEL_BODY).hidden = false;
}

function showRecord(section, record) {
  let line = part(section, RECORD);
  if (!line) {
    line = el("p", { className: "exercise__record", "data-role": RECORD });
    part(section, ROLE.STATUS).after(line);
  }
  const notes = [];
  if (record.attempts > 0) {
    notes.push(
      `${plural(record.attempts, "essai", "essais")}, meilleur score : ${record.best ?? 0} sur 100` +
        (record.passed ? " (exercice réussi)." : "."),
    );
  }
  if (!store.available) notes.push(NO_STORAGE);
  else if (store.full) notes.push(STORAGE_FULL);
  const reply = part(section, ROLE.REPLY);
  if (reply && reply.value.length > MAX_DRAFT) {
    notes.push(`Votre brouillon dépasse ${MAX_DRAFT.toLocaleString("fr-FR")} caractères : seul ce début est conservé.`);
  }
  line.textContent = notes.join(" ");
  line.hidden = notes.length === 0;
}

// A result and, for a reply with words in it, the way to flag it as misgraded.
function showResult(section, text, result, { restored = false, flagged = false } = {}) {
  renderResult(section, result, text, { restored });
  if (text.trim()) addFlag(section, { flagged });
}

// The last result, as it was stored with the draft; a record that cannot be
// shown any more (an older result format) is simply not shown.
function restoreResult(section, last) {
  try {
    showResult(section, last.text, last.result, { restored: true, flagged: last.flagged });
  } catch (error) {
    const box = part(section, ROLE.RESULT);
    box.replaceChildren();
    box.hidden = true;
  }
}

async function check(section) {
  // One grading at a time per exercise (an empty data-busy="" would be falsy).
  if (section.dataset.busy === "1") return;
  const id = section.dataset.exercise;
  const textarea = part(section, ROLE.REPLY);
  const text = textarea.value;
  section.dataset.busy = "1";
  const cancelTimer = setTimeout(() => offerCancel(section), CANCEL_AFTER_MS);
  section.setAttribute("aria-busy", "true");
  setStatus(
    section,
    checker.state === "ready"
      ? "Vérification…"
      : "Chargement du correcteur… votre réponse sera vérifiée dès qu'il sera prêt.",
    "busy",
  );
  let response;
  try {
    response = await grade(id, text);
  } catch (error) {
    clearTimeout(cancelTimer);
    delete section.dataset.busy;
    section.removeAttribute("aria-busy");
    unlockModel(section);
    if (checker.state === "failed") showCheckerStatus(section);
    else setStatus(section, failureText(error), "failed");
    return;
  }
  clearTimeout(cancelTimer);
  delete section.dataset.busy;
  section.removeAttribute("aria-busy");
  const result = response.result;
  section.dataset.gradeMs = String(response.ms);
  showResult(section, text, result);
  if (!result.empty) unlockModel(section);
  const record = store.update(id, (current) => {
    if (!result.empty) {
      current.attempts += 1;
      current.best = Math.max(current.best ?? 0, result.score);
      current.passed = current.passed || Boolean(result.passed);
    }
    current.draft = text;
    // Shown again after a reload, until the next check.
    current.last = text.length <= MAX_DRAFT ? { text, result, at: new Date().toISOString(), flagged: false } : null;
  });
  showRecord(section, record);
  setStatus(section, result.announcement, "ready");
  part(section, ROLE.RESULT).focus();
}


// Only French reaches the reader: a message that is not ours becomes a generic one.
function failureText(error) {
  const message = String((error && error.message) || "");
  if (message === CANCELLED) return "Vérification annulée. Votre réponse est conservée : vous pouvez la modifier et réessayer.";
  const french = /[éèàçù]|^(le|la|les|l'|votre|impossible|identifiant)/i.test(message);
  return (
    "La vérification a échoué" +
    (french ? ` : ${message}` : "") +
    ". Votre réponse est conservée ; la réponse modèle reste disponible ci-dessous."
  );
}

// A grading that runs long can be stopped: the worker is ended and restarted on next use.
function offerCancel(section) {
  if (section.dataset.busy !== "1" || part(section, CANCEL)) return;
  const button = el("button", { type: "button", className: "md-button", "data-role": CANCEL, text: "Annuler la vérification" });
  button.addEventListener("click", () => {
    cancelGradings();
    button.remove();
  });
  part(section, ROLE.STATUS).append(" ", button);
}

async function copyLink(section) {
  const url = new URL(window.location.href);
  url.search = "";
  url.hash = section.id;
  const link = url.href;
  let copied = false;
  try {
    await navigator.clipboard.writeText(link);
    copied = true;
  } catch (error) {
    const field = el("textarea", { className: "exercise__clip", "aria-hidden": "true", tabindex: "-1" });
    field.value = link;
    document.body.append(field);
    field.select();
    try {
      copied = document.execCommand("copy");
    } catch (error2) {
      copied = false;
    }
    field.remove();
    part(section, ROLE.REPLY).focus({ preventScroll: true });
  }
  const note = part(section, ROLE.COPIED);
  if (note) note.textContent = copied ? `Lien copié : ${link}` : `Copiez ce lien : ${link}`;
}

export function bindExercise(section) {
  if (section.dataset.bound !== undefined) return;
  section.dataset.bound = "";
  const id = section.dataset.exercise;
  const textarea = part(section, ROLE.REPLY);
  if (!id || !textarea) return;
  const record = store.read(id);
  if (record.draft && !textarea.value) textarea.value = record.draft;
  if (record.attempts === 0 && checker.state !== "failed") lockModel(section);
  if (record.last) restoreResult(section, record.last);
  showRecord(section, record);
  showCheckerStatus(section);

  section.addEventListener("focusin", startChecker);
  let draftTimer = null;
  const saveDraft = () => {
    clearTimeout(draftTimer);
    draftTimer = null;
    const wasFull = store.full;
    const current = store.update(id, (record) => {
      record.draft = textarea.value.slice(0, MAX_DRAFT);
    });
    if (store.full !== wasFull || textarea.value.length > MAX_DRAFT) showRecord(section, current);
  };
  textarea.addEventListener("input", () => {
    clearTimeout(draftTimer);
    draftTimer = setTimeout(saveDraft, DRAFT_DELAY_MS);
  });
  // The last keystrokes are not lost when the page is closed or reloaded.
  window.addEventListener("pagehide", () => {
    if (draftTimer !== null) saveDraft();
  });
  // Another tab graded or typed: show its record (the draft here is left alone).
  window.addEventListener("storage", (event) => {
    if (event.key === storageKey(id)) showRecord(section, store.read(id));
  });
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      check(section);
    }
  });
  section.addEventListener("click", (event) => {
    const button = event.target.closest("[data-action]");
    if (!button || !section.contains(button)) return;
    const action = button.dataset.action;
    if (action === ACTION.CHECK) check(section);
    else if (action === ACTION.COPY_LINK) copyLink(section);
    else if (action === ACTION.REVEAL) {
      unlockModel(section);
      part(section, ROLE.MODEL).open = true;
      part(section, ROLE.MODEL).querySelector("summary").focus();
    }
  });
}

export function focusTarget() {
  const hash = decodeURIComponent(window.location.hash.slice(1));
  if (!hash.startsWith("exercice-")) return;
  const section = document.getElementById(hash);
  if (!section || !section.matches("section.exercise")) return;
  // After the browser's own scroll to the fragment, which would take the focus back.
  const go = () => {
    section.scrollIntoView({ block: "start" });
    part(section, ROLE.REPLY).focus({ preventScroll: true });
  };
  if (document.readyState === "complete") setTimeout(go, 0);
  else window.addEventListener("load", () => setTimeout(go, 0), { once: true });
}

// The checker's state shows in every widget of the page; when it cannot
// start, the model answers open.
onCheckerChange((state) => {
  for (const section of document.querySelectorAll("section.exercise[data-bound]")) {
    showCheckerStatus(section);
    if (state.state === "failed") unlockModel(section);
  }
});
