// The Monte Carlo worker's entry (a module worker; see src/monte_carlo.rs and crates/mc-worker).
// It loads the worker's wasm-bindgen module and starts its wasm; the worker then says it is ready.
// The build (scripts/post_build.py) gives this file, that module and the wasm content-hashed
// names and writes them into the two names below and into the page, so a page only ever starts
// the worker of its own build, whatever was deployed since, with or without the service worker.
import init from "./mc-worker.js";

await init({ module_or_path: new URL("./mc-worker_bg.wasm", import.meta.url) });
