// The page: takes files (drop, file picker, folder picker), hands them to the Worker, and shows the report
// the CLI would print: the per-layer table, totals, findings, each row's explanation on click, and the
// downloads. Everything is built with DOM calls and textContent (names in a model file are untrusted).
// Nothing is fetched after load, unless the HDF5 library (h5wasm, about 4 MB) is chosen as the HDF5 reader.
import { bytes, count, shape } from '../report/format.js';
import type { LayerRow, Report } from '../model/types.js';
import { showTrainableColumn, trainableMark } from '../report/trainable.js';
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

/** A status other than `ok` (mismatch, no weights stored, unverified): marked in the table and the graph. */
const flagged = (l: Pick<LayerRow, 'status'>) => l.status !== 'ok';
const FLAG = '\u26a0'; // ⚠, beside the status: the mark is text, not colour alone

function layerTable(res: InspectResult): HTMLTableElement {
  // The Trainable column as the CLI's table has it: Y / N / blank per row, shown when one layer is frozen.
  const withTrainable = showTrainableColumn(res.report.layers);
  const heads = ['Layer (type)', 'Output Shape', 'Param #', 'Stored #', 'Status', ...(withTrainable ? ['Trainable'] : [])];
  const body = el('tbody');
  for (const l of res.report.layers) {
    const k = key(l);
    const params = l.className === null || l.params.trainable === null ? null : l.params.trainable + (l.params.nonTrainable ?? 0);
    const mark = trainableMark(l);
    const statusCell = el('td', { class: `status s-${l.status.replace(/\s+/g, '-')}` });
    if (flagged(l)) statusCell.append(el('span', { class: 'flag', title: 'status is not ok' }, `${FLAG} `));
    statusCell.append(l.status);
    const tr = el(
      'tr',
      {
        'data-layer': k,
        'data-class': l.className ?? '',
        'data-status': l.status,
        'data-params': String(params ?? ''),
        'data-stored': String(l.params.stored),
        'data-trainable': String(l.params.trainable ?? ''),
        'data-trainable-mark': mark,
        tabindex: '0',
        title: 'show how this count comes about',
      },
      el('td', { class: 'name' }, `${'\u00a0\u00a0'.repeat(l.depth)}${l.name}${l.className ? ` (${l.className})` : ''}`),
      el('td', {}, shape(l.outputShape)),
      el('td', { class: 'num' }, count(params)),
      el('td', { class: 'num' }, count(l.params.stored)),
      statusCell,
      ...(withTrainable ? [el('td', { class: 'trainable' }, mark)] : []),
    );
    if (flagged(l)) tr.classList.add('flagged');
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

/**
 * The filter over the layer table: rows whose name (with its path) or class contains the text, ignoring case;
 * "N of M layers" beside it; Escape clears it. An open explanation follows its row.
 */
function layerFilter(table: HTMLTableElement): HTMLElement {
  const rows = [...table.querySelectorAll<HTMLTableRowElement>('tbody tr[data-layer]')];
  const input = el('input', {
    type: 'search',
    id: 'filter',
    placeholder: 'name or class',
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-controls': 'layers',
  });
  const shown = el('span', { id: 'filter-count', 'aria-live': 'polite' });
  const apply = () => {
    const q = input.value.trim().toLowerCase();
    let n = 0;
    for (const tr of rows) {
      const hit = !q || (tr.dataset.layer ?? '').toLowerCase().includes(q) || (tr.dataset.class ?? '').toLowerCase().includes(q);
      tr.hidden = !hit;
      const next = tr.nextElementSibling as HTMLElement | null;
      if (next?.classList.contains('explain')) next.hidden = !hit;
      if (hit) n++;
    }
    shown.textContent = `${count(n)} of ${count(rows.length)} layer${rows.length === 1 ? '' : 's'}`;
    shown.dataset.shown = String(n);
    table.dataset.filter = q;
  };
  input.addEventListener('input', apply);
  input.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Escape') return;
    ev.preventDefault();
    input.value = '';
    apply();
  });
  apply();
  return el('p', { class: 'filter' }, el('label', {}, 'Filter layers ', input), ' ', shown);
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

const SVG_NS = 'http://www.w3.org/2000/svg';
/** Room right of a box for its ⚠ (16 px glyph and a gap). */
const MARK_W = 24;

/**
 * The layer graph; a box that draws a layer whose status is not `ok` (or one nested in it) gets the class
 * `ks-flagged` (a thick outline), a ⚠ in its corner and the statuses in its tooltip.
 */
function graph(res: InspectResult): HTMLElement {
  const doc = new DOMParser().parseFromString(res.graphSvg ?? '', 'image/svg+xml');
  const panel = el('section', { id: 'graph' }, el('h2', {}, 'Layer graph'));
  if (doc.documentElement.nodeName !== 'svg') return panel;
  const svg = document.importNode(doc.documentElement, true);
  // Top-level name → the statuses not ok among it and the layers nested in it.
  const bad = new Map<string, string[]>();
  for (const l of res.report.layers) {
    if (!flagged(l)) continue;
    const top = l.path[0] ?? l.name;
    bad.set(top, [...(bad.get(top) ?? []), `${key(l)}: ${l.status}`]);
  }
  let widest = 0;
  for (const g of svg.querySelectorAll<SVGGElement>('g.ks-node[data-unit]')) {
    const notes = (res.graphUnits[g.dataset.unit ?? ''] ?? []).flatMap((name) => bad.get(name) ?? []);
    if (!notes.length) continue;
    g.classList.add('ks-flagged');
    g.dataset.flagged = String(notes.length);
    const tip = g.querySelector('title');
    if (tip) tip.textContent = `${tip.textContent}\n${FLAG} ${notes.join('\n')}`;
    const rect = g.querySelector('rect');
    if (rect) {
      const mark = document.createElementNS(SVG_NS, 'text');
      mark.setAttribute('class', 'ks-flag');
      // Beside the box, right of it (the drawing is widened below to make room), never over its text.
      const right = Number(rect.getAttribute('x')) + Number(rect.getAttribute('width'));
      mark.setAttribute('x', String(right + 4));
      mark.setAttribute('y', String(Number(rect.getAttribute('y')) + 16));
      widest = Math.max(widest, right + MARK_W);
      mark.textContent = FLAG;
      g.append(mark);
    }
  }
  const [x = 0, y = 0, w = 0, h = 0] = (svg.getAttribute('viewBox') ?? '').split(' ').map(Number);
  if (widest > x + w) {
    const grown = Math.ceil(widest - x);
    svg.setAttribute('viewBox', `${x} ${y} ${grown} ${h}`);
    svg.setAttribute('width', String(grown));
  }
  panel.append(svg);
  return panel;
}

function withFilter(table: HTMLTableElement): HTMLElement[] {
  const flags = table.querySelectorAll('tr.flagged').length;
  const hint = `Click a row for its formula.${flags ? ` ${FLAG} marks ${count(flags)} layer${flags === 1 ? '' : 's'} whose status is not ok.` : ''}`;
  return [layerFilter(table), table, el('p', { class: 'hint' }, hint)];
}

function show(res: InspectResult): void {
  const r = res.report;
  const opened = `kerascope inspect ${res.main}${res.weights ? ` --weights ${res.weights}` : ''}`;
  const s = res.stats;
  out.replaceChildren(
    el('p', { class: 'cmd' }, opened),
    el('h2', { id: 'title', 'data-format': r.format }, title(r)),
    ...(r.layers.length ? withFilter(layerTable(res)) : []),
    totals(r),
    findings(r),
    downloads(res),
    ...(res.graphSvg ? [graph(res)] : []),
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
