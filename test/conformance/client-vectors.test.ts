import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type Running, startWithDynamic } from '../helpers/cli.js';
import { CLIENT_VECTORS } from './client-vectors.js';
import { type RecordingBackend, startRecordingBackend } from './recording-backend.js';

/** Writes `bytes` on a fresh connection and reads until the proxy closes it (20 s test guard). */
function exchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    const guard = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connection not closed within 20 s; received ${JSON.stringify(data)}`));
    }, 20_000);
    socket.setEncoding('latin1');
    socket.on('data', (c: string) => {
      data += c;
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(guard);
      resolve(data);
    });
    socket.write(bytes, 'latin1');
  });
}

/** The status codes of the responses in `data`, in order (interim ones included). */
function statuses(data: string): number[] {
  return [...data.matchAll(/HTTP\/1\.[01] (\d{3})/g)].map((m) => Number(m[1]));
}

describe('client vectors: what the client gets and what the server receives (issue 18)', () => {
  let backend: RecordingBackend;
  let sy: Running;
  let port: number;

  before(async () => {
    backend = await startRecordingBackend();
    sy = await startWithDynamic(
      `
http:
  routers:
    all:
      rule: "PathPrefix(\`/\`)"
      service: s
  services:
    s:
      loadBalancer:
        servers: [{ url: "http://127.0.0.1:${backend.port}" }]
`,
    );
    port = sy.ports.get('web')!;
  });

  after(async () => {
    await sy?.stop();
    await backend?.close();
  });

  for (const v of CLIENT_VECTORS) {
    it(`${v.name}: ${v.statuses.join(', ')}`, async () => {
      backend.received.length = 0;
      const data = await exchange(port, v.send);
      assert.deepEqual(statuses(data), v.statuses, JSON.stringify(data));
      assert.deepEqual(
        backend.received.map((r) => [r.method, r.target, r.body]),
        v.received,
        'the server must receive exactly one faithful request per accepted client request',
      );
      const after = await exchange(port, `GET /next HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n`);
      assert.deepEqual(statuses(after), [200], 'a normal request works afterwards');
    });
  }
});
