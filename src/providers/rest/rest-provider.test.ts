import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import type { HttpContext } from '../../core/http-context.js';
import { waitFor } from '../../watcher/test-support.js';
import type { ProviderSnapshot } from '../contract.js';
import { RestProvider, restProviderHandler } from './rest-provider.js';

async function put(port: number, method: string, body: string, type = 'application/json') {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = http.request(
      { port, host: '127.0.0.1', method, path: '/api/providers/rest', headers: { 'content-type': type } },
      (res) => {
        let text = '';
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('RestProvider', () => {
  it('takes the configuration PUT to it, refuses bad bodies and other methods', async () => {
    const provider = new RestProvider();
    const handler = restProviderHandler(provider);
    const server = http.createServer((req, res) =>
      handler({ req, res, headHooks: undefined } as unknown as HttpContext),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const snapshots: ProviderSnapshot[] = [];
    const controller = new AbortController();
    const done = provider.provide((s) => snapshots.push(s), controller.signal);

    const ok = await put(port, 'PUT', '{"http":{"routers":{"r":{"rule":"Path(`/`)","service":"s"}}}}');
    assert.equal(ok.status, 200);
    await waitFor(() => snapshots.length === 1);
    assert.deepEqual(Object.keys((snapshots[0]!.config as { http: { routers: object } }).http.routers), [
      'r',
    ]);
    const bad = await put(port, 'PUT', '{"http": ');
    assert.equal(bad.status, 400);
    assert.match(bad.text, /cannot parse the configuration as JSON/);
    assert.equal((await put(port, 'GET', '')).status, 405);
    assert.equal(snapshots.length, 1);

    controller.abort();
    await done;
    await new Promise<void>((r) => server.close(() => r()));
  });
});
