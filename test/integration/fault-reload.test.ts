import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startWhoami, type WhoamiServer } from '../../src/cli/whoami.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { request } from '../helpers/http.js';

const RELOADS = Number(process.env.SWITCHYARD_FAULT_RELOADS ?? 40);
/** Concurrent keep-alive clients of the load loop. */
const CLIENTS = 8;
/** Upper bound of the load loop (it normally stops when the reloads are done). */
const MAX_REQUESTS = 200_000;

/** The dynamic file of generation `n`: the catch-all router, plus an extra router on odd rewrites. */
function dynamicFile(backendPort: number, n: number): string {
  const extra =
    n % 2 === 1
      ? `    extra${n}:\n      rule: "Host(\`extra${n}.example.test\`)"\n      entryPoints: [web]\n      service: s\n`
      : '';
  return `http:\n  routers:\n    r:\n      rule: "PathPrefix(\`/\`)"\n      priority: 1\n      entryPoints: [web]\n      service: s\n${extra}  services:\n    s:\n      loadBalancer:\n        servers:\n          - url: "http://127.0.0.1:${backendPort}"\n`;
}

describe(`${RELOADS} reloads under load`, () => {
  let backend: WhoamiServer;
  let sy: Running;
  const dir = tempDir();
  let file: string;

  before(async () => {
    backend = await startWhoami({ name: 'reload' });
    file = writeFile(dir, 'dynamic.yml', dynamicFile(backend.port, 0));
    sy = await startSwitchyard(
      [
        '--entryPoints.web.address=127.0.0.1:0',
        // Traefik's default of 2 s between applied configurations would make 40 reloads take 80 s.
        '--providers.providersThrottleDuration=100ms',
        `--providers.file.filename=${file}`,
      ],
      {
        expectEntryPoints: ['web'],
      },
    );
    await sy.waitFor(/configuration applied.*generation=2/);
  });
  after(async () => {
    await sy?.stop();
    await backend?.close();
  });

  it('no request fails while the configuration is replaced again and again', async (t) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
    const url = sy.url('web', '/');
    const failures: string[] = [];
    let ok = 0;
    let sent = 0;
    let reloading = true;
    const client = async () => {
      while (reloading && sent < MAX_REQUESTS) {
        sent++;
        try {
          const res = await request(url, { agent });
          if (res.status === 200) ok++;
          else failures.push(`${res.status} ${res.body.slice(0, 60)}`);
        } catch (err) {
          failures.push(String(err));
        }
      }
    };
    const load = Promise.all(Array.from({ length: CLIENTS }, client));
    try {
      // Each rewrite waits for its generation to apply, so every one is a real reload under load.
      for (let n = 1; n <= RELOADS; n++) {
        writeFile(dir, 'dynamic.yml', dynamicFile(backend.port, n));
        await sy.waitFor(new RegExp(`configuration applied.*generation=${n + 2}\\b`), 20_000);
      }
    } finally {
      reloading = false;
      await load;
      agent.destroy();
    }
    t.diagnostic(`${ok} requests served during ${RELOADS} reloads, ${failures.length} failed`);
    assert.deepEqual(failures, []);
    assert.ok(ok > RELOADS, `only ${ok} requests were served during ${RELOADS} reloads`);
  });
});
