import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { eventually, request, whoamiHeader } from '../helpers/http.js';
import { startObserved } from './observability-fixture.js';

describe('tracing through the real CLI (--tracing.otlp.http.endpoint)', () => {
  let env: Awaited<ReturnType<typeof startObserved>>;
  const posted: string[] = [];
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      posted.push(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });

  before(async () => {
    receiver.listen(0, '127.0.0.1');
    await new Promise((r) => receiver.once('listening', r));
    const port = (receiver.address() as AddressInfo).port;
    env = await startObserved([
      `--tracing.otlp.http.endpoint=http://127.0.0.1:${port}/v1/traces`,
      '--tracing.serviceName=edge',
    ]);
  });
  after(async () => {
    await env?.close();
    receiver.close();
  });

  it('propagates traceparent to the backend and exports the span', async () => {
    const trace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await request(env.sy.url('web', '/traced'), {
      headers: { traceparent: `00-${trace}-00f067aa0ba902b7-01` },
    });
    const upstream = whoamiHeader(res.body, 'Traceparent') ?? '';
    assert.match(upstream, new RegExp(`^00-${trace}-[0-9a-f]{16}-01$`));
    await eventually(() => posted.some((p) => p.includes(trace)));
    const body = posted.find((p) => p.includes(trace))!;
    assert.match(body, /"parentSpanId":"00f067aa0ba902b7"/);
    assert.match(body, /"service\.name","value":\{"stringValue":"edge"\}/);
  });
});
