/**
 * The page's one script. On the page it builds the UI; started again as a worker (from a blob:
 * URL of its own text, see client.ts) it answers analysis requests instead. One bundle, so the
 * core the worker runs is byte for byte the one the page runs, and it is inlined only once.
 */
import { startApp } from "./app.js";
import { startWorker } from "./worker.js";

if (typeof document === "undefined") {
  startWorker(self as unknown as Parameters<typeof startWorker>[0]);
} else {
  const script = document.currentScript?.textContent ?? null;
  const go = () => startApp(script);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", go, { once: true });
  else go();
}
