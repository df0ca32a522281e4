// Entry point of the exercise widgets and of the "Ma progression" page.
//
// Loaded once per visit as an ES module (mkdocs.yml, extra_javascript);
// Material's `document$` tells us each time a page is shown (instant
// navigation), and we bind what the new page holds. One module per concern:
//
//   protocol.js        names shared with the worker and the Markdown extension
//   storage.js         the reader's progress in localStorage
//   checker-client.js  the worker (Pyodide + checker): start, grade, cancel
//   result.js          one result rendered in its exercise's result box
//   widget.js          an exercise widget: reply, buttons, status, model answer
//   progress.js        the "Ma progression" page: table, export, import, erase
//   dom.js             small DOM helpers (text only, never HTML)
//
// Without JavaScript the lessons, hints and model answers stay readable.

import { bindExercise, focusTarget } from "./widget.js";

function bindPage() {
  document.documentElement.classList.add("exercise-js");
  for (const section of document.querySelectorAll("section.exercise[data-exercise]")) bindExercise(section);
  const roots = document.querySelectorAll("[data-progress]");
  // Only « Ma progression » needs its module: lesson pages do not download it.
  if (roots.length) import("./progress.js").then(({ bindProgress }) => roots.forEach(bindProgress));
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
