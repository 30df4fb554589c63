// Starts the app. Trunk's own loader is an inline script, which the page's content security
// policy forbids; this external module does the same job. The build (Trunk.toml,
// pattern_script) writes the hashed names of the wasm-bindgen JS and the wasm into the JSON data
// block #app-entry. If the app cannot start (a file failed to load, the browser lacks
// WebAssembly), the loading skeleton is replaced by a readable message instead of spinning forever.

const FATAL_ID = "fatal-error";

function showLoadFailure(error) {
  console.error("Outage Drill could not start:", error);
  // The app's own panic hook got there first: its message is the more precise one.
  if (document.getElementById(FATAL_ID)) return;
  const panel = document.createElement("section");
  panel.id = FATAL_ID;
  panel.className = "error-panel";
  panel.setAttribute("role", "alert");
  const add = (tag, text, className) => {
    const el = document.createElement(tag);
    el.textContent = text;
    if (className) el.className = className;
    panel.append(el);
    return el;
  };
  add("h1", "Outage Drill could not start");
  add("p", "Part of the app failed to load. Check your connection, then reload the page.");
  add("pre", String(error && error.message ? error.message : error), "detail");
  const reload = add("a", "Reload the page", "reload");
  reload.href = "";
  document.body.replaceChildren(panel);
}

// The key of the last session's record (src/session.rs): a visit that has one, or a link in the
// address, opens the app itself rather than the start screen (src/shell.rs decides the same).
const SESSION_KEY = "outage-drill:session";

function opensTheApp() {
  try {
    return location.hash.replace(/^#/, "").trim() !== "" || localStorage.getItem(SESSION_KEY) !== null;
  } catch {
    return false;
  }
}

try {
  const entry = JSON.parse(document.getElementById("app-entry").textContent);
  const base = document.baseURI;
  // Such a visit needs the app's chunk at once: fetched alongside the page, not after it (the
  // split loader's own fetch of the same address then takes this response).
  if (entry.app && opensTheApp()) {
    const preload = document.createElement("link");
    preload.rel = "preload";
    preload.as = "fetch";
    preload.crossOrigin = "anonymous";
    preload.href = new URL(entry.app, base).href;
    document.head.append(preload);
  }
  const { default: init } = await import(new URL(entry.js, base).href);
  const wasm = await init({ module_or_path: new URL(entry.wasm, base) });
  dispatchEvent(new CustomEvent("TrunkApplicationStarted", { detail: { wasm } }));
} catch (error) {
  showLoadFailure(error);
}
