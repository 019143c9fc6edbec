// `kerascope card FILE`: the factual part of a model card (Markdown with Hugging Face front matter, or one
// self-contained HTML page). Over an existing card it refreshes only the generated blocks.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { CardOptions, FoldMode, GraphMode } from '../card/index.js';
import { FOLD_ABOVE } from '../card/fold.js';
import { InputError } from '../model/errors.js';
import { inspectModel } from '../node/inspect.js';
import { sha256File } from '../node/sha256.js';
import type { CliRun } from './run.js';
import { openPath } from '../node/file-source.js';
import { refreshCardFile } from './card-refresh.js';
import { writeAtomic } from './gate-io.js';
import { modelCommand, type ModelOptions, parseFormat } from './options.js';
import { writeOut } from './stdio.js';

interface Options extends ModelOptions {
  output?: string;
  title?: string;
  license?: string;
  tag: string[];
  pipelineTag?: string;
  baseModel?: string;
  dataset: string[];
  template?: string;
  details?: boolean;
  fold: FoldMode;
  force?: boolean;
  graph?: GraphMode;
}

const collect = (v: string, prev: string[]) => [
  ...prev,
  ...v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

export function registerCard(program: Command, run: CliRun): void {
  modelCommand(
    program
      .command('card')
      .description(
        'write the factual part of a model card: overview, inputs/outputs, architecture, graph, size, formulas, training, audit',
      ),
    ['markdown', 'html'],
  )
    .option('-o, --output <file>', 'card to write (an existing card keeps everything outside its generated blocks); default: print it')
    .option('--title <text>', 'the card title (default: the file name, or its folder name for model.json and the like)')
    .option('--license <id>', 'license id for the front matter, e.g. apache-2.0')
    .option('--tag <tag>', 'a front matter tag (repeat, or comma-separated)', collect, [])
    .option('--pipeline-tag <tag>', 'Hugging Face pipeline_tag, e.g. image-classification')
    .option('--base-model <id>', 'base_model for the front matter')
    .option('--dataset <id>', 'a dataset id for the front matter (repeat, or comma-separated)', collect, [])
    .option('--template <file>', 'a Markdown template with {{placeholders}} (see docs/cards.md#templates)')
    .option('--details', 'per-layer multiply-accumulate estimates in the Size section')
    .option(
      '--fold <mode>',
      `fold repeated chains: auto (above ${FOLD_ABOVE} layers), always, never`,
      parseFormat(['auto', 'always', 'never']),
      'auto',
    )
    .option(
      '--graph <mode>',
      'the layer graph as mermaid (a flowchart GitHub renders), svg (model_graph.svg written beside the card, shown as an image: the Hub shows images, not Mermaid), or both; default: svg with -o, mermaid when printed',
      parseFormat(['mermaid', 'svg', 'both']),
    )
    .option('--force', 'replace an existing file that is not a kerascope card (Markdown: instead of adding the blocks to it)')
    .action(async (file: string, o: Options) => {
      // The card's renderers (YAML, Markdown, graph layout) load only when a card is written.
      const {
        CardMarkerError,
        defaultTitle,
        FrontMatterError,
        GRAPH_FILE,
        renderCardHtml,
        renderCardMarkdown,
        renderInspectionSvg,
        sha256Files,
        TemplateError,
      } = await import('../card/index.js');
      const graph: GraphMode = o.format === 'html' ? 'mermaid' : (o.graph ?? (o.output ? 'svg' : 'mermaid'));
      if (graph !== 'mermaid' && !o.output)
        throw new InputError(file, `--graph ${graph} writes ${GRAPH_FILE} beside the card: give the card's file with -o`);
      const template = o.template === undefined ? undefined : readText(o.template);
      const inspection = await inspectModel(file, { ...run.load, weights: o.weights, manifestOnly: o.manifestOnly });
      // Files on disk are hashed as a stream (a weights file is never read whole for its hash).
      const hashes = await sha256Files(
        inspection.report.files,
        (p) => {
          try {
            return openPath(p);
          } catch {
            return null;
          }
        },
        (src) => sha256File(src.name),
      );
      const opts: CardOptions = {
        // The folder's name needs the absolute path (`model.json` in the current folder).
        title: o.title ?? defaultTitle(path.resolve(file)),
        license: o.license,
        tags: o.tag,
        pipelineTag: o.pipelineTag,
        baseModel: o.baseModel,
        datasets: o.dataset,
        details: o.details,
        fold: o.fold,
        graph,
        hashes,
        template,
      };
      let text: string;
      try {
        text = o.format === 'html' ? renderCardHtml(inspection, opts) : renderCardMarkdown(inspection, opts);
      } catch (e) {
        if (e instanceof TemplateError || e instanceof FrontMatterError) throw new InputError(o.template ?? file, e.message);
        throw e;
      }
      if (!o.output) {
        writeOut(text);
        return;
      }
      let verb = 'written';
      if (fs.existsSync(o.output) && !fs.statSync(o.output).isDirectory()) {
        if (o.format === 'markdown') {
          // Refreshed in place, streamed: memory follows the blocks rewritten, not the card's size.
          let done: ReturnType<typeof refreshCardFile> | 'added to';
          try {
            done = refreshCardFile(o.output, text);
            if (done === 'not a card' && !o.force) {
              // A README that is not a card yet: the blocks go in, every line of it stays.
              const { insertCard } = await import('../card/insert.js');
              text = insertCard(readText(o.output), inspection, opts);
              done = 'added to';
            }
          } catch (e) {
            // Markers that are not exactly one begin/end pair per block, or front matter the YAML library
            // refuses (an alias bomb, a document it cannot parse): the card is left as it is, one line.
            if (e instanceof CardMarkerError || e instanceof FrontMatterError) throw new InputError(o.output, e.message);
            throw e;
          }
          verb = done;
        } else if (!o.force && !readHead(o.output).includes('<meta name="generator" content="kerascope')) {
          throw new InputError(o.output, 'exists and is not a kerascope card: pass --force to replace it');
        }
      }
      if (verb === 'written' || verb === 'added to' || verb === 'not a card') writeAtomic(o.output, text, true, 'the card');
      writeOut(`Card ${verb === 'not a card' ? 'written' : verb}: ${o.output}\n`);
      if (graph !== 'mermaid' && inspection.graph) {
        const svgFile = path.join(path.dirname(o.output), GRAPH_FILE);
        const svg = `${renderInspectionSvg(inspection.graph, inspection.report, o.fold, { title: 'layer graph' })}\n`;
        const same = fs.existsSync(svgFile) && fs.statSync(svgFile).isFile() && fs.readFileSync(svgFile, 'utf8') === svg;
        if (!same) writeAtomic(svgFile, svg, true, 'the graph');
        writeOut(`Graph ${same ? 'unchanged' : 'written'}: ${svgFile}\n`);
      }
    });
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(file, `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** The first 4 KB of a file (where an HTML card names its generator). */
function readHead(file: string): string {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    throw new InputError(file, `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    const buf = Buffer.alloc(4096);
    return buf.subarray(0, fs.readSync(fd, buf, 0, buf.length, 0)).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}
