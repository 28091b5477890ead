import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { startWhoami, type WhoamiServer } from '../../src/cli/whoami.js';
import { startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { exchange, statuses } from './vector-client.js';

// Issue 18: responses in flight when a drain starts must tell keep-alive clients to go elsewhere.
describe('drain: in-flight responses say Connection: close (issue 18)', () => {
  let backend: WhoamiServer;
  before(async () => {
    backend = await startWhoami({ name: 'slow' });
  });
  after(async () => {
    await backend?.close();
  });

  it('keep-alive requests in flight at SIGTERM are answered, the last with Connection: close', async () => {
    const dynamic = writeFile(
      tempDir(),
      'dynamic.yml',
      `http:\n  routers:\n    r:\n      rule: "PathPrefix(\`/\`)"\n      service: s\n  services:\n    s:\n      loadBalancer:\n        servers: [{ url: "http://127.0.0.1:${backend.port}" }]\n`,
    );
    const sy = await startSwitchyard(
      ['--entryPoints.web.address=127.0.0.1:0', `--providers.file.filename=${dynamic}`],
      {
        expectEntryPoints: ['web'],
      },
    );
    await sy.waitFor(/configuration applied.*generation=2/);
    const arrived = once(backend.server, 'request');
    // Two keep-alive requests pipelined: both are in flight (the second queued behind the first).
    const answer = exchange(
      sy.ports.get('web')!,
      'GET /?wait=1000ms HTTP/1.1\r\nHost: app.test\r\n\r\nGET /?wait=10ms HTTP/1.1\r\nHost: app.test\r\n\r\n',
    );
    await arrived;
    const exited = sy.stop('SIGTERM');
    await sy.waitFor(/signal received/);
    const data = await answer;
    assert.deepEqual(statuses(data), [200, 200], data);
    // The last answer closes the connection; the one before keeps it open for it.
    const heads = data.split(/HTTP\/1\.1 /).slice(1);
    assert.match(heads[1]!, /\r\nConnection: close\r\n/i, heads[1]);
    assert.equal(await exited, 0);
  });
});
