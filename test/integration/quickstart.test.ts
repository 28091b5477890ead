/**
 * The README's quick start as a user runs it: `npm run quickstart -- --api.insecure=true`, on its fixed
 * ports (8000, 8443, 8080 and the backends on 9001, 9002), inside a network namespace of the test's own so
 * that nothing else on the machine holds those ports. Needs root (CI runs as root).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/cli.js';
import { eventually } from '../helpers/http.js';
import { createNetns, type Netns, netnsUnavailable } from '../helpers/netns.js';

describe('npm run quickstart', () => {
  let ns: Netns;

  /** curl inside the namespace: status and body (rejects when the connection fails). */
  const curl = async (url: string, ...flags: string[]) => {
    const out = await ns.run('curl', ['-s', '-k', '-m', '20', ...flags, '-w', '\n%{http_code}', url]);
    const cut = out.lastIndexOf('\n');
    return { status: Number(out.slice(cut + 1)), body: out.slice(0, cut) };
  };

  before(async () => {
    const unavailable = netnsUnavailable();
    if (unavailable) throw new Error(`the quick start test ${unavailable}`);
    ns = await createNetns();
  });

  after(() => ns?.destroy());

  it('passes its arguments on, says where it answers only once it does, and Ctrl-C stops everything', async () => {
    const proc = spawn(
      'ip',
      ['netns', 'exec', ns.name, 'npm', 'run', '--silent', 'quickstart', '--', '--api.insecure=true'],
      // A process group of its own, so that Ctrl-C can be sent to all of it as a terminal does.
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    let out = '';
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const guard = setTimeout(() => reject(new Error(`no address line within 60 s:\n${out}`)), 60_000);
        const onData = (chunk: Buffer) => {
          out += chunk;
          const hit = /^Switchyard on .*$/m.exec(out);
          if (hit) {
            clearTimeout(guard);
            resolve(hit[0]);
          }
        };
        proc.stdout!.on('data', onData);
        proc.stderr!.on('data', onData);
        void exited.then((code) => reject(new Error(`the quick start exited (${code}):\n${out}`)));
      });
      // Asked at once, every address the line names answers as the README says.
      const [root, secure, ping, dashboard, api] = await Promise.all([
        curl('http://localhost:8000/'),
        curl('https://localhost:8443/'),
        curl('http://localhost:8080/ping'),
        curl('http://localhost:8080/dashboard/'),
        curl('http://localhost:8000/api/x', '-D', '-'),
      ]);
      assert.match(
        line,
        /http:\/\/localhost:8000\/.*https:\/\/localhost:8443\/.*http:\/\/localhost:8080\/ping/,
      );
      assert.match(line, /dashboard on http:\/\/localhost:8080\/dashboard\//);
      assert.equal(root.status, 200);
      assert.match(root.body, /^Name: backend-[12]$/m);
      assert.equal(secure.status, 200);
      assert.match(secure.body, /^Name: backend-[12]$/m);
      assert.deepEqual(ping, { status: 200, body: 'OK' });
      assert.equal(dashboard.status, 200, 'the dashboard answers: --api.insecure=true reached Switchyard');
      assert.match(dashboard.body, /<html/i);
      assert.equal(api.status, 200);
      assert.match(api.body, /^X-Served-By: switchyard\r?$/im);
      assert.match(api.body, /^GET \/x HTTP/m);
    } finally {
      if (proc.exitCode === null) process.kill(-proc.pid!, 'SIGINT'); // Ctrl-C
    }
    await exited;
    // Ctrl-C stopped everything it started: nothing is left listening in the namespace.
    await eventually(async () => (await ns.run('ss', ['-Hltn'])).trim() === '');
    assert.match(out, /INF stopped/);
  });
});
