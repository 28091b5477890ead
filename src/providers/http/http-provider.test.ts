import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { recordingLogger, waitFor } from '../../watcher/test-support.js';
import type { ProviderSnapshot } from '../contract.js';
import { HttpProvider, type HttpProviderOptions } from './http-provider.js';

describe('HttpProvider', () => {
  let server: http.Server;
  let url: string;
  let body = '{"http":{"routers":{"a":{"rule":"Path(`/a`)","service":"s"}}}}';
  let type = 'application/json';
  let status = 200;
  const seen: (string | undefined)[] = [];
  before(async () => {
    server = http.createServer((req, res) => {
      seen.push(req.headers['if-none-match']);
      const etag = `"${Buffer.from(body).length}-${type.length}"`;
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304).end();
        return;
      }
      res.writeHead(status, { 'content-type': type, etag, 'x-token': String(req.headers['x-token']) });
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/config`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  function run(opts: Partial<HttpProviderOptions>) {
    const controller = new AbortController();
    const snapshots: ProviderSnapshot[] = [];
    const provider = new HttpProvider({
      endpoint: url,
      pollInterval: 20,
      logger: recordingLogger().logger,
      ...opts,
    });
    const done = provider.provide((s) => snapshots.push(s), controller.signal);
    const stop = () => {
      controller.abort();
      return done;
    };
    return { snapshots, stop };
  }
  const routers = (s: ProviderSnapshot | undefined) =>
    Object.keys((s?.config as { http?: { routers?: object } })?.http?.routers ?? {});

  it('reads JSON, then sends If-None-Match and emits nothing new while unchanged; reads YAML after a change', async () => {
    const p = run({ headers: { 'X-Token': 't' } });
    await waitFor(() => p.snapshots.length === 1);
    assert.deepEqual(routers(p.snapshots[0]), ['a']);
    const before = seen.length;
    await waitFor(() => seen.length > before + 2);
    assert.equal(p.snapshots.length, 1, '304s emit nothing');
    assert.ok(seen.at(-1)?.startsWith('"'));
    body = 'http:\n  routers:\n    b:\n      rule: Path(`/b`)\n      service: s\n';
    type = 'text/yaml';
    await waitFor(() => routers(p.snapshots.at(-1)).join() === 'b');
    await p.stop();
  });

  it('keeps the last good configuration when the endpoint fails or the body is too large', async () => {
    body = '{"http":{"routers":{"c":{"rule":"Path(`/c`)","service":"s"}}}}';
    type = 'application/json';
    const p = run({ maxResponseBodySize: 10_000 });
    await waitFor(() => routers(p.snapshots.at(-1)).join() === 'c');
    status = 500;
    body = '{"oops": 1}';
    await waitFor(() => (p.snapshots.at(-1)?.issues.length ?? 0) > 0);
    assert.deepEqual(routers(p.snapshots.at(-1)), ['c']);
    assert.match(p.snapshots.at(-1)!.issues[0]!.message, /answered 500/);
    status = 200;
    body = `{"pad": "${'x'.repeat(20_000)}"}`;
    await waitFor(() => /larger than 10000 bytes/.test(p.snapshots.at(-1)?.issues[0]?.message ?? ''));
    assert.deepEqual(routers(p.snapshots.at(-1)), ['c']);
    await p.stop();
  });
});
