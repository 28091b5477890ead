import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileLines as lines } from '../../../test/helpers/cli.js';
import { eventually } from '../../../test/helpers/http.js';
import { Logger } from '../../core/logger.js';
import { CHUNK_BYTES } from './line-buffer.js';
import { LineWriter } from './writer.js';

const logger = Logger.create({ level: 'FATAL' });
const tempFile = () => join(mkdtempSync(join(tmpdir(), 'sy-writer-')), 'access.log');

describe('access log writer', () => {
  it('writes a batch of bufferingSize lines, and a smaller batch after its delay', async () => {
    const path = tempFile();
    const w = new LineWriter(path, logger, 3);
    try {
      for (let i = 0; i < 3; i++) w.push(`line ${i}`);
      await eventually(() => lines(path).length === 3);
      w.push('line 3');
      await eventually(() => lines(path).length === 4);
    } finally {
      await w.close();
    }
    assert.deepEqual(lines(path), ['line 0', 'line 1', 'line 2', 'line 3']);
  });

  it('writes many batches in order, none lost or split, whatever the lines hold', async () => {
    const path = tempFile();
    const w = new LineWriter(path, logger, 0);
    // Multi-byte characters, and every 500th line longer than a whole chunk.
    const line = (i: number) =>
      `{"n":${i},"pad":"${(i % 7 === 0 ? 'é€😀' : 'x').repeat(i % 500 === 0 ? CHUNK_BYTES : i % 300)}"}`;
    // Several times CHUNK_BYTES, pushed in bounded chunks with the event loop turning between them.
    const total = Math.ceil((4 * CHUNK_BYTES) / 150);
    for (let i = 0; i < total; i++) {
      w.push(line(i));
      if (i % 100 === 99) await new Promise((r) => setImmediate(r));
    }
    await w.close();
    const out = lines(path);
    assert.equal(out.length, total);
    for (let i = 0; i < total; i++) assert.equal(out[i], line(i));
    assert.equal(w.dropped, 0);
  });

  it('writes every held line on close', async () => {
    const path = tempFile();
    const w = new LineWriter(path, logger, 1000);
    for (let i = 0; i < 10; i++) w.push(`held ${i}`);
    await w.close();
    assert.equal(lines(path).length, 10);
  });

  it('loses no line when rotated while lines are held', async () => {
    const path = tempFile();
    const w = new LineWriter(path, logger, 1000);
    try {
      for (let i = 0; i < 5; i++) w.push(`before ${i}`);
      renameSync(path, `${path}.1`);
      w.reopen();
      for (let i = 0; i < 5; i++) w.push(`after ${i}`);
    } finally {
      await w.close();
    }
    // The lines queued before the rotation go to the old file, the later ones to the new file.
    assert.deepEqual(lines(`${path}.1`), ['before 0', 'before 1', 'before 2', 'before 3', 'before 4']);
    assert.deepEqual(lines(path), ['after 0', 'after 1', 'after 2', 'after 3', 'after 4']);
  });

  it('writes held lines when the process exits without closing', () => {
    const path = tempFile();
    const writer = new URL('./writer.js', import.meta.url).href;
    const logger = new URL('../../core/logger.js', import.meta.url).href;
    const script = `
      const { LineWriter } = await import(${JSON.stringify(writer)});
      const { Logger } = await import(${JSON.stringify(logger)});
      const w = new LineWriter(${JSON.stringify(path)}, Logger.create({ level: 'FATAL' }), 1000);
      for (let i = 0; i < 20; i++) w.push('exit ' + i);
      process.exit(0);`;
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { timeout: 20_000 });
    assert.equal(lines(path).length, 20);
    assert.equal(lines(path)[19], 'exit 19');
  });
});
