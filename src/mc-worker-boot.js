// The Monte Carlo worker's entry (a module worker; see src/monte_carlo.rs and crates/mc-worker).
// It loads the worker's wasm-bindgen module and its wasm with the same version query the page
// started it with, so a new deployment never runs an old worker from a cache. The worker says
// it is ready once its wasm has started; until then the page keeps its messages.
const version = new URL(import.meta.url).search;
const { default: init } = await import(`./mc-worker.js${version}`);
await init({ module_or_path: new URL(`./mc-worker_bg.wasm${version}`, import.meta.url) });
