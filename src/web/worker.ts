/**
 * The worker side: the page starts its own script again as a worker (a blob: URL of the inline
 * script's text, so nothing is fetched), and there the script answers analysis and export
 * requests instead of building the page.
 */
import { analyzeInputs, pcapngOf } from "./engine.js";
import type { WorkerReply, WorkerRequest } from "./protocol.js";

interface WorkerScope {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerReply, transfer?: Transferable[]): void;
}

export function startWorker(scope: WorkerScope): void {
  scope.onmessage = (event) => {
    const request = event.data;
    void handle(scope, request).catch((err: unknown) => {
      scope.postMessage({ id: request.id, kind: "error", message: err instanceof Error ? err.message : String(err) });
    });
  };
  // the page learns that the worker runs: a failure after this is a crash, not a blocked worker
  scope.postMessage({ id: 0, kind: "ready" });
}

async function handle(scope: WorkerScope, request: WorkerRequest): Promise<void> {
  switch (request.kind) {
    case "analyze": {
      let last = 0;
      const analysis = await analyzeInputs(request.inputs, (done, total) => {
        const t = Date.now();
        if (t - last < 100 && done < total) return;
        last = t;
        scope.postMessage({ id: request.id, kind: "progress", done, total });
      });
      scope.postMessage({ id: request.id, kind: "analysis", analysis });
      return;
    }
    case "pcapng": {
      const result = await pcapngOf(request.input, request.start, request.application);
      scope.postMessage({ id: request.id, kind: "pcapng", result }, result.ok ? [result.bytes.buffer as ArrayBuffer] : []);
      return;
    }
  }
}
