/**
 * The page's analysis client (src/web/client.ts) with a stand-in Worker: every input, small pastes
 * too, goes to the worker; a worker that dies while analysing is a WorkerCrashed (the page says
 * so and stays) and the next analysis gets a fresh worker; only a worker that never ran makes the
 * page fall back to its main thread.
 */
import { AnalysisClient, WorkerCrashed } from "../src/web/client.js";

interface Message {
  id: number;
  kind: string;
}

class FakeWorker {
  static made: FakeWorker[] = [];
  static startsFine = true;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onerror: ((e: { message: string; preventDefault(): void }) => void) | null = null;
  posted: Message[] = [];
  terminated = false;

  constructor() {
    FakeWorker.made.push(this);
    queueMicrotask(() => {
      if (FakeWorker.startsFine) this.onmessage?.({ data: { id: 0, kind: "ready" } });
    });
  }

  postMessage(m: Message): void {
    this.posted.push(m);
  }

  terminate(): void {
    this.terminated = true;
  }

  crash(message: string): void {
    this.onerror?.({ message, preventDefault() {} });
  }
}

const SEED_LINE = "2010-10-27 12:40:19.050364 port1 out 82.x.x.x.59730 -> 82.71.226.65.8889: udp 64\n";
const tick = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => {
  FakeWorker.made = [];
  FakeWorker.startsFine = true;
  (globalThis as unknown as { Worker: unknown }).Worker = FakeWorker;
});

afterAll(() => {
  delete (globalThis as unknown as { Worker?: unknown }).Worker;
});

test("a small paste is analysed in the worker, not on the page", async () => {
  const client = new AnalysisClient("/* page script */");
  const job = client.analyze([{ name: "pasted", text: SEED_LINE }]);
  expect(job.where).toBe("worker");
  await tick();
  const w = FakeWorker.made[0] as FakeWorker;
  expect(w.posted.map((m) => m.kind)).toEqual(["analyze"]);
  const id = (w.posted[0] as Message).id;
  w.onmessage?.({ data: { id, kind: "analysis", analysis: { report: null, inputs: [], ms: 1 } } });
  await expect(job.result).resolves.toMatchObject({ ms: 1 });
});

test("a worker that dies while analysing: WorkerCrashed, and the next analysis starts a fresh worker", async () => {
  const client = new AnalysisClient("/* page script */");
  const job = client.analyze([{ name: "pasted", text: SEED_LINE }]);
  await tick();
  (FakeWorker.made[0] as FakeWorker).crash("out of memory");
  await expect(job.result).rejects.toBeInstanceOf(WorkerCrashed);
  await expect(job.result).rejects.toThrow(/the page is still usable/);
  const again = client.analyze([{ name: "pasted", text: SEED_LINE }]);
  expect(again.where).toBe("worker");
  expect(FakeWorker.made).toHaveLength(2);
  expect((FakeWorker.made[0] as FakeWorker).terminated).toBe(true);
  again.result.catch(() => undefined);
});

test("a worker that never ran (the browser forbids it): the page analyses on its own thread", async () => {
  FakeWorker.startsFine = false;
  const client = new AnalysisClient("/* page script */");
  const job = client.analyze([{ name: "pasted", text: SEED_LINE }]);
  expect(job.where).toBe("worker");
  await tick();
  (FakeWorker.made[0] as FakeWorker).crash("blocked");
  await expect(job.result).rejects.not.toBeInstanceOf(WorkerCrashed);
  const fallback = client.analyze([{ name: "pasted", text: SEED_LINE }]);
  expect(fallback.where).toBe("page");
  const analysis = await fallback.result;
  expect(analysis.report.inputs[0]?.source).toBe("pasted");
});
