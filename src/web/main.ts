// The page: takes files (drop, file picker, folder picker), hands them to the Worker, and shows the report
// the CLI would print: the per-layer table, totals, findings, each row's explanation on click, and the
// downloads. Everything is built with DOM calls and textContent (names in a model file are untrusted).
// Nothing is fetched after load, unless the HDF5 library (h5wasm, about 4 MB) is chosen as the HDF5 reader.
import { bytes, count, shape } from '../report/format.js';
import type { Report } from '../model/types.js';
import type { InspectRequest, InspectResult, WorkerMessage } from './protocol.js';

type Dropped = InspectRequest['files'];

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const out = $('report');
const status = $('status');
const cancel = $<HTMLButtonElement>('cancel');

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

// ── the worker ──────────────────────────────────────────────────────────────────────────────────────

let worker: Worker;
let current = 0;
/** When the current files were given (the report's time on screen is measured from here). */
let started = 0;

function startWorker(): void {
  worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  worker.addEventListener('message', (ev: MessageEvent<WorkerMessage>) => onMessage(ev.data));
  worker.addEventListener('error', (ev) => {
    ev.preventDefault();
    fail(`kerascope: internal error: the worker stopped (${ev.message || 'no message'})`);
    restart();
  });
}

function restart(): void {
  worker.terminate();
  document.body.dataset.ready = 'false';
  startWorker();
}

function onMessage(m: WorkerMessage): void {
  if (m.type === 'ready') {
    document.body.dataset.ready = 'true';
    if (document.body.dataset.state === 'loading') setState('idle', 'Ready. Nothing you drop leaves this tab.');
    return;
  }
  if (m.id !== current && m.id !== 0) return;
  if (m.type === 'progress') setState('busy', `${m.stage}… ${bytes(m.bytes)} read so far in ${m.reads} range${m.reads === 1 ? '' : 's'}`);
  else if (m.type === 'result') show(m.result);
  else fail(m.line);
}

function setState(state: string, text: string): void {
  document.body.dataset.state = state;
  status.textContent = text;
  cancel.hidden = state !== 'busy';
}

function fail(line: string): void {
  out.replaceChildren(el('p', { id: 'error', class: 'error', role: 'alert' }, line));
  setState('error', 'Could not read the model.');
}

function inspectFiles(files: Dropped): void {
  if (!files.length) return;
  current++;
  started = performance.now();
  out.replaceChildren();
  setState('busy', `reading ${files.length} file${files.length === 1 ? '' : 's'}…`);
  const hdf5 = $<HTMLSelectElement>('hdf5').value === 'h5wasm' ? 'h5wasm' : 'typescript';
  worker.postMessage({ type: 'inspect', id: current, files, hdf5 } satisfies InspectRequest);
}

cancel.addEventListener('click', () => {
  current++;
  restart();
  setState('idle', 'Cancelled.');
});

// ── input ───────────────────────────────────────────────────────────────────────────────────────────

const relPath = (f: File) => f.webkitRelativePath || f.name;

for (const id of ['files', 'folder']) {
  const input = $<HTMLInputElement>(id);
  input.addEventListener('change', () => {
    inspectFiles([...(input.files ?? [])].map((file) => ({ path: relPath(file), file })));
    input.value = '';
  });
}

/** Every file under a dropped entry, with its path relative to the drop. */
async function walk(entry: FileSystemEntry, into: Dropped): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((ok, ko) => (entry as FileSystemFileEntry).file(ok, ko));
    into.push({ path: entry.fullPath.replace(/^\/+/, ''), file });
    return;
  }
  if (!entry.isDirectory) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((ok, ko) => reader.readEntries(ok, ko));
    if (!batch.length) break;
    for (const e of batch) await walk(e, into);
  }
}

const zone = $('drop');
for (const t of ['dragenter', 'dragover']) {
  document.addEventListener(t, (ev) => {
    ev.preventDefault();
    zone.classList.add('over');
  });
}
document.addEventListener('dragleave', () => zone.classList.remove('over'));
document.addEventListener('drop', (ev) => {
  ev.preventDefault();
  zone.classList.remove('over');
  const dt = ev.dataTransfer;
  if (!dt) return;
  const entries = [...dt.items].map((i) => i.webkitGetAsEntry?.() ?? null).filter((e): e is FileSystemEntry => e !== null);
  if (!entries.length) {
    inspectFiles([...dt.files].map((file) => ({ path: file.name, file })));
    return;
  }
  const files: Dropped = [];
  Promise.all(entries.map((e) => walk(e, files))).then(
    () => inspectFiles(files),
    (e: unknown) => fail(`kerascope: ${entries[0]!.name}: could not read the dropped files (${(e as Error)?.message ?? e})`),
  );
});

// ── the report ──────────────────────────────────────────────────────────────────────────────────────

const key = (l: { path: string[]; name: string }) => [...l.path, l.name].join('/');

function title(r: Report): string {
  const version = r.kerasVersion ? (/^\d/.test(r.kerasVersion) ? `, Keras ${r.kerasVersion}` : `, ${r.kerasVersion}`) : '';
  return `Model: ${r.file} (${r.format}${version})`;
}

function layerTable(res: InspectResult): HTMLTableElement {
  const heads = ['Layer (type)', 'Output Shape', 'Param #', 'Stored #', 'Status', 'Trainable'];
  const body = el('tbody');
  for (const l of res.report.layers) {
    const k = key(l);
    const params = l.className === null || l.params.trainable === null ? null : l.params.trainable + (l.params.nonTrainable ?? 0);
    const tr = el(
      'tr',
      {
        'data-layer': k,
        'data-class': l.className ?? '',
        'data-status': l.status,
        'data-params': String(params ?? ''),
        'data-stored': String(l.params.stored),
        'data-trainable': String(l.params.trainable ?? ''),
        tabindex: '0',
        title: 'show how this count comes about',
      },
      el('td', { class: 'name' }, `${'\u00a0\u00a0'.repeat(l.depth)}${l.name}${l.className ? ` (${l.className})` : ''}`),
      el('td', {}, shape(l.outputShape)),
      el('td', { class: 'num' }, count(params)),
      el('td', { class: 'num' }, count(l.params.stored)),
      el('td', { class: `status s-${l.status.replace(/\s+/g, '-')}` }, l.status),
      el('td', { class: 'num' }, count(l.params.trainable)),
    );
    const toggle = () => {
      const next = tr.nextElementSibling;
      if (next?.classList.contains('explain')) {
        next.remove();
        return;
      }
      const text =
        res.explain[k] ??
        (res.formulas[k] ? `${k}: ${res.formulas[k]}` : `${k}${l.className ? ` (${l.className})` : ''}: no weights, 0 parameters`);
      tr.after(el('tr', { class: 'explain', 'data-explain': k }, el('td', { colspan: String(heads.length) }, el('pre', {}, text))));
    };
    tr.addEventListener('click', toggle);
    tr.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        toggle();
      }
    });
    body.append(tr);
  }
  return el('table', { id: 'layers' }, el('thead', {}, el('tr', {}, ...heads.map((h) => el('th', {}, h)))), body);
}

function totals(r: Report): HTMLElement {
  const t = r.totals;
  const lines = [`Total params: ${count(t.params)} (${bytes(t.paramBytes)})`];
  if (t.trainable === null) lines.push('Trainable / non-trainable: unknown (no architecture says which weights train)');
  else {
    lines.push(`Trainable params: ${count(t.trainable)} (${bytes(t.trainableBytes ?? 0)})`);
    lines.push(`Non-trainable params: ${count(t.nonTrainable)} (${bytes(t.nonTrainableBytes ?? 0)})`);
  }
  lines.push(`Stored: ${count(t.stored)} values (${bytes(t.storedBytes)} on disk)`);
  if (t.optimizerStored) lines.push(`Optimizer state stored: ${count(t.optimizerStored)} values (not model parameters)`);
  return el(
    'div',
    {
      id: 'totals',
      'data-params': String(t.params),
      'data-trainable': String(t.trainable ?? ''),
      'data-non-trainable': String(t.nonTrainable ?? ''),
      'data-stored': String(t.stored),
      'data-optimizer-stored': String(t.optimizerStored),
    },
    ...lines.map((x) => el('div', {}, x)),
  );
}

function findings(r: Report): HTMLElement {
  if (!r.findings.length)
    return el('p', { id: 'findings', 'data-count': '0' }, 'No findings: every stored tensor matches its layer formula.');
  return el(
    'section',
    { id: 'findings', 'data-count': String(r.findings.length) },
    el('h2', {}, `Findings (${r.findings.length})`),
    el(
      'ul',
      {},
      ...r.findings.map((f) =>
        el(
          'li',
          { class: `sev-${f.severity}`, 'data-severity': f.severity, 'data-code': f.code },
          el('b', {}, f.severity),
          ` ${f.code}: ${f.message}`,
        ),
      ),
    ),
  );
}

function downloads(res: InspectResult): HTMLElement {
  return el(
    'div',
    { id: 'downloads' },
    ...res.downloads.map((d) => {
      const b = el('button', { type: 'button', 'data-download': d.filename }, `Download ${d.label}`);
      b.addEventListener('click', () => {
        const url = URL.createObjectURL(new Blob([d.text], { type: d.mime }));
        const a = el('a', { href: url, download: d.filename });
        a.click();
        setTimeout(() => URL.revokeObjectURL(url), 1000);
      });
      return b;
    }),
  );
}

function graph(svg: string): HTMLElement {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const panel = el('section', { id: 'graph' }, el('h2', {}, 'Layer graph'));
  if (doc.documentElement.nodeName === 'svg') panel.append(document.importNode(doc.documentElement, true));
  return panel;
}

function show(res: InspectResult): void {
  const r = res.report;
  const opened = `kerascope inspect ${res.main}${res.weights ? ` --weights ${res.weights}` : ''}`;
  const s = res.stats;
  out.replaceChildren(
    el('p', { class: 'cmd' }, opened),
    el('h2', { id: 'title', 'data-format': r.format }, title(r)),
    ...(r.layers.length ? [layerTable(res), el('p', { class: 'hint' }, 'Click a row for its formula.')] : []),
    totals(r),
    findings(r),
    downloads(res),
    ...(res.graphSvg ? [graph(res.graphSvg)] : []),
  );
  setState(
    'report',
    `Done in ${s.ms.toFixed(0)} ms: read ${bytes(s.bytes)} in ${s.reads} range${s.reads === 1 ? '' : 's'} of ${bytes(s.inputBytes)} dropped.`,
  );
  document.body.dataset.readBytes = String(s.bytes);
  document.body.dataset.ms = (performance.now() - started).toFixed(0);
}

setState('loading', 'Loading…');
startWorker();
