// Exercise widgets and the "Ma progression" page.
//
// Loaded once per visit as an ES module; Material's `document$` tells us each
// time a page is shown (instant navigation), and we bind what the new page
// holds. One module worker (exercise-worker.js: Pyodide + checker) serves the
// whole visit; it starts when the reader first focuses an exercise or asks
// for a check, never on pages without exercises.
//
// The reader's reply is only ever inserted as text nodes, never as HTML.

const STORE_PREFIX = "dnspc.v1.";
const EXPORT_FORMAT = "dire-non-sans-perdre-le-client/progression";
const SLOW_START_MS = 15000;
const START_TIMEOUT_MS = 180000;
const DRAFT_DELAY_MS = 400;
// A draft is kept whole up to the longest reply the grader reads (1 MB).
const MAX_DRAFT = 1_000_000;

// ------------------------------------------------------------------ storage

const store = (() => {
  let available = false;
  try {
    const key = STORE_PREFIX + "__test";
    window.localStorage.setItem(key, "1");
    window.localStorage.removeItem(key);
    available = true;
  } catch (error) {
    available = false;
  }
  let full = false;
  // Exercises whose last write did not reach localStorage: this visit's copy is the newer.
  const unsaved = new Set();

  function blank() {
    return { draft: "", attempts: 0, best: null, passed: false, updated: null };
  }

  function clean(raw) {
    const record = blank();
    if (!raw || typeof raw !== "object") return record;
    if (typeof raw.draft === "string") record.draft = raw.draft.slice(0, MAX_DRAFT);
    if (Number.isInteger(raw.attempts) && raw.attempts >= 0) record.attempts = raw.attempts;
    if (Number.isInteger(raw.best) && raw.best >= 0 && raw.best <= 100) record.best = raw.best;
    if (typeof raw.passed === "boolean") record.passed = raw.passed;
    if (typeof raw.updated === "string") record.updated = raw.updated;
    return record;
  }

  return {
    get available() {
      return available;
    },
    get full() {
      return full;
    },
    blank,
    clean,
    // Reads come from localStorage (shared by every tab), unless a write failed:
    // then this visit's copy is shown, so that nothing disappears from view.
    read(id) {
      if (!available || unsaved.has(id)) return clean(memory.get(id));
      try {
        return clean(JSON.parse(window.localStorage.getItem(STORE_PREFIX + id)));
      } catch (error) {
        return clean(memory.get(id));
      }
    },
    write(id, record) {
      const value = { ...clean(record), updated: new Date().toISOString() };
      memory.set(id, value);
      if (!available) return false;
      try {
        window.localStorage.setItem(STORE_PREFIX + id, JSON.stringify(value));
        unsaved.delete(id);
        full = unsaved.size > 0;
        return true;
      } catch (error) {
        unsaved.add(id);
        full = true;
        return false;
      }
    },
    // Change one record from its freshest copy (another tab may have written it).
    update(id, change) {
      const record = this.read(id);
      change(record);
      this.write(id, record);
      return record;
    },
    ids() {
      const ids = new Set(memory.keys());
      if (!available) return ids;
      try {
        for (let i = 0; i < window.localStorage.length; i += 1) {
          const key = window.localStorage.key(i);
          if (key && key.startsWith(STORE_PREFIX) && key !== STORE_PREFIX + "__test") {
            ids.add(key.slice(STORE_PREFIX.length));
          }
        }
      } catch (error) {
        // Listing failed: this visit's records are still there.
      }
      return ids;
    },
    all() {
      const out = {};
      for (const id of this.ids()) out[id] = this.read(id);
      return out;
    },
    // Returns true when nothing of the progress is left (the message says what happened).
    clear() {
      memory.clear();
      unsaved.clear();
      full = false;
      if (!available) return true;
      try {
        const keys = [];
        for (let i = 0; i < window.localStorage.length; i += 1) {
          const key = window.localStorage.key(i);
          if (key && key.startsWith(STORE_PREFIX)) keys.push(key);
        }
        for (const key of keys) window.localStorage.removeItem(key);
        return this.ids().size === 0;
      } catch (error) {
        return false;
      }
    },
  };
})();
// Progress of this visit when storage is blocked: the page still works.
const memory = new Map();

const NO_STORAGE =
  "Votre navigateur ne garde pas les données de ce site : votre brouillon et votre progression ne seront pas conservés.";
const STORAGE_FULL =
  "Le stockage de votre navigateur est plein : votre progression n'est plus enregistrée.";

// ------------------------------------------------------------------ worker

const checker = {
  state: "idle", // idle | loading | ready | failed
  message: "",
  worker: null,
  seq: 0,
  pending: new Map(),
  waiters: [],
  timer: null,
  stats: { startedAt: null, readyMs: null, workerMs: null, steps: null },
};

function setChecker(state, message = "") {
  checker.state = state;
  checker.message = message;
  if (state === "ready" || state === "failed") {
    clearTimeout(checker.timer);
    const waiters = checker.waiters.splice(0);
    for (const waiter of waiters) waiter();
  }
  if (state === "failed") {
    for (const [, pending] of checker.pending) pending.reject(new Error(message));
    checker.pending.clear();
  }
  for (const section of document.querySelectorAll("section.exercise[data-bound]")) {
    showCheckerStatus(section);
    if (state === "failed") unlockModel(section);
  }
}

function startChecker() {
  if (checker.state !== "idle") return;
  checker.stats.startedAt = performance.now();
  if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
    setChecker("failed", "votre navigateur ne peut pas faire tourner le correcteur (WebAssembly ou Web Worker indisponible)");
    return;
  }
  setChecker("loading");
  let worker;
  try {
    worker = new Worker(new URL("exercise-worker.js", import.meta.url), { type: "module", name: "correcteur" });
  } catch (error) {
    setChecker("failed", "votre navigateur ne peut pas démarrer le correcteur");
    return;
  }
  checker.worker = worker;
  checker.timer = setTimeout(() => {
    if (checker.state === "loading") setChecker("failed", "le correcteur met trop de temps à démarrer");
  }, START_TIMEOUT_MS);
  setTimeout(() => {
    if (checker.state === "loading") setChecker("loading", "slow");
  }, SLOW_START_MS);
  worker.addEventListener("message", (event) => {
    const message = event.data || {};
    if (message.type === "ready") {
      checker.stats.readyMs = performance.now() - checker.stats.startedAt;
      checker.stats.workerMs = message.ms;
      checker.stats.steps = message.steps;
      setChecker("ready");
    } else if (message.type === "failed") {
      setChecker("failed", message.message);
    } else if (message.type === "result" || message.type === "error") {
      const pending = checker.pending.get(message.seq);
      if (!pending) return;
      checker.pending.delete(message.seq);
      if (message.type === "result") pending.resolve(message);
      else pending.reject(new Error(message.message));
    }
  });
  worker.addEventListener("error", (event) => {
    event.preventDefault();
    if (checker.state === "loading") setChecker("failed", "le correcteur n'a pas pu être chargé");
  });
}

const CANCELLED = "cancelled";

function cancelGradings() {
  if (checker.worker) checker.worker.terminate();
  checker.worker = null;
  const pending = [...checker.pending.values()];
  checker.pending.clear();
  checker.state = "idle";
  checker.message = "";
  for (const entry of pending) entry.reject(new Error(CANCELLED));
}

function whenSettled() {
  if (checker.state === "ready" || checker.state === "failed") return Promise.resolve();
  return new Promise((resolve) => checker.waiters.push(resolve));
}

async function grade(id, text) {
  startChecker();
  await whenSettled();
  if (checker.state !== "ready") throw new Error(checker.message);
  checker.seq += 1;
  const seq = checker.seq;
  return new Promise((resolve, reject) => {
    checker.pending.set(seq, { resolve, reject });
    checker.worker.postMessage({ type: "grade", seq, id, text });
  });
}

// For scripts/bench_site.py and the tests: measurements, never needed by the page.
window.__exercises = {
  get state() {
    return checker.state;
  },
  stats: checker.stats,
  grade,
  start: startChecker,
};

// ------------------------------------------------------------------ helpers

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "className") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

function part(section, role) {
  return section.querySelector(`[data-role="${role}"]`);
}

function plural(n, one, many) {
  return `${n} ${n > 1 ? many : one}`;
}

// ------------------------------------------------------------------ exercise widget

const STATUS_TEXT = {
  idle: "Le correcteur démarrera quand vous commencerez à répondre.",
  loading: "Chargement du correcteur… (quelques secondes, une seule fois par visite)",
  ready: "Correcteur prêt.",
};

function setStatus(section, text, state) {
  const status = part(section, "status");
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
  const model = part(section, "model");
  if (!model) return;
  model.dataset.locked = "";
  part(model, "lock").hidden = false;
  part(model, "lock-label").hidden = false;
  part(model, "model-body").hidden = true;
}

function unlockModel(section) {
  const model = part(section, "model");
  if (!model || !("locked" in model.dataset)) return;
  delete model.dataset.locked;
  part(model, "lock").hidden = true;
  part(model, "lock-label").hidden = true;
  part(model, "model-body").hidden = false;
}

function showRecord(section, record) {
  let line = part(section, "record");
  if (!line) {
    line = el("p", { className: "exercise__record", "data-role": "record" });
    part(section, "status").after(line);
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
  const reply = part(section, "reply");
  if (reply && reply.value.length > MAX_DRAFT) {
    notes.push(`Votre brouillon dépasse ${MAX_DRAFT.toLocaleString("fr-FR")} caractères : seul ce début est conservé.`);
  }
  line.textContent = notes.join(" ");
  line.hidden = notes.length === 0;
}

// Every sentence about the grade comes worded from the checker (checker/feedback.py):
// the page shows them as they are.
const STATUSES = new Set(["found", "missing", "violated", "not_applicable"]);

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

function renderResult(section, result, text) {
  const base = section.id;
  const box = part(section, "result");
  const verdictId = `${base}-verdict`;
  const idFor = (index) => `${base}-critere-${index + 1}`;
  box.replaceChildren();
  box.dataset.verdict = result.passed ? "pass" : "fail";
  box.dataset.score = String(result.score);
  box.setAttribute("role", "region");
  box.setAttribute("aria-labelledby", verdictId);

  const verdict = el(
    "p",
    { className: "exercise__verdict", id: verdictId },
    el("strong", { text: result.verdict }),
    ` — ${result.score_text}`,
  );
  box.append(verdict);
  if (result.advice) box.append(el("p", { className: "exercise__summary", text: result.advice }));

  const criteria = Array.isArray(result.criteria) ? result.criteria : [];
  if (!result.empty && criteria.length) {
    box.append(el("p", { className: "exercise__label", text: "Le détail, du plus important au moins important :" }));
    const list = el("ol", { className: "exercise__criteria" });
    criteria.forEach((criterion, index) => {
      const status = STATUSES.has(criterion.status) ? criterion.status : "missing";
      list.append(
        el(
          "li",
          { className: `criterion is-${status}`, id: idFor(index), "data-status": status, "data-criterion": criterion.id },
          el("span", { className: "criterion__icon", "aria-hidden": "true", text: criterion.mark }),
          el("span", { className: "criterion__status", text: `${criterion.status_label} : ` }),
          el("strong", { className: "criterion__label", text: criterion.label || criterion.id }),
          criterion.required_note
            ? el("span", { className: "criterion__required", text: ` (${criterion.required_note})` })
            : null,
          criterion.message ? el("span", { className: "criterion__message", text: criterion.message }) : null,
          Array.isArray(criterion.moves) && criterion.moves.length && /^[a-z_]+$/.test(criterion.moves[0])
            ? el("a", {
                className: "criterion__more",
                href: new URL(`../../reflexes/#${criterion.moves[0]}`, import.meta.url).href,
                text: " Voir le réflexe",
              })
            : null,
        ),
      );
    });
    box.append(list);

    const { node, count } = highlightedReply(text, criteria, idFor);
    box.append(
      el(
        "p",
        { className: "exercise__label" },
        count
          ? "Votre réponse, avec les passages repérés (le numéro renvoie au point de la liste) :"
          : "Votre réponse (aucun passage précis n'a été repéré) :",
      ),
      node,
    );
  }
  box.hidden = false;
}

async function check(section) {
  // One grading at a time per exercise (an empty data-busy="" would be falsy).
  if (section.dataset.busy === "1") return;
  const id = section.dataset.exercise;
  const textarea = part(section, "reply");
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
  renderResult(section, result, text);
  if (!result.empty) unlockModel(section);
  const record = store.update(id, (current) => {
    if (!result.empty) {
      current.attempts += 1;
      current.best = Math.max(current.best ?? 0, result.score);
      current.passed = current.passed || Boolean(result.passed);
    }
    current.draft = text;
  });
  showRecord(section, record);
  setStatus(section, result.announcement, "ready");
  part(section, "result").focus();
}

const CANCEL_AFTER_MS = 3000;

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
  if (section.dataset.busy !== "1" || part(section, "cancel")) return;
  const button = el("button", { type: "button", className: "md-button", "data-role": "cancel", text: "Annuler la vérification" });
  button.addEventListener("click", () => {
    cancelGradings();
    button.remove();
  });
  part(section, "status").append(" ", button);
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
    part(section, "reply").focus({ preventScroll: true });
  }
  const note = part(section, "copied");
  if (note) note.textContent = copied ? `Lien copié : ${link}` : `Copiez ce lien : ${link}`;
}

function bindExercise(section) {
  if (section.dataset.bound !== undefined) return;
  section.dataset.bound = "";
  const id = section.dataset.exercise;
  const textarea = part(section, "reply");
  if (!id || !textarea) return;
  const record = store.read(id);
  if (record.draft && !textarea.value) textarea.value = record.draft;
  if (record.attempts === 0 && checker.state !== "failed") lockModel(section);
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
    if (event.key === STORE_PREFIX + id) showRecord(section, store.read(id));
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
    if (action === "check") check(section);
    else if (action === "copy-link") copyLink(section);
    else if (action === "reveal") {
      unlockModel(section);
      part(section, "model").open = true;
      part(section, "model").querySelector("summary").focus();
    }
  });
}

function focusTarget() {
  const hash = decodeURIComponent(window.location.hash.slice(1));
  if (!hash.startsWith("exercice-")) return;
  const section = document.getElementById(hash);
  if (!section || !section.matches("section.exercise")) return;
  // After the browser's own scroll to the fragment, which would take the focus back.
  const go = () => {
    section.scrollIntoView({ block: "start" });
    part(section, "reply").focus({ preventScroll: true });
  };
  if (document.readyState === "complete") setTimeout(go, 0);
  else window.addEventListener("load", () => setTimeout(go, 0), { once: true });
}

// ------------------------------------------------------------------ progress page

function stateOf(record) {
  if (record.passed) return ["passed", `Réussi (meilleur score : ${record.best} sur 100)`];
  if (record.attempts > 0) {
    return ["started", `En cours : ${plural(record.attempts, "essai", "essais")}, meilleur score ${record.best ?? 0} sur 100`];
  }
  if (record.draft) return ["draft", "Brouillon commencé"];
  return ["new", "Pas commencé"];
}

function renderProgress(root) {
  const rows = [...root.querySelectorAll("tr[data-exercise]")];
  let passed = 0;
  for (const row of rows) {
    const record = store.read(row.dataset.exercise);
    const [state, label] = stateOf(record);
    if (state === "passed") passed += 1;
    const cell = row.querySelector('[data-role="state"]');
    cell.textContent = label;
    cell.dataset.state = state;
  }
  let summary = `${plural(passed, "exercice réussi", "exercices réussis")} sur ${rows.length}.`;
  if (!store.available) summary += " " + NO_STORAGE;
  part(root, "summary").textContent = summary;
}

function validateImport(data, known) {
  const bad = "Ce fichier n'est pas une progression exportée depuis ce site.";
  if (!data || typeof data !== "object" || Array.isArray(data)) throw new Error(bad);
  if (data.format !== EXPORT_FORMAT) throw new Error(bad);
  if (!Number.isInteger(data.version) || data.version < 1) throw new Error(bad);
  if (data.version > 1) throw new Error("Ce fichier vient d'une version plus récente du site : impossible de le lire.");
  const entries = data.exercises;
  if (!entries || typeof entries !== "object" || Array.isArray(entries)) throw new Error(bad);
  const records = {};
  let unknown = 0;
  for (const [id, raw] of Object.entries(entries)) {
    const ok =
      raw &&
      typeof raw === "object" &&
      Number.isInteger(raw.attempts) &&
      raw.attempts >= 0 &&
      (raw.best === null || (Number.isInteger(raw.best) && raw.best >= 0 && raw.best <= 100)) &&
      typeof raw.passed === "boolean" &&
      (raw.draft === undefined || (typeof raw.draft === "string" && raw.draft.length <= MAX_DRAFT));
    if (!ok) throw new Error(`Le fichier est abîmé : les données de l'exercice « ${id} » sont invalides.`);
    if (known.has(id)) records[id] = store.clean(raw);
    else unknown += 1;
  }
  return { records, unknown };
}

// Import never loses newer progress: per exercise, the best of both.
function mergeRecords(current, incoming) {
  const newer = (incoming.updated || "") > (current.updated || "") ? incoming : current;
  return {
    draft: newer.draft || current.draft || incoming.draft || "",
    attempts: Math.max(current.attempts, incoming.attempts),
    best:
      current.best === null && incoming.best === null ? null : Math.max(current.best ?? 0, incoming.best ?? 0),
    passed: current.passed || incoming.passed,
    updated: newer.updated,
  };
}

function bindProgress(root) {
  if (root.dataset.bound !== undefined) return;
  root.dataset.bound = "";
  const status = part(root, "status");
  const input = part(root, "import-file");
  const known = new Set([...root.querySelectorAll("tr[data-exercise]")].map((row) => row.dataset.exercise));
  part(root, "tools").hidden = false;
  renderProgress(root);

  root.addEventListener("click", (event) => {
    const button = event.target.closest("[data-action]");
    if (!button) return;
    const action = button.dataset.action;
    if (action === "export") {
      const data = {
        format: EXPORT_FORMAT,
        version: 1,
        exported: new Date().toISOString(),
        exercises: store.all(),
      };
      const blob = new Blob([JSON.stringify(data, null, 2) + "\n"], { type: "application/json" });
      const url = URL.createObjectURL(blob);
      const link = el("a", { href: url, download: "progression-dire-non.json", hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      const n = Object.keys(data.exercises).length;
      status.textContent = `Progression exportée (${plural(n, "exercice", "exercices")}) dans le fichier progression-dire-non.json.`;
    } else if (action === "import") {
      input.click();
    } else if (action === "erase") {
      if (!window.confirm("Effacer toute votre progression sur cet appareil ? Vos brouillons, essais et scores seront perdus.")) {
        status.textContent = "Rien n'a été effacé.";
        return;
      }
      const erased = store.clear();
      renderProgress(root);
      status.textContent = erased
        ? "Votre progression a été effacée."
        : "Votre progression n'a pas pu être entièrement effacée : votre navigateur a refusé. Réessayez, ou effacez les données du site dans ses réglages.";
    }
  });

  input.addEventListener("change", async () => {
    const file = input.files && input.files[0];
    input.value = "";
    if (!file) return;
    if (!store.available) {
      status.textContent = "Impossible d'importer : " + NO_STORAGE.charAt(0).toLowerCase() + NO_STORAGE.slice(1);
      return;
    }
    try {
      if (file.size > 2_000_000) throw new Error("Ce fichier est trop gros pour être une progression.");
      let data;
      try {
        data = JSON.parse(await file.text());
      } catch (error) {
        throw new Error("Ce fichier n'est pas un fichier JSON lisible.");
      }
      const { records, unknown } = validateImport(data, known);
      let changed = 0;
      let same = 0;
      let failed = 0;
      for (const [id, incoming] of Object.entries(records)) {
        const current = store.read(id);
        const merged = mergeRecords(current, incoming);
        if (JSON.stringify(store.clean(merged)) === JSON.stringify(store.clean(current))) {
          same += 1;
          continue;
        }
        if (store.write(id, merged)) changed += 1;
        else failed += 1;
      }
      renderProgress(root);
      let message = `Progression importée : ${plural(changed, "exercice mis à jour", "exercices mis à jour")}, ${plural(same, "déjà à jour", "déjà à jour")}.`;
      if (unknown) message += ` ${plural(unknown, "exercice inconnu ignoré", "exercices inconnus ignorés")}.`;
      if (failed) message += " " + STORAGE_FULL;
      status.textContent = message;
    } catch (error) {
      status.textContent = `Import impossible : ${error.message}`;
    }
  });
}

// ------------------------------------------------------------------ page binding

function bindPage() {
  document.documentElement.classList.add("exercise-js");
  for (const section of document.querySelectorAll("section.exercise[data-exercise]")) bindExercise(section);
  for (const root of document.querySelectorAll("[data-progress]")) bindProgress(root);
  focusTarget();
}

window.addEventListener("hashchange", focusTarget);
if (window.document$ && typeof window.document$.subscribe === "function") {
  window.document$.subscribe(bindPage);
} else if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", bindPage);
} else {
  bindPage();
}
