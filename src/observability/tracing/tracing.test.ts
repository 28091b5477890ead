import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { eventually, request } from '../../../test/helpers/http.js';
import { normalize } from '../../config/schema/normalize.js';
import { TracingSchema } from '../../config/static/schema-logs.js';
import { Logger } from '../../core/logger.js';
import { startTestEntryPoint } from '../test-entrypoint.js';
import { createTracing } from './index.js';
import { parseTraceParent } from './traceparent.js';

interface Attr {
  key: string;
  value: { stringValue?: string; intValue?: string };
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  kind: number;
  attributes: Attr[];
}
interface OtlpBody {
  resourceSpans: { resource: { attributes: Attr[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
}

/** A collector stand-in the test owns: records every OTLP JSON body posted to it. */
async function startReceiver() {
  const bodies: { path: string; json: OtlpBody }[] = [];
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c) => {
      text += c;
    });
    req.on('end', () => {
      bodies.push({ path: req.url ?? '', json: JSON.parse(text) as OtlpBody });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as AddressInfo).port;
  return { bodies, url: `http://127.0.0.1:${port}/v1/traces`, close: () => server.close() };
}

const spansOf = (bodies: { json: OtlpBody }[]): OtlpSpan[] =>
  bodies.flatMap((b) => b.json.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));

describe('tracing', () => {
  it('continues an incoming traceparent, propagates it upstream and exports the span', async () => {
    const receiver = await startReceiver();
    const tracing = createTracing(
      normalize(TracingSchema, { serviceName: 'edge', otlp: { http: { endpoint: receiver.url } } }).value,
      Logger.create({ level: 'FATAL' }),
    )!;
    const ep = await startTestEntryPoint((ctx) => {
      ctx.routerName = 'r@file';
      ctx.res.writeHead(200, { 'content-type': 'text/plain' });
      ctx.res.end(String(ctx.req.headers.traceparent));
    });
    try {
      const incoming = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      const res = await request(ep.url('/t'), { headers: { traceparent: incoming } });
      const upstream = parseTraceParent(res.body)!;
      assert.equal(upstream.traceId, '0af7651916cd43dd8448eb211c80319c');
      assert.notEqual(upstream.spanId, 'b7ad6b7169203331');
      assert.equal(upstream.sampled, true);
      const fresh = parseTraceParent((await request(ep.url('/new'))).body)!;
      assert.match(fresh.traceId, /^[0-9a-f]{32}$/);
      await eventually(async () => {
        await tracing.flush();
        return spansOf(receiver.bodies).length >= 2;
      });
      const span = spansOf(receiver.bodies).find((s) => s.traceId === upstream.traceId)!;
      assert.equal(span.spanId, upstream.spanId);
      assert.equal(span.parentSpanId, 'b7ad6b7169203331');
      assert.equal(span.kind, 2);
      const attrs = Object.fromEntries(
        span.attributes.map((a) => [a.key, a.value.stringValue ?? a.value.intValue]),
      );
      assert.equal(attrs['http.response.status_code'], '200');
      assert.equal(attrs['url.path'], '/t');
      assert.equal(attrs['traefik.router.name'], 'r@file');
      const resource = receiver.bodies[0]!.json.resourceSpans[0].resource.attributes;
      assert.deepEqual(resource.find((a) => a.key === 'service.name')!.value, { stringValue: 'edge' });
    } finally {
      await ep.close();
      await tracing.close();
      receiver.close();
    }
  });

  it('samples at sampleRate and respects an unsampled parent', async () => {
    const receiver = await startReceiver();
    const tracing = createTracing(
      normalize(TracingSchema, { sampleRate: 0, otlp: { http: { endpoint: receiver.url } } }).value,
      Logger.create({ level: 'FATAL' }),
    )!;
    const ep = await startTestEntryPoint((ctx) => {
      ctx.res.writeHead(200);
      ctx.res.end(String(ctx.req.headers.traceparent));
    });
    try {
      for (let i = 0; i < 5; i++)
        assert.equal(parseTraceParent((await request(ep.url('/'))).body)!.sampled, false);
      await tracing.flush();
      assert.equal(spansOf(receiver.bodies).length, 0);
    } finally {
      await ep.close();
      await tracing.close();
      receiver.close();
    }
  });

  it('rejects malformed trace contexts', () => {
    assert.equal(parseTraceParent('00-00000000000000000000000000000000-b7ad6b7169203331-01'), undefined);
    assert.equal(parseTraceParent('garbage'), undefined);
    assert.equal(parseTraceParent(undefined), undefined);
  });
});
