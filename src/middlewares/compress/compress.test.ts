import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import zlib from 'node:zlib';
import { SwitchyardError } from '../../core/errors.js';
import type { HttpContext } from '../../core/http-context.js';
import { testBuildContext, testContext } from '../test-context.js';
import { negotiate } from './encoders.js';
import compress from './index.js';
import type { CompressOptions } from './schema.js';

const defaults: CompressOptions = { encodings: ['gzip', 'br'], minResponseBodyBytes: 1024 };

async function get(
  options: Partial<CompressOptions>,
  headers: Record<string, string>,
  reply: (ctx: HttpContext) => void,
  method = 'GET',
) {
  const handler = compress.create({ ...defaults, ...options }, testBuildContext())(reply);
  const server = http.createServer((req, res) => handler(testContext(req, res, 'http')));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      http
        .request({ port, host: '127.0.0.1', method, headers, agent: false }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        })
        .on('error', reject)
        .end();
    });
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

const text =
  (size: number, type = 'text/plain') =>
  (ctx: HttpContext) => {
    ctx.res.writeHead(200, { 'content-type': type });
    ctx.res.write('a'.repeat(size / 2));
    ctx.res.end('b'.repeat(size / 2));
  };

describe('compress', () => {
  it('compresses with the preferred encoding the client accepts, adding Vary', async () => {
    const res = await get({}, { 'accept-encoding': 'br, gzip' }, text(4000));
    assert.equal(res.headers['content-encoding'], 'gzip');
    assert.equal(res.headers.vary, 'Accept-Encoding');
    assert.equal(zlib.gunzipSync(res.body).toString(), 'a'.repeat(2000) + 'b'.repeat(2000));
    const br = await get({ encodings: ['br', 'gzip'] }, { 'accept-encoding': 'gzip, br' }, text(4000));
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(zlib.brotliDecompressSync(br.body).length, 4000);
  });

  it('sends small bodies as they are, with their length', async () => {
    const res = await get({}, { 'accept-encoding': 'gzip' }, text(100));
    assert.equal(res.headers['content-encoding'], undefined);
    assert.equal(res.headers['content-length'], '100');
  });

  it('skips HEAD, gRPC, excluded types, encoded bodies and clients without Accept-Encoding', async () => {
    assert.equal((await get({}, {}, text(4000))).headers['content-encoding'], undefined);
    assert.equal(
      (await get({}, { 'accept-encoding': 'gzip' }, text(4000, 'application/grpc'))).headers[
        'content-encoding'
      ],
      undefined,
    );
    assert.equal(
      (await get({ excludedContentTypes: ['text/plain'] }, { 'accept-encoding': 'gzip' }, text(4000)))
        .headers['content-encoding'],
      undefined,
    );
    assert.equal(
      (await get({ includedContentTypes: ['text/html'] }, { 'accept-encoding': 'gzip' }, text(4000))).headers[
        'content-encoding'
      ],
      undefined,
    );
    const encoded = (ctx: HttpContext) => {
      ctx.res.writeHead(200, { 'content-encoding': 'identity-x', 'content-type': 'text/plain' });
      ctx.res.end('z'.repeat(4000));
    };
    assert.equal(
      (await get({}, { 'accept-encoding': 'gzip' }, encoded)).headers['content-encoding'],
      'identity-x',
    );
    assert.equal(
      (await get({}, { 'accept-encoding': 'gzip' }, text(4000), 'HEAD')).headers['content-encoding'],
      undefined,
    );
  });

  it('uses defaultEncoding without Accept-Encoding', async () => {
    const res = await get({ defaultEncoding: 'gzip' }, {}, text(4000));
    assert.equal(res.headers['content-encoding'], 'gzip');
  });

  it('negotiates with q-values and *', () => {
    assert.equal(negotiate('gzip;q=0, br', ['gzip', 'br'], undefined), 'br');
    assert.equal(negotiate('*', ['gzip', 'br'], undefined), 'gzip');
    assert.equal(negotiate('*', ['gzip', 'br'], 'br'), 'br');
    assert.equal(negotiate('identity', ['gzip'], undefined), undefined);
  });

  it('validates its options', () => {
    assert.throws(
      () => compress.create({ ...defaults, encodings: ['lz4'] }, testBuildContext()),
      SwitchyardError,
    );
    assert.throws(
      () =>
        compress.create(
          { ...defaults, includedContentTypes: ['a/b'], excludedContentTypes: ['c/d'] },
          testBuildContext(),
        ),
      SwitchyardError,
    );
    assert.throws(
      () =>
        compress.create({ ...defaults, defaultEncoding: 'zstd', encodings: ['gzip'] }, testBuildContext()),
      SwitchyardError,
    );
  });
});
