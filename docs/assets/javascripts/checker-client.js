// The page's side of the worker (exercise-worker.js: Pyodide + checker).
//
// One module worker serves the whole visit; it starts when the reader first
// focuses an exercise or asks for a check, never on pages without exercises.
// Whoever shows the checker's state listens with onCheckerChange().

import { MESSAGE } from "./protocol.js";

const SLOW_START_MS = 15000;
const START_TIMEOUT_MS = 180000;
// A grading cancelled by the reader rejects with this message.
export const CANCELLED = "cancelled";

export const checker = {
  state: "idle", // idle | loading | ready | failed
  message: "", // why it failed, or "slow" while a slow start goes on
  version: "", // the checker's, once ready (flags record it)
  worker: null,
  seq: 0,
  pending: new Map(),
  waiters: [],
  listeners: [],
  timer: null,
  stats: { startedAt: null, readyMs: null, workerMs: null, steps: null },
};

export function onCheckerChange(listener) {
  checker.listeners.push(listener);
}

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
  for (const listener of checker.listeners) listener(checker);
}

function onMessage(event) {
  const message = event.data || {};
  if (message.type === MESSAGE.READY) {
    checker.stats.readyMs = performance.now() - checker.stats.startedAt;
    checker.stats.workerMs = message.ms;
    checker.stats.steps = message.steps;
    checker.version = String(message.version || "");
    setChecker("ready");
  } else if (message.type === MESSAGE.FAILED) {
    setChecker("failed", message.message);
  } else if (message.type === MESSAGE.RESULT || message.type === MESSAGE.ERROR) {
    const pending = checker.pending.get(message.seq);
    if (!pending) return;
    checker.pending.delete(message.seq);
    if (message.type === MESSAGE.RESULT) pending.resolve(message);
    else pending.reject(new Error(message.message));
  }
}

export function startChecker() {
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
  worker.addEventListener("message", onMessage);
  worker.addEventListener("error", (event) => {
    event.preventDefault();
    if (checker.state === "loading") setChecker("failed", "le correcteur n'a pas pu être chargé");
  });
}

// Stop every grading under way: the worker is ended and restarted on next use.
export function cancelGradings() {
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

// Resolves with the worker's RESULT message: {result, ms}.
export async function grade(id, text) {
  startChecker();
  await whenSettled();
  if (checker.state !== "ready") throw new Error(checker.message);
  checker.seq += 1;
  const seq = checker.seq;
  return new Promise((resolve, reject) => {
    checker.pending.set(seq, { resolve, reject });
    checker.worker.postMessage({ type: MESSAGE.GRADE, seq, id, text });
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
