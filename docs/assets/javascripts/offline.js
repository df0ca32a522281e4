// Registers the service worker (sw.js, at the site's root): after one visit,
// the course works offline. After the reader's first verdict (exercise.js marks
// the result with data-score), it asks the service worker to keep every page,
// asset and the runtime: the download is over by then, and a reader who only
// reads is not charged for it.
//
// window.__offline.status, for the tests: unsupported | registering | registered
// | caching | cached | failed.

const offline = { status: "unsupported", message: "" };
window.__offline = offline;

function askToCacheCourse() {
  offline.status = "caching";
  navigator.serviceWorker.ready.then((registration) => {
    registration.active.postMessage({ type: "cache-course" });
  });
}

function register() {
  offline.status = "registering";
  navigator.serviceWorker.register(new URL("../../sw.js", import.meta.url)).then(
    () => {
      if (offline.status === "registering") offline.status = "registered";
    },
    (error) => {
      offline.status = "failed";
      offline.message = String(error);
    },
  );
}

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.addEventListener("message", (event) => {
    const message = event.data || {};
    if (message.type !== "course-cached") return;
    offline.status = message.ok ? "cached" : "failed";
    offline.message = message.message || "";
  });
  navigator.serviceWorker.startMessages();
  const firstVerdict = new MutationObserver((records) => {
    if (!records.some((record) => record.target.hasAttribute("data-score"))) return;
    firstVerdict.disconnect();
    askToCacheCourse();
  });
  firstVerdict.observe(document.documentElement, { subtree: true, attributes: true, attributeFilter: ["data-score"] });
  // After the page's own loading, which comes first.
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true });
}
