// The reader's progress, one record per exercise, in localStorage: the draft,
// the attempts, the best score, whether it was passed, the last result (shown
// again after a reload) and the results the reader flagged as misgraded.
// Nothing leaves the device. When storage is blocked or full, this visit's
// copy in memory keeps the page working.

const STORE_PREFIX = "dnspc.v1.";
// A draft is kept whole up to the longest reply the grader reads (1 MB).
export const MAX_DRAFT = 1_000_000;
// Flags: the newest ones per exercise, each with the reply (a real one is far shorter).
export const MAX_FLAGS = 20;
export const MAX_FLAG_REPLY = 20_000;
export const MAX_FLAG_COMMENT = 1_000;

// Progress of this visit when storage is blocked: the page still works.
const memory = new Map();

// The localStorage key of an exercise's record (a "storage" event names it).
export function storageKey(id) {
  return STORE_PREFIX + id;
}

// The last graded reply and the checker's result for it, or null.
function cleanLast(raw) {
  if (!raw || typeof raw !== "object" || typeof raw.text !== "string" || raw.text.length > MAX_DRAFT) return null;
  const result = raw.result;
  if (!result || typeof result !== "object" || typeof result.verdict !== "string") return null;
  if (!Number.isInteger(result.score) || !Array.isArray(result.criteria)) return null;
  return {
    text: raw.text,
    result,
    at: typeof raw.at === "string" ? raw.at : null,
    flagged: raw.flagged === true,
  };
}

// A result the reader flagged: the reply, what the checker said, an optional comment.
function cleanFlag(raw) {
  if (!raw || typeof raw !== "object" || typeof raw.at !== "string" || typeof raw.reply !== "string") return null;
  const statuses = Array.isArray(raw.criteria) ? raw.criteria : [];
  return {
    at: raw.at,
    reply: raw.reply.slice(0, MAX_FLAG_REPLY),
    comment: typeof raw.comment === "string" ? raw.comment.slice(0, MAX_FLAG_COMMENT) : "",
    verdict: typeof raw.verdict === "string" ? raw.verdict : "",
    score: Number.isInteger(raw.score) ? raw.score : null,
    criteria: statuses
      .filter((c) => c && typeof c.id === "string" && typeof c.status === "string")
      .map((c) => ({ id: c.id, status: c.status })),
    checker: typeof raw.checker === "string" ? raw.checker : "",
  };
}

export const store = (() => {
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
    return { draft: "", attempts: 0, best: null, passed: false, updated: null, last: null, flags: [] };
  }

  function clean(raw) {
    const record = blank();
    if (!raw || typeof raw !== "object") return record;
    if (typeof raw.draft === "string") record.draft = raw.draft.slice(0, MAX_DRAFT);
    if (Number.isInteger(raw.attempts) && raw.attempts >= 0) record.attempts = raw.attempts;
    if (Number.isInteger(raw.best) && raw.best >= 0 && raw.best <= 100) record.best = raw.best;
    if (typeof raw.passed === "boolean") record.passed = raw.passed;
    if (typeof raw.updated === "string") record.updated = raw.updated;
    record.last = cleanLast(raw.last);
    if (Array.isArray(raw.flags)) record.flags = raw.flags.map(cleanFlag).filter(Boolean).slice(-MAX_FLAGS);
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

export const NO_STORAGE =
  "Votre navigateur ne garde pas les données de ce site : votre brouillon et votre progression ne seront pas conservés.";
export const STORAGE_FULL =
  "Le stockage de votre navigateur est plein : votre progression n'est plus enregistrée.";
