import assert from 'node:assert/strict';
import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { runH2Script } from '../../test/helpers/h2-client.js';
import { Logger } from '../core/logger.js';
import { forward } from '../proxy/forward.js';
import { createUpstreamTarget } from '../proxy/target.js';
import { HttpEntryPoint } from './http-entrypoint.js';

/** Bodies the real backend received in full, and requests it saw cut short. */
const received: number[] = [];
let aborted = 0;
const backend = http.createServer((req, res) => {
  let bytes = 0;
  req.on('data', (c: Buffer) => {
    bytes += c.length;
  });
  req.on('end', () => {
    received.push(bytes);
    res.end(`got ${bytes}`);
  });
  req.on('close', () => {
    if (!req.complete) aborted++;
  });
});

let ep: HttpEntryPoint;

before(async () => {
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
  const target = createUpstreamTarget(
    { url: `http://127.0.0.1:${(backend.address() as AddressInfo).port}` },
    { name: 'h2-timeouts', config: {} },
    { passHostHeader: true, generation: 7600 },
  );
  const handler = (ctx: Parameters<typeof forward>[0]) => {
    if (ctx.path === '/upload') return forward(ctx, target);
    ctx.res.writeHead(200, { 'content-type': 'text/plain' });
    ctx.res.end('ok');
  };
  ep = new HttpEntryPoint(
    {
      name: 'web',
      address: '127.0.0.1:0',
      readTimeoutMs: 1_000,
      writeTimeoutMs: 0,
      idleTimeoutMs: 2_000,
      maxHeaderBytes: 65_536,
      requestAcceptGraceTimeoutMs: 0,
      graceTimeOutMs: 1_000,
      sanitizePath: true,
    },
    Logger.create({ level: 'FATAL' }),
    { http: handler, https: handler },
  );
  await ep.listen();
});

after(async () => {
  await ep.shutdown();
  backend.closeAllConnections();
  backend.close();
});

const client = (scenario: string) => runH2Script(scenario, ep.boundPort);

describe('HTTP/2 timeouts (python3-h2 client)', () => {
  it('a request body that stalls gets 408 after readTimeout; the other streams are served', async () => {
    const abortedBefore = aborted;
    const got = await client('slow-body');
    const [a, b, c] = got.streams.map(String);
    assert.equal(got.statuses[a!], 408, JSON.stringify(got));
    assert.equal(
      got.resets[a!],
      http2.constants.NGHTTP2_NO_ERROR,
      'the stalled stream is closed after its 408',
    );
    assert.equal(got.statuses[b!], 200, 'a stream opened beside it is served');
    assert.equal(got.statuses[c!], 200, 'a stream opened after the timeout is served');
    assert.equal(got.resets[c!], undefined);
    assert.equal(received.at(-1), 100, 'the later upload reached the server whole');
    assert.equal(got.goaway, false, 'the connection was kept');
    for (let i = 0; i < 500 && aborted === abortedBefore; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(aborted, abortedBefore + 1, 'the stalled upload was cancelled at the server');
  });

  it('an idle connection is closed with GOAWAY (NO_ERROR) after idleTimeout', async () => {
    const got = await client('idle');
    assert.equal(got.statuses[String(got.streams[0])], 200);
    assert.ok(got.goaway, `no GOAWAY: ${JSON.stringify(got)}`);
    assert.equal(got.error_code, http2.constants.NGHTTP2_NO_ERROR);
    assert.ok(got.closed, 'the connection closed');
  });
});
