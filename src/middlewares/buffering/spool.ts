import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Bytes kept in memory up to `memLimit`, then appended to a temporary file. `size` counts everything.
 */
export class Spool {
  size = 0;
  private chunks: Buffer[] = [];
  private file: { path: string; stream: WriteStream } | undefined;

  constructor(private readonly memLimit: number) {}

  get spilled(): boolean {
    return this.file !== undefined;
  }

  add(chunk: Buffer): void {
    this.size += chunk.length;
    if (!this.file && this.size <= this.memLimit) {
      this.chunks.push(chunk);
      return;
    }
    if (!this.file) {
      const path = join(tmpdir(), `switchyard-buffer-${randomBytes(8).toString('hex')}`);
      this.file = { path, stream: createWriteStream(path) };
      for (const c of this.chunks) this.file.stream.write(c);
      this.chunks = [];
    }
    this.file.stream.write(chunk);
  }

  /** Everything as one buffer (reads the file back when spilled), then removes the file. */
  async toBuffer(): Promise<Buffer> {
    if (!this.file) return Buffer.concat(this.chunks, this.size);
    const { path, stream } = this.file;
    await new Promise<void>((resolve, reject) =>
      stream.end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
    try {
      return await readFile(path);
    } finally {
      await rm(path, { force: true });
    }
  }

  /** A stream of the content; the file is removed when the stream closes. */
  async toStream(): Promise<Readable | Buffer> {
    if (!this.file) return Buffer.concat(this.chunks, this.size);
    const { path, stream } = this.file;
    await new Promise<void>((resolve, reject) =>
      stream.end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
    const out = createReadStream(path);
    out.once('close', () => void rm(path, { force: true }));
    return out;
  }

  discard(): void {
    this.chunks = [];
    if (this.file) {
      const { path, stream } = this.file;
      stream.end(() => void rm(path, { force: true }));
      this.file = undefined;
    }
  }
}
