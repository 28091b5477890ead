import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HttpHandler } from '../../core/http-context.js';
import { serveMiddleware, testBuildContext } from '../test-context.js';
import contentType from './index.js';
import { sniffContentType } from './sniff.js';

describe('contentType', () => {
  it('guesses a missing Content-Type from the body', async () => {
    const next: HttpHandler = (ctx) => {
      ctx.res.writeHead(200, {});
      ctx.res.end('<html><body>hi</body></html>');
    };
    const s = await serveMiddleware(contentType.create({}, testBuildContext()), { next });
    try {
      assert.equal((await s.request('/')).headers['content-type'], 'text/html; charset=utf-8');
    } finally {
      await s.close();
    }
  });

  it('keeps a Content-Type the backend set', async () => {
    const s = await serveMiddleware(contentType.create({}, testBuildContext()));
    try {
      assert.equal((await s.request('/')).headers['content-type'], 'application/json');
    } finally {
      await s.close();
    }
  });

  it('recognises common formats', () => {
    assert.equal(sniffContentType(Buffer.from('\x89PNG\r\n\x1a\nxxxx', 'latin1')), 'image/png');
    assert.equal(sniffContentType(Buffer.from('%PDF-1.4')), 'application/pdf');
    assert.equal(sniffContentType(Buffer.from('plain words')), 'text/plain; charset=utf-8');
    assert.equal(sniffContentType(Buffer.from([0, 1, 2, 3])), 'application/octet-stream');
  });
});
