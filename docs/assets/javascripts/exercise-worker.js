// Module worker: self-hosted Pyodide + the checker wheel, answers grade requests.
//
// One worker serves the whole visit (checker-client.js starts it on first use).
// Everything comes from the site itself: ../checker.json (manifest written by
// hooks/site_build.py), ../pyodide/ (runtime copied from node_modules), the
// checker wheel and ../exercises/<id>.json.
//
// Messages in and out: MESSAGE in protocol.js.

import { MESSAGE } from "./protocol.js";

const ASSETS = new URL("../", import.meta.url);

let manifest = null;
let gradeJson = null;
let warmUpStep = null;
const exerciseCache = new Map();

function firstLine(error) {
  return String(error && error.message ? error.message : error).trim().split("\n")[0];
}

function lastLine(error) {
  return String(error && error.message ? error.message : error).trim().split("\n").pop();
}

async function fetchOk(url, what) {
  let response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`${what} est injoignable`);
  }
  if (!response.ok) {
    throw new Error(`${what} est introuvable (erreur ${response.status})`);
  }
  return response;
}

function versioned(name) {
  const url = new URL(name, ASSETS);
  if (manifest && manifest.build) url.searchParams.set("v", manifest.build);
  return url;
}

// Pyodide only logs a warning when pyodide.asm.wasm cannot be fetched or
// compiled (missing file, blocked WebAssembly) and then waits forever: turn
// that warning into a failure the reader is told about.
const wasmFailure = new Promise((resolve, reject) => {
  const warn = console.warn.bind(console);
  console.warn = (...args) => {
    if (typeof args[0] === "string" && args[0].startsWith("wasm instantiation failed")) {
      reject(new Error("le moteur Python (WebAssembly) n'a pas pu être chargé"));
    }
    warn(...args);
  };
});
wasmFailure.catch(() => {});

const ready = (async () => {
  const start = performance.now();
  if (typeof WebAssembly !== "object") {
    throw new Error("ce navigateur n'exécute pas WebAssembly");
  }
  // Pyodide's loader downloads while the manifest (its inputs) does.
  const pyodideModule = import(new URL("pyodide/pyodide.mjs", ASSETS).href);
  pyodideModule.catch(() => {});
  const manifestUrl = new URL("checker.json", ASSETS);
  manifest = await (await fetchOk(manifestUrl, "le fichier checker.json")).json();
  // Fetched while Pyodide starts.
  const wheelBytes = fetchOk(versioned(manifest.wheel), `le correcteur (${manifest.wheel})`).then((r) =>
    r.arrayBuffer(),
  );
  wheelBytes.catch(() => {});
  let loadPyodide;
  try {
    ({ loadPyodide } = await pyodideModule);
  } catch (error) {
    throw new Error("Pyodide (pyodide.mjs) n'a pas pu être chargé");
  }
  let pyodide;
  try {
    pyodide = await Promise.race([
      loadPyodide({
        indexURL: new URL("pyodide/", ASSETS).href,
        // Compiled at build time (hooks/runtime.py); no package, so no lock file to fetch.
        stdLibURL: new URL(manifest.pyodide.stdlib, ASSETS).href,
        lockFileContents: { info: manifest.pyodide.lock_info, packages: {} },
        stdout: () => {},
        stderr: () => {},
      }),
      wasmFailure,
    ]);
  } catch (error) {
    if (error && error.message && error.message.startsWith("le moteur Python")) throw error;
    throw new Error(`Python (Pyodide) n'a pas pu démarrer : ${firstLine(error)}`);
  }
  const tPyodide = performance.now();
  const wheel = await wheelBytes;
  const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
  pyodide.unpackArchive(wheel, "wheel", { extractDir: sitePackages });
  const tWheel = performance.now();
  // checker/bridge.py is the one door to the grader: the parity test calls it too.
  const bridge = pyodide.pyimport("checker.bridge");
  gradeJson = bridge.grade_json;
  warmUpStep = bridge.warm_up;
  const version = bridge.version;
  const end = performance.now();
  return {
    ms: end - start,
    version,
    steps: { pyodide: tPyodide - start, wheel: tWheel - tPyodide, importChecker: end - tWheel },
  };
})();

// After "ready", compile the checker's patterns in small slices between
// messages, so that the reader's first gradings do not pay for it.
async function warmUp(step) {
  try {
    while (!step(25)) await new Promise((resolve) => setTimeout(resolve, 0));
  } catch (error) {
    // Warming up is an optimisation: a failure here only costs speed.
  }
}

ready.then(
  (info) => {
    postMessage({ type: MESSAGE.READY, ...info });
    if (warmUpStep) warmUp(warmUpStep);
  },
  (error) => postMessage({ type: MESSAGE.FAILED, message: String(error && error.message ? error.message : error) }),
);

async function exerciseJson(id) {
  if (!exerciseCache.has(id)) {
    if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new Error(`identifiant d'exercice invalide : ${id}`);
    const promise = fetchOk(versioned(`exercises/${id}.json`), `l'exercice ${id}`).then((r) => r.text());
    exerciseCache.set(id, promise);
    promise.catch(() => exerciseCache.delete(id));
  }
  return exerciseCache.get(id);
}

self.addEventListener("message", async (event) => {
  const message = event.data || {};
  if (message.type !== MESSAGE.GRADE) return;
  const { seq, id, text } = message;
  try {
    await ready;
    const exercise = await exerciseJson(id);
    const start = performance.now();
    const out = JSON.parse(gradeJson(exercise, String(text)));
    const ms = performance.now() - start;
    if (out.error) {
      postMessage({ type: MESSAGE.ERROR, seq, message: out.error });
      return;
    }
    postMessage({ type: MESSAGE.RESULT, seq, result: out, ms });
  } catch (error) {
    // A Python traceback's last line says what went wrong.
    postMessage({ type: MESSAGE.ERROR, seq, message: lastLine(error) });
  }
});
