// Reading zip archives (Keras 3 `.keras`) through yauzl: the central directory is listed without reading
// member data; small members are read into memory under a size cap; a large member is streamed to a file.
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { InputError } from '../model/errors.js';

export interface ZipMember {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
  compressed: boolean;
  encrypted: boolean;
  entry: yauzl.Entry;
}

export class ZipArchive {
  private constructor(
    readonly path: string,
    private readonly zip: yauzl.ZipFile,
    readonly members: ZipMember[],
  ) {}

  static async open(path: string, maxEntries = 100_000): Promise<ZipArchive> {
    let zip: yauzl.ZipFile;
    try {
      // decodeStrings: false keeps entries with absolute or `..` names listable (they are findings, not errors).
      zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true });
    } catch (e) {
      throw new InputError(path, `not a readable zip archive (${(e as Error).message})`);
    }
    const members: ZipMember[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        zip.on('entry', (entry: yauzl.Entry) => {
          if (members.length >= maxEntries) {
            reject(new Error(`more than ${maxEntries} members`));
            return;
          }
          const raw = entry.fileName as unknown as Buffer | string;
          const name = typeof raw === 'string' ? raw : raw.toString((entry.generalPurposeBitFlag & 0x800) !== 0 ? 'utf8' : 'latin1');
          members.push({
            name,
            compressedSize: entry.compressedSize,
            uncompressedSize: entry.uncompressedSize,
            compressed: entry.compressionMethod !== 0,
            encrypted: (entry.generalPurposeBitFlag & 0x1) !== 0,
            entry,
          });
          zip.readEntry();
        });
        zip.on('end', () => resolve());
        zip.on('error', reject);
        zip.readEntry();
      });
    } catch (e) {
      zip.close();
      throw new InputError(path, `damaged zip archive (${(e as Error).message})`);
    }
    return new ZipArchive(path, zip, members);
  }

  find(name: string): ZipMember | undefined {
    return this.members.find((m) => m.name === name);
  }

  /** Reads a member into memory; refuses members over `maxBytes` (declared or actual). */
  async read(member: ZipMember, maxBytes: number): Promise<Buffer> {
    if (member.uncompressedSize > maxBytes) {
      throw new InputError(this.path, `${member.name} is ${member.uncompressedSize} bytes, over the ${maxBytes}-byte limit`);
    }
    const stream = await this.openStream(member);
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of stream) {
      total += (chunk as Buffer).length;
      if (total > maxBytes) {
        stream.destroy();
        throw new InputError(this.path, `${member.name} inflates past the ${maxBytes}-byte limit`);
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  /** Where an uncompressed member's bytes start in the archive file. */
  async dataOffset(member: ZipMember): Promise<number> {
    try {
      return (await this.zip.readLocalFileHeaderPromise(member.entry, { minimal: true })).fileDataStart;
    } catch (e) {
      throw new InputError(this.path, `cannot locate ${member.name} (${(e as Error).message})`);
    }
  }

  /** Streams a member to a file on disk (bounded memory whatever its size). */
  async extractTo(member: ZipMember, dest: string): Promise<void> {
    const stream = await this.openStream(member);
    try {
      await pipeline(stream, fs.createWriteStream(dest, { flags: 'wx', mode: 0o600 }));
    } catch (e) {
      throw new InputError(this.path, `cannot extract ${member.name} (${(e as Error).message})`);
    }
  }

  private async openStream(member: ZipMember) {
    if (member.encrypted) throw new InputError(this.path, `${member.name} is encrypted`);
    try {
      return await this.zip.openReadStreamPromise(member.entry);
    } catch (e) {
      throw new InputError(this.path, `cannot read ${member.name} (${(e as Error).message})`);
    }
  }

  close(): void {
    this.zip.close();
  }
}
