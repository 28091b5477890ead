import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Running } from '../helpers/cli.js';
import { CLIENT_VECTORS } from './client-vectors.js';
import { type RecordingBackend, startRecordingBackend } from './recording-backend.js';
import { AddressPool } from './vector-client.js';
import { startVectorSwitchyard } from './vector-proxies.js';
import { expectedReceived, runVector } from './vector-runner.js';

// Vectors run concurrently against one Switchyard; each holds its own client address while it runs, so
// the requests the server receives are told apart by the X-Real-Ip the proxy adds.
const CONCURRENCY = 24;

describe('client vectors: what the client gets and what the server receives (issue 18)', {
  concurrency: CONCURRENCY,
}, () => {
  let backend: RecordingBackend;
  let sy: Running;
  let port: number;
  const pool = new AddressPool(CONCURRENCY);

  before(async () => {
    backend = await startRecordingBackend();
    sy = await startVectorSwitchyard(backend.port);
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
        const got = await runVector(port, backend, v, address);
        assert.deepEqual(got.statuses, v.statuses, JSON.stringify(got.data.slice(0, 400)));
        assert.deepEqual(got.next, [200], 'a normal request works afterwards');
        assert.deepEqual(
          got.received,
          expectedReceived(v),
          'the server must receive exactly one faithful request per accepted client request',
        );
      } finally {
        pool.give(address);
      }
    });
  }

  it('no request reached the server unattributed or unframeable (no desync)', () => {
    assert.deepEqual(backend.stray(), []);
  });
});
