// Outage Drill's service worker: after one visit, the site reloads and runs with no network.
//
// It keeps every file of one build in a cache named after the build, filled when it installs,
// and answers the site's requests from that cache (the page's navigation with the cached page).
// A new deployment brings a new service worker (the build writes a new manifest into this file),
// which installs its own cache beside the running one and waits: the page says a new version is
// ready and, when asked, tells it to take over and reloads. Old and new files never mix, and the
// old cache is deleted once the new version is active.
//
// The manifest below is written by scripts/sw-manifest.py (a Trunk post-build hook): the build's
// id, its files, and whether to cache at all (development builds pass every request through).
const MANIFEST = /*OUTAGE_DRILL_MANIFEST*/ { build: "unbuilt", files: [], cache: false };
const PREFIX = "outage-drill-";
const CACHE = `${PREFIX}${MANIFEST.build}`;

self.addEventListener("install", (event) => {
  if (!MANIFEST.cache) return;
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(["./", ...MANIFEST.files])));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith(PREFIX) && key !== CACHE) await caches.delete(key);
      }
    })(),
  );
});

// The page asks a waiting new version to take over (then reloads when it has).
self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  if (!MANIFEST.cache) return;
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  const scope = new URL(self.registration.scope);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      // The worker's files are asked for with the build's version as a query: the cache holds
      // this build's files under their plain names.
      const hit =
        request.mode === "navigate"
          ? await cache.match("./")
          : await cache.match(request, { ignoreSearch: true });
      return hit || fetch(request);
    })(),
  );
});
