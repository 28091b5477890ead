import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Base64Decoder, decodeBase64Body } from './base64.js';

async function decodeStream(chunks: string[]): Promise<Buffer> {
  const out: Buffer[] = [];
  const decoder = Readable.from(chunks.map((c) => Buffer.from(c))).pipe(new Base64Decoder());
  for await (const b of decoder) out.push(b as Buffer);
  return Buffer.concat(out);
}

/** Splits `text` at the given cut points. */
function cut(text: string, points: number[]): string[] {
  const at = [...new Set(points.map((p) => p % (text.length + 1)))].sort((a, b) => a - b);
  const parts: string[] = [];
  let prev = 0;
  for (const p of at) {
    parts.push(text.slice(prev, p));
    prev = p;
  }
  parts.push(text.slice(prev));
  return parts;
}

describe('gRPC-Web text bodies (base64)', () => {
  it('decodes padded pieces one after another, however the body is cut into chunks', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        async (pieces, points) => {
          const text = pieces.map((p) => Buffer.from(p).toString('base64')).join('');
          const expected = Buffer.concat(pieces.map((p) => Buffer.from(p)));
          assert.deepEqual(decodeBase64Body(Buffer.from(text)), expected);
          assert.deepEqual(await decodeStream(cut(text, points)), expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('ignores line breaks and refuses what is not base64', async () => {
    assert.equal(decodeBase64Body(Buffer.from('aGVs\r\nbG8=')).toString(), 'hello');
    for (const bad of ['aGVsbG8', 'aGV*bG8=', 'a===', 'aG=s']) {
      assert.throws(() => decodeBase64Body(Buffer.from(bad)), /base64/);
      await assert.rejects(decodeStream([bad]), /base64/);
    }
  });
});
