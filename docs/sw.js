// Service worker: after one visit, the course works offline.
//
// hooks/offline.py fills in the four constants below at build time:
//   BUILD         a hash of every file the site ships: a new build gives a new
//                 sw.js, which the browser installs in place of this one;
//   RUNTIME       a hash of Pyodide, the standard library and the checker wheel;
//   COURSE        every page and asset of the course (addresses relative to this file);
//   RUNTIME_URLS  the files the exercise worker loads.
// Two caches: the course's, renewed with each build, and the runtime's, kept
// while it does not change (4 MB that a corrected sentence does not cost again).
// Every same-origin GET goes to the network first and falls back on the cache
// (offline); what comes back is kept. The runtime, whose files change only with
// their address or with RUNTIME, is served from the cache first.
//
// Message in:  {type: "cache-course"} (offline.js, after the reader's first verdict)
// Message out: {type: "course-cached", ok, message}

const BUILD = "__OFFLINE_BUILD__";
const RUNTIME = "__OFFLINE_RUNTIME__";
const COURSE = /*__OFFLINE_COURSE__*/ [];
const RUNTIME_URLS = /*__OFFLINE_RUNTIME_URLS__*/ [];

const PREFIX = "dnspc-";
const COURSE_CACHE = `${PREFIX}course-${BUILD}`;
const RUNTIME_CACHE = `${PREFIX}runtime-${RUNTIME}`;
const SCOPE = new URL("./", self.location.href).href;
const runtimeUrls = new Set(RUNTIME_URLS.map((url) => new URL(url, SCOPE).href));
const PARALLEL = 4;

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = (await caches.keys()).filter((name) => name.startsWith(PREFIX));
      const hadCourse = names.some((name) => name.startsWith(`${PREFIX}course-`) && name !== COURSE_CACHE);
      const stale = names.filter((name) => name !== COURSE_CACHE && name !== RUNTIME_CACHE);
      await Promise.all(stale.map((name) => caches.delete(name)));
      // The wheel's address changes with the exercises: drop the runtime's old addresses.
      const runtime = await caches.open(RUNTIME_CACHE);
      for (const request of await runtime.keys()) {
        if (!runtimeUrls.has(request.url)) await runtime.delete(request);
      }
      await self.clients.claim();
      // The reader had the course offline: the new build's course replaces it.
      if (hadCourse) await cacheCourse().catch(() => {});
    })(),
  );
});

function keepable(response) {
  // Same-origin, complete, not redirected: what a navigation may be answered with.
  return response.ok && response.type === "basic" && !response.redirected;
}

async function fromNetwork(event, cacheName) {
  const response = await fetch(event.request);
  if (keepable(response)) {
    const copy = response.clone();
    event.waitUntil(caches.open(cacheName).then((cache) => cache.put(event.request, copy)));
  }
  return response;
}

async function networkFirst(event) {
  try {
    return await fromNetwork(event, COURSE_CACHE);
  } catch (error) {
    const cached = await caches.match(event.request, { ignoreVary: true });
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(event) {
  const cached = await caches.match(event.request, { ignoreVary: true });
  return cached || fromNetwork(event, RUNTIME_CACHE);
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET" || !request.url.startsWith(SCOPE)) return;
  const url = request.url.split("#")[0];
  event.respondWith(runtimeUrls.has(url) ? cacheFirst(event) : networkFirst(event));
});

async function keepAll(cacheName, urls) {
  const cache = await caches.open(cacheName);
  const queue = urls.map((url) => new URL(url, SCOPE).href);
  const failed = [];
  async function next() {
    for (let url = queue.shift(); url; url = queue.shift()) {
      if (await cache.match(url, { ignoreVary: true })) continue;
      try {
        const response = await fetch(url);
        if (keepable(response)) await cache.put(url, response);
        else failed.push(url);
      } catch (error) {
        failed.push(url);
      }
    }
  }
  await Promise.all(Array.from({ length: PARALLEL }, next));
  if (failed.length) throw new Error(`${failed.length} fichiers n'ont pas pu être gardés`);
}

async function cacheCourse() {
  await keepAll(RUNTIME_CACHE, RUNTIME_URLS);
  await keepAll(COURSE_CACHE, COURSE);
}

self.addEventListener("message", (event) => {
  if (!event.data || event.data.type !== "cache-course") return;
  const reply = (message) => event.source && event.source.postMessage({ type: "course-cached", ...message });
  event.waitUntil(
    cacheCourse().then(
      () => reply({ ok: true }),
      (error) => reply({ ok: false, message: String(error && error.message ? error.message : error) }),
    ),
  );
});
