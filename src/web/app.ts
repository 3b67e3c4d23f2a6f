/**
 * The page: inputs (one paste, or the files dropped or opened), analysis as you paste (typing is
 * debounced, a paste or a drop is analysed at once; big inputs in a worker), the results, and
 * the copy / download actions. State lives here; rendering is in results.ts, the paste area in
 * editor.ts.
 */
import { renderHtml } from "../render/html.js";
import { renderMarkdown } from "../render/markdown.js";
import { VERSION } from "../version.js";
import { AnalysisClient, Cancelled, WorkerCrashed, type Where } from "./client.js";
import { jsonSafe, safeStrings } from "../safe-text.js";
import { h, replaceKids } from "./dom.js";
import { analysisText, displayText, Editor } from "./editor.js";
import { inputSize, type Analysis, type WebInput } from "./engine.js";
import { readFileText, uniqueNames } from "./files.js";
import { copyText, download, stem } from "./io.js";
import { renderAnalysis, renderWelcome } from "./results.js";

interface InputState {
  name: string;
  /** the text as the textarea shows it (lone `\r` as `␍`) */
  shown: string;
  /** a dropped file's modification time (epoch seconds); null for a paste */
  modified: number | null;
  /** an opened file and the text shown for it: the analysis reads the file while `shown` is still that text */
  file?: { file: Blob; shown: string };
}

/** The name a pasted input has in the report (as `sniffdiag analyze pasted` would call it). */
export const PASTE_NAME = "pasted";

const TYPING_DELAY = 300;
const TYPING_DELAY_BIG = 800;

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`the page has no #${id}`);
  return el as T;
}

function formatSize(chars: number): string {
  if (chars < 1024) return `${chars} characters`;
  if (chars < 1024 * 1024) return `${(chars / 1024).toFixed(1)} k characters`;
  return `${(chars / 1024 / 1024).toFixed(1)} M characters`;
}

export function startApp(script: string | null): void {
  const client = new AnalysisClient(script);
  const editor = new Editor(byId("editor"));
  const tabs = byId("tabs");
  const inputInfo = byId("input-info");
  const status = byId("status");
  const progress = byId<HTMLProgressElement>("progress");
  const report = byId("report");
  const results = byId("results");
  const fileInput = byId<HTMLInputElement>("file");
  const dropZone = byId("drop");
  const buttons = {
    copy: byId<HTMLButtonElement>("copy-md"),
    md: byId<HTMLButtonElement>("dl-md"),
    html: byId<HTMLButtonElement>("dl-html"),
    json: byId<HTMLButtonElement>("dl-json"),
    pcapng: byId<HTMLButtonElement>("dl-pcapng"),
  };
  byId("version").textContent = VERSION;

  let inputs: InputState[] = [{ name: PASTE_NAME, shown: "", modified: null }];
  let selected = 0;
  let analysis: Analysis | null = null;
  let analysed = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let run = 0;

  function setStatus(text: string, state: "idle" | "busy" | "done" | "error", where?: Where): void {
    status.textContent = text;
    status.dataset["state"] = state;
    if (where !== undefined) status.dataset["where"] = where;
  }

  function current(): InputState {
    return inputs[selected] ?? (inputs[0] as InputState);
  }

  function webInputs(): WebInput[] {
    return inputs.map(webInput);
  }

  function webInput(i: InputState): WebInput {
    // an opened file not edited since: the file itself, read by the worker as the CLI reads it (no 100 MB string to clone)
    if (i.file !== undefined && i.file.shown === i.shown) return { name: i.name, text: "", file: i.file.file };
    return { name: i.name, text: analysisText(i.shown) };
  }

  function updateInputInfo(): void {
    const text = current().shown;
    inputInfo.textContent = text === "" ? "" : `${formatSize(text.length)}${editor.readOnly ? " · read-only (large input; paste to replace it)" : ""}`;
  }

  function drawTabs(): void {
    tabs.hidden = inputs.length < 2;
    if (inputs.length < 2) {
      tabs.replaceChildren();
      return;
    }
    replaceKids(
      tabs,
      inputs.map((input, i) => {
        const tab = h("button", { type: "button", role: "tab", class: "tab", id: `tab-${i}`, "aria-selected": i === selected ? "true" : "false", "aria-controls": "text", tabindex: i === selected ? "0" : "-1", title: input.name }, input.name);
        tab.addEventListener("click", () => select(i));
        tab.addEventListener("keydown", (event) => {
          const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
          if (step === 0 && event.key !== "Home" && event.key !== "End") return;
          event.preventDefault();
          const next = event.key === "Home" ? 0 : event.key === "End" ? inputs.length - 1 : (selected + step + inputs.length) % inputs.length;
          select(next);
          document.getElementById(`tab-${next}`)?.focus();
        });
        return tab;
      }),
    );
  }

  function select(i: number): void {
    if (i === selected || inputs[i] === undefined) return;
    selected = i;
    editor.setValue(current().shown);
    drawTabs();
    updateInputInfo();
    updateButtons();
  }

  function updateButtons(): void {
    const have = analysis !== null && analysis.report.inputs.length > 0;
    buttons.copy.disabled = !have;
    buttons.md.disabled = !have;
    buttons.html.disabled = !have;
    buttons.json.disabled = !have;
    const target = pcapngTarget();
    buttons.pcapng.disabled = target === null;
    buttons.pcapng.title =
      target !== null
        ? `Packets of ${target.name} with their hex dump, as a pcapng file for Wireshark`
        : "Needs packets with hex dumps: capture with verbose 3 or 6 (diagnose sniffer packet any '<filter>' 6 0 a)";
  }

  /** The input a pcapng download writes: the one shown, else the first with hex dumps. */
  function pcapngTarget(): InputState | null {
    if (analysis === null) return null;
    const facts = analysis.inputs;
    const mine = facts.find((f) => f.name === current().name);
    if (mine?.hasHex === true) return current();
    const other = facts.find((f) => f.hasHex);
    return other === undefined ? null : (inputs.find((i) => i.name === other.name) ?? null);
  }

  function schedule(delay: number): void {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void analyse();
    }, delay);
  }

  async function analyse(): Promise<void> {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    const mine = ++run;
    const list = webInputs();
    if (inputs.every((i) => i.shown.trim() === "")) {
      client.cancelAll();
      analysis = null;
      progress.hidden = true;
      renderWelcome(report);
      setStatus("Waiting for input.", "idle");
      updateButtons();
      return;
    }
    const size = list.reduce((n, i) => n + inputSize(i), 0);
    const began = Date.now();
    const job = client.analyze(list, (done, total) => {
      if (mine !== run) return;
      progress.hidden = false;
      progress.max = total;
      progress.value = done;
      setStatus(`Analysing ${formatSize(total)} in the background… ${Math.floor((done / Math.max(1, total)) * 100)} %${rateAndEta(done, total, Date.now() - began)}`, "busy", "worker");
    });
    if (job.where === "worker") {
      progress.hidden = false;
      progress.removeAttribute("value");
      setStatus(`Analysing ${formatSize(size)} in the background…`, "busy", "worker");
    }
    let result: Analysis;
    try {
      result = await job.result;
    } catch (err) {
      if (err instanceof Cancelled || mine !== run) return;
      if (job.where === "worker" && !(err instanceof WorkerCrashed)) {
        // the worker could not run: once more on the page
        try {
          result = await client.analyze(list).result;
        } catch (again) {
          fail(again);
          return;
        }
      } else {
        fail(err);
        return;
      }
    }
    if (mine !== run) return;
    // the reply of a big analysis took its own task to arrive: render in the next one
    if (job.where === "worker" && size > 1 << 20) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (mine !== run) return;
    }
    progress.hidden = true;
    analysis = result;
    // what the input says is shown, never obeyed: control and bidi characters as visible escapes
    renderAnalysis(report, { ...result, report: safeStrings(result.report) }, { jump });
    results.dataset["analysis"] = String(++analysed);
    const lines = result.report.inputs.reduce((n, i) => n + i.lines, 0);
    const s = result.report.summary;
    const verdicts = s.errors + s.warnings + s.infos + s.oks;
    const took = `${Math.max(1, Math.round(result.ms))} ms${job.where === "worker" ? " (in the background)" : ""}`;
    if (result.inputs.every((i) => !i.hasCapture)) setStatus(`No sniffer output found (${took}).`, "done", job.where);
    else setStatus(`${verdicts} ${verdicts === 1 ? "verdict" : "verdicts"} from ${lines.toLocaleString("en-US")} lines in ${took}.`, "done", job.where);
    updateButtons();
  }

  function fail(err: unknown): void {
    progress.hidden = true;
    setStatus(`The analysis failed: ${err instanceof Error ? err.message : String(err)}`, "error");
  }

  function jump(source: string, line: number): void {
    const i = inputs.findIndex((x) => x.name === source);
    if (i < 0) return;
    select(i);
    for (const el of report.querySelectorAll("[aria-current]")) el.removeAttribute("aria-current");
    for (const el of report.querySelectorAll<HTMLElement>(".ev[data-line]")) {
      if (el.dataset["line"] === String(line) && el.dataset["source"] === source) el.setAttribute("aria-current", "true");
    }
    if (editor.showLine(line)) setStatus(`Line ${line}${inputs.length > 1 ? ` of ${source}` : ""} is highlighted in the input.`, "done");
    else setStatus(`Line ${line} is not in ${source} any more (the text changed since the analysis).`, "done");
  }

  // ----- input: typing, pasting, files -------------------------------------------------------

  editor.onChange = (kind) => {
    current().shown = editor.value;
    updateInputInfo();
    if (kind === "pasted") void analyse();
    else schedule(editor.value.length > 200_000 ? TYPING_DELAY_BIG : TYPING_DELAY);
  };

  async function loadFiles(files: readonly File[]): Promise<void> {
    if (files.length === 0) return;
    setStatus(`Reading ${files.length === 1 ? (files[0]?.name ?? "1 file") : `${files.length} files`}…`, "busy");
    const loaded = [];
    const problems: string[] = [];
    for (const f of files) {
      try {
        loaded.push(await readFileText(f));
      } catch (err) {
        problems.push(err instanceof Error ? err.message : String(err));
      }
    }
    if (loaded.length === 0) {
      setStatus(problems.join("; ") || "Nothing could be read.", "error");
      return;
    }
    const names = uniqueNames(loaded.map((f) => f.name));
    inputs = loaded.map((f, i) => {
      const shown = displayText(f.text);
      return { name: names[i] ?? f.name, shown, modified: f.modified, file: { file: f.file, shown } };
    });
    selected = 0;
    // a big text: each step in a task of its own, so the page keeps drawing and answering
    if (current().shown.length > 1 << 20) await new Promise((resolve) => setTimeout(resolve, 0));
    editor.setValue(current().shown);
    drawTabs();
    updateInputInfo();
    // let the page draw the input before the analysis is sent off (two shorter tasks, not one long one)
    await new Promise((resolve) => setTimeout(resolve, 0));
    await analyse();
    if (problems.length > 0) setStatus(`${status.textContent ?? ""} Not read: ${problems.join("; ")}`, "done");
  }

  byId("open").addEventListener("click", () => fileInput.click());
  fileInput.addEventListener("change", () => {
    const files = Array.from(fileInput.files ?? []);
    fileInput.value = "";
    void loadFiles(files);
  });

  // Files dropped anywhere: never let the browser open them (that would leave the page).
  let dragDepth = 0;
  const hasFiles = (event: DragEvent) => Array.from(event.dataTransfer?.types ?? []).includes("Files");
  window.addEventListener("dragenter", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    dragDepth++;
    dropZone.hidden = false;
  });
  window.addEventListener("dragover", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    if (event.dataTransfer !== null) event.dataTransfer.dropEffect = "copy";
  });
  window.addEventListener("dragleave", (event) => {
    if (!hasFiles(event)) return;
    dragDepth = Math.max(0, dragDepth - 1);
    if (dragDepth === 0) dropZone.hidden = true;
  });
  window.addEventListener("drop", (event) => {
    dragDepth = 0;
    dropZone.hidden = true;
    if (!hasFiles(event)) return;
    event.preventDefault();
    void loadFiles(Array.from(event.dataTransfer?.files ?? []));
  });

  byId("clear").addEventListener("click", () => {
    inputs = [{ name: PASTE_NAME, shown: "", modified: null }];
    selected = 0;
    editor.setValue("");
    drawTabs();
    updateInputInfo();
    void analyse();
    editor.focus();
  });

  // ----- actions ------------------------------------------------------------------------------

  function fileBase(): string {
    const report = analysis?.report;
    if (report !== undefined && report.inputs.length === 1 && report.inputs[0] !== undefined) return `${stem(report.inputs[0].source)}.sniffdiag`;
    return "sniffdiag-report";
  }

  buttons.copy.addEventListener("click", () => {
    if (analysis === null) return;
    const md = renderMarkdown(safeStrings(analysis.report));
    void copyText(md).then((ok) =>
      setStatus(ok ? `Markdown report copied (${md.length.toLocaleString("en-US")} characters): paste it into the ticket.` : "The browser did not allow copying; use Download .md instead.", ok ? "done" : "error"),
    );
  });
  buttons.md.addEventListener("click", () => {
    if (analysis !== null) download(`${fileBase()}.md`, renderMarkdown(safeStrings(analysis.report)), "text/markdown;charset=utf-8");
  });
  buttons.html.addEventListener("click", () => {
    if (analysis !== null) download(`${fileBase()}.html`, renderHtml(safeStrings(analysis.report)), "text/html;charset=utf-8");
  });
  buttons.json.addEventListener("click", () => {
    if (analysis !== null) download(`${fileBase()}.json`, jsonSafe(JSON.stringify(analysis.report, null, 2)) + "\n", "application/json");
  });
  buttons.pcapng.addEventListener("click", () => {
    const target = pcapngTarget();
    if (target === null) return;
    const start = target.modified ?? Date.now() / 1000;
    setStatus(`Writing pcapng of ${target.name}…`, "busy");
    const job = client.pcapng(webInput(target), start, `sniffdiag ${VERSION}`);
    job.result.then(
      (r) => {
        if (!r.ok) {
          setStatus(r.message, "error");
          return;
        }
        download(`${stem(target.name)}.pcapng`, r.bytes as Uint8Array<ArrayBuffer>, "application/vnd.tcpdump.pcap");
        const rel = r.summary.relative ? ` Relative timestamps count from ${new Date(start * 1000).toISOString()} (${target.modified !== null ? "the file's modification time" : "now"}).` : "";
        setStatus(`pcapng written: ${r.summary.packets} ${r.summary.packets === 1 ? "packet" : "packets"}.${rel}`, "done");
      },
      (err: unknown) => fail(err),
    );
  });

  renderWelcome(report);
  setStatus("Waiting for input.", "idle");
  updateButtons();
  drawTabs();
  editor.focus();
}

/** ` · 22.1 MB/s · about 4 s left`, once a rate can be told (after a quarter second). */
function rateAndEta(done: number, total: number, ms: number): string {
  if (ms < 250 || done <= 0) return "";
  const perSecond = done / (ms / 1000);
  const left = Math.max(0, Math.ceil((total - done) / perSecond));
  return ` · ${formatSize(Math.round(perSecond))}/s · about ${left} s left`;
}
