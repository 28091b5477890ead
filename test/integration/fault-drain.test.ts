import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startWhoami, type WhoamiServer } from '../../src/cli/whoami.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { eventually, request } from '../helpers/http.js';

const IN_FLIGHT = 200;

/** `n` requests at once, each on its own connection; each settles to its status or its error code. */
function fire(url: string, n: number): Promise<(number | string)[]> {
  return Promise.all(
    Array.from({ length: n }, () =>
      request(url).then(
        (res) => res.status,
        (err: NodeJS.ErrnoException) => err.code ?? err.message,
      ),
    ),
  );
}

/** Whether a new TCP connection to `port` is accepted. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

describe('SIGTERM with 200 requests in flight', () => {
  let backend: WhoamiServer;
  let arrived = 0;
  let dynamic: string;

  before(async () => {
    backend = await startWhoami({ name: 'slow' });
    backend.server.on('request', () => arrived++);
    dynamic = writeFile(
      tempDir(),
      'dynamic.yml',
      `http:\n  routers:\n    r:\n      rule: "PathPrefix(\`/\`)"\n      entryPoints: [web]\n      service: s\n  services:\n    s:\n      loadBalancer:\n        servers:\n          - url: "http://127.0.0.1:${backend.port}"\n`,
    );
  });
  after(() => backend?.close());

  const start = async (graceTimeOut: string): Promise<Running> => {
    const sy = await startSwitchyard(
      [
        '--entryPoints.web.address=127.0.0.1:0',
        `--entryPoints.web.transport.lifeCycle.graceTimeOut=${graceTimeOut}`,
        '--entryPoints.traefik.address=127.0.0.1:0',
        // The ping entrypoint keeps accepting during the drain, so /ping can be asked (it answers 503).
        '--entryPoints.traefik.transport.lifeCycle.requestAcceptGraceTimeout=30s',
        `--entryPoints.traefik.transport.lifeCycle.graceTimeOut=${graceTimeOut}`,
        `--providers.file.filename=${dynamic}`,
        '--ping',
      ],
      { expectEntryPoints: ['web', 'traefik'] },
    );
    await sy.waitFor(/configuration applied.*generation=2/);
    return sy;
  };

  it('all 200 complete; meanwhile /ping answers 503 and new connections are refused; exit 0', async () => {
    const sy = await start('30s');
    const webPort = sy.ports.get('web')!;
    arrived = 0;
    const results = fire(sy.url('web', '/?wait=2s'), IN_FLIGHT);
    await eventually(() => arrived === IN_FLIGHT, 30_000);
    const exited = sy.stop('SIGTERM');
    await sy.waitFor(/signal received/);
    await eventually(async () => (await request(sy.url('traefik', '/ping'))).status === 503);
    await eventually(async () => !(await accepts(webPort)));
    const statuses = await results;
    assert.deepEqual(
      statuses.filter((s) => s !== 200),
      [],
    );
    assert.equal(statuses.length, IN_FLIGHT);
    assert.equal(await exited, 0);
  });

  it('requests still running after graceTimeOut have their connection closed (no hang), exit 0', async () => {
    const sy = await start('1s');
    arrived = 0;
    const results = fire(sy.url('web', '/?wait=60s'), IN_FLIGHT);
    await eventually(() => arrived === IN_FLIGHT, 30_000);
    const exited = sy.stop('SIGTERM');
    const statuses = await results;
    // The documented answer: whatever is left when graceTimeOut ends is closed (operations.md, step 5).
    assert.deepEqual(new Set(statuses), new Set(['ECONNRESET']));
    assert.equal(await exited, 0);
  });
});
