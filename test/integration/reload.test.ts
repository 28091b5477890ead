import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startWhoami, type WhoamiServer } from '../../src/cli/whoami.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { request, whoamiName } from '../helpers/http.js';

function dynamicConfig(routers: number, serverPorts: number[]): string {
  let out = 'http:\n  routers:\n';
  out += '    main:\n      rule: "Host(`reload.test`)"\n      service: svc\n';
  for (let i = 0; i < routers; i++)
    out += `    extra${i}:\n      rule: "Host(\`x${i}.test\`)"\n      service: svc\n`;
  out += '  services:\n    svc:\n      loadBalancer:\n        servers:\n';
  for (const p of serverPorts) out += `          - url: "http://127.0.0.1:${p}"\n`;
  return out;
}

describe('live reload of the file provider', () => {
  let a: WhoamiServer;
  let b: WhoamiServer;
  let sy: Running;
  let dir: string;

  before(async () => {
    a = await startWhoami({ name: 'a' });
    b = await startWhoami({ name: 'b' });
    dir = tempDir();
    writeFile(dir, 'dynamic.yml', dynamicConfig(0, [a.port]));
    sy = await startSwitchyard([
      '--entryPoints.web.address=127.0.0.1:0',
      `--providers.file.directory=${dir}`,
      '--providers.providersThrottleDuration=20ms',
    ]);
    await sy.waitFor(/configuration applied.*generation=2/);
  });

  after(async () => {
    await sy?.stop();
    await a?.close();
    await b?.close();
  });

  it('applies ten configuration changes under load without failing one request', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    let stop = false;
    let ok = 0;
    const failures: string[] = [];
    const seen = new Set<string>();
    const deadline = Date.now() + 30_000;
    const worker = async () => {
      for (let i = 0; i < 5_000 && !stop && Date.now() < deadline; i++) {
        try {
          const res = await request(sy.url('web', '/'), { headers: { host: 'reload.test' }, agent });
          if (res.status === 200) {
            ok++;
            seen.add(whoamiName(res.body) ?? '?');
          } else failures.push(`status ${res.status}: ${res.body}`);
        } catch (err) {
          failures.push(String(err));
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    for (let gen = 3; gen <= 12; gen++) {
      const ports = gen % 2 === 0 ? [a.port, b.port] : [b.port];
      writeFile(dir, 'dynamic.yml', dynamicConfig(gen * 10, ports));
      await sy.waitFor(new RegExp(`configuration applied.*generation=${gen}\\b`));
    }
    stop = true;
    await Promise.all(workers);
    agent.destroy();
    assert.deepEqual(failures, []);
    assert.ok(ok > 0);
    assert.ok(seen.has('a') && seen.has('b'), `both backends served: ${[...seen]}`);
  });
});
