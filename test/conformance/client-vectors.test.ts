import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { CLIENT_VECTORS } from './client-vectors.js';
import { type RecordingBackend, startRecordingBackend } from './recording-backend.js';
import { AddressPool, exchange, statuses } from './vector-client.js';

// Vectors run concurrently against one Switchyard; each holds its own client address while it runs, so
// the requests the server receives are told apart by the X-Real-Ip the proxy adds.
const CONCURRENCY = 24;

const byText = (a: readonly string[], b: readonly string[]) => (a.join(' ') < b.join(' ') ? -1 : 1);

describe('client vectors: what the client gets and what the server receives (issue 18)', {
  concurrency: CONCURRENCY,
}, () => {
  let backend: RecordingBackend;
  let sy: Running;
  let port: number;
  const pool = new AddressPool(CONCURRENCY);

  before(async () => {
    backend = await startRecordingBackend();
    const dir = tempDir();
    const dynamic = writeFile(
      dir,
      'dynamic.yml',
      `http:
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
    // Short read and idle timeouts keep the vectors that never finish (408) and idle ones short.
    const config = writeFile(
      dir,
      'switchyard.yml',
      `entryPoints:
  web:
    address: "127.0.0.1:0"
    transport:
      respondingTimeouts:
        readTimeout: 2s
        idleTimeout: 2s
providers:
  file:
    filename: ${dynamic}
`,
    );
    sy = await startSwitchyard([`--configFile=${config}`], { expectEntryPoints: ['web'] });
    await sy.waitFor(/configuration applied.*generation=2/);
    port = sy.ports.get('web')!;
  });

  after(async () => {
    await sy?.stop();
    await backend?.close();
  });

  it(`has at least 600 vectors (${CLIENT_VECTORS.length})`, () => {
    assert.ok(CLIENT_VECTORS.length >= 600);
    const names = new Set(CLIENT_VECTORS.map((v) => `${v.group}: ${v.name}`));
    assert.equal(names.size, CLIENT_VECTORS.length, 'vector names are unique');
  });

  for (const v of CLIENT_VECTORS) {
    it(`${v.group}: ${v.name}: ${v.statuses.join(', ') || 'closed'}`, async () => {
      const address = pool.take();
      try {
        const data = await exchange(port, v.send, address);
        assert.deepEqual(statuses(data), v.statuses, JSON.stringify(data.slice(0, 400)));
        const next = await exchange(
          port,
          'GET /next HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n',
          address,
        );
        assert.deepEqual(statuses(next), [200], 'a normal request works afterwards');
        // Node's server parses pipelined requests ahead and the proxy forwards them at once, on several
        // upstream connections: the server may receive them in any order (the client's answers keep theirs).
        assert.deepEqual(
          backend
            .from(address)
            .map((r) => [r.method, r.target, r.body])
            .sort(byText),
          [...v.received, ['GET', '/next', '']].sort(byText),
          'the server must receive exactly one faithful request per accepted client request',
        );
      } finally {
        backend.forget(address);
        pool.give(address);
      }
    });
  }

  it('no request reached the server unattributed or unframeable (no desync)', () => {
    assert.deepEqual(backend.stray(), []);
  });
});
