// The names three places agree on: the page modules, the worker
// (exercise-worker.js) and the Markdown extension that writes the widget's
// HTML (hooks/exercise_block.py, whose ROLE and ACTION dicts a test compares
// with these).

// Messages between the page and the worker.
//   page → worker: {type: GRADE, seq, id, text}
//   worker → page: {type: READY, ms, version, steps}
//                  {type: FAILED, message}
//                  {type: RESULT, seq, result, ms}   (ms: the grade call, in the worker)
//                  {type: ERROR, seq, message}
export const MESSAGE = Object.freeze({
  GRADE: "grade",
  READY: "ready",
  FAILED: "failed",
  RESULT: "result",
  ERROR: "error",
});

// data-role: the parts of the widget and of the progress page the extension writes.
export const ROLE = Object.freeze({
  REPLY: "reply",
  STATUS: "status",
  COPIED: "copied",
  RESULT: "result",
  MODEL: "model",
  LOCK: "lock",
  LOCK_LABEL: "lock-label",
  MODEL_BODY: "model-body",
  SUMMARY: "summary",
  STATE: "state",
  TOOLS: "tools",
  IMPORT_FILE: "import-file",
});

// data-action: the buttons the extension writes.
export const ACTION = Object.freeze({
  CHECK: "check",
  COPY_LINK: "copy-link",
  REVEAL: "reveal",
  EXPORT: "export",
  IMPORT: "import",
  ERASE: "erase",
});
