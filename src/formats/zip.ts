// Reading zip archives (Keras 3 `.keras`) by ranges through a ByteSource, with zip.js: the central directory
// is listed without reading member data (names kept as written: unsafe ones are findings, not errors);
// small members are read into memory under a size cap; a member's data offset lets HDF5 read a stored
// member in place.
import type { Entry, FileEntry, ZipReader } from '@zip.js/zip.js';
import type { ByteSource } from '../io/byte-source.js';
import { type BudgetName, type Budgets, overBudget } from '../model/budgets.js';
import { InputError } from '../model/errors.js';

/** zip.js is loaded when the first archive is opened (most inputs are not archives). */
let zipjs: Promise<typeof import('@zip.js/zip.js')> | null = null;
function loadZipJs(): Promise<typeof import('@zip.js/zip.js')> {
  zipjs ??= import('@zip.js/zip.js').then((z) => {
    z.configure({ useWebWorkers: false });
    return z;
  });
  return zipjs;
}

export interface ZipMember {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
  compressed: boolean;
  encrypted: boolean;
  entry: Entry;
}

export class ZipArchive {
  private constructor(
    readonly source: ByteSource,
    private readonly zip: ZipReader<unknown>,
    readonly members: ZipMember[],
  ) {}

  static async open(source: ByteSource, maxEntries = 100_000): Promise<ZipArchive> {
    const z = await loadZipJs();
    /** zip.js reads the archive by ranges through this. */
    class SourceReader extends z.Reader<ByteSource> {
      constructor(private readonly src: ByteSource) {
        super(src);
        this.size = src.size;
      }

      override async readUint8Array(index: number, length: number): Promise<Uint8Array> {
        return this.src.read(index, length);
      }
    }
    // filenameValidation 'tolerant': absolute and `..` names are listed; the security scan reports them.
    const zip = new z.ZipReader(new SourceReader(source), { filenameValidation: 'tolerant' } as object);
    const members: ZipMember[] = [];
    try {
      for await (const entry of zip.getEntriesGenerator()) {
        if (members.length >= maxEntries) throw new Error(`more than ${maxEntries} members`);
        const raw = entry.rawFilename;
        const name = entry.filenameUTF8 ? new TextDecoder().decode(raw) : latin1(raw);
        members.push({
          name,
          compressedSize: entry.compressedSize,
          uncompressedSize: entry.uncompressedSize,
          compressed: (entry as { compressionMethod?: number }).compressionMethod !== 0,
          encrypted: entry.encrypted,
          entry,
        });
      }
    } catch (e) {
      await zip.close().catch(() => {});
      throw new InputError(
        source.name,
        members.length ? `damaged zip archive (${message(e)})` : `not a readable zip archive (${message(e)})`,
      );
    }
    return new ZipArchive(source, zip, members);
  }

  private byName: Map<string, ZipMember> | null = null;

  /** The first member of that name (an index, not a scan: shard lookups are input-controlled in number). */
  find(name: string): ZipMember | undefined {
    if (!this.byName) {
      this.byName = new Map();
      for (const m of this.members) if (!this.byName.has(m.name)) this.byName.set(m.name, m);
    }
    return this.byName.get(name);
  }

  /** Reads a member into memory; refuses members over `maxBytes` (declared or actual). */
  async read(member: ZipMember, maxBytes: number, budget?: BudgetName, budgets?: Budgets): Promise<Uint8Array> {
    const over = (what: string) =>
      budget && budgets
        ? overBudget(this.source.name, budget, what, budgets)
        : new InputError(this.source.name, `${what}, over the ${maxBytes}-byte limit`);
    if (member.uncompressedSize > maxBytes) throw over(`${member.name} is ${member.uncompressedSize} bytes`);
    const chunks: Uint8Array[] = [];
    let total = 0;
    await this.inflate(member, (chunk) => {
      total += chunk.length;
      if (total > maxBytes) throw over(`${member.name} inflates past ${maxBytes} bytes`);
      chunks.push(chunk);
    });
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  /** Streams a member's bytes to `sink` in order (bounded memory whatever its size). */
  async inflate(member: ZipMember, sink: (chunk: Uint8Array) => void): Promise<void> {
    if (member.encrypted) throw new InputError(this.source.name, `${member.name} is encrypted`);
    let refused: unknown = null;
    const writable = new WritableStream<Uint8Array>({
      write(chunk) {
        try {
          sink(chunk);
        } catch (e) {
          refused = e;
          throw e;
        }
      },
    });
    try {
      await (member.entry as FileEntry).getData(writable);
    } catch (e) {
      if (refused) throw refused;
      throw new InputError(this.source.name, `${member.name} inside the archive cannot be extracted (${message(e)})`);
    }
  }

  /** Where a member's data starts in the archive (after its local header). */
  dataOffset(member: ZipMember): number {
    const at = member.entry.offset;
    const head = this.source.read(at, 30);
    if (head.length < 30 || head[0] !== 0x50 || head[1] !== 0x4b || head[2] !== 3 || head[3] !== 4) {
      throw new InputError(this.source.name, `cannot locate ${member.name} (no local file header at offset ${at})`);
    }
    const u16 = (i: number) => head[i]! | (head[i + 1]! << 8);
    return at + 30 + u16(26) + u16(28);
  }

  async close(): Promise<void> {
    await this.zip.close().catch(() => {});
  }
}

function message(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}
