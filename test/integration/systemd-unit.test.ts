import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BIN, REPO_ROOT, type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { freePort } from '../helpers/free-port.js';

// packaging/switchyard.service names the command where `npm install -g` puts it; here it is this
// checkout's bin/switchyard.js. Nothing else of the unit is changed.
const INSTALLED = '/usr/local/bin/switchyard';
const unit = readFileSync(join(REPO_ROOT, 'packaging', 'switchyard.service'), 'utf8');
const local = unit.replaceAll(INSTALLED, BIN);

function run(
  cmd: string,
  args: string[],
  cwd?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The value of `key=` in the unit (the first one). */
function setting(key: string): string {
  const line = local.split('\n').find((l) => l.startsWith(`${key}=`));
  assert.ok(line, `${key}= is set`);
  return line.slice(key.length + 1);
}

describe('the systemd unit (packaging/switchyard.service)', () => {
  it('passes systemd-analyze verify without a warning', async () => {
    assert.ok(unit.includes(`ExecStart=${INSTALLED}`));
    const file = writeFile(tempDir('switchyard-unit-'), 'switchyard.service', local);
    const res = await run('systemd-analyze', ['verify', file]);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stderr.trim(), '');
  });

  it('reloads with SIGHUP, stops with SIGTERM, is hardened and does not restart on a bad configuration', () => {
    assert.equal(setting('ExecReload'), '/bin/kill -HUP $MAINPID');
    assert.equal(setting('KillSignal'), 'SIGTERM');
    assert.equal(setting('RestartPreventExitStatus'), '2');
    for (const key of ['DynamicUser', 'NoNewPrivileges', 'ProtectSystem', 'PrivateTmp', 'ProtectHome']) {
      assert.notEqual(setting(key), 'no');
    }
    assert.equal(setting('CapabilityBoundingSet'), 'CAP_NET_BIND_SERVICE');
  });

  describe('readiness probe (ExecStartPost)', () => {
    let sy: Running;
    let dir: string;

    before(async () => {
      // The probe and the instance find the same static configuration (here in the working directory).
      dir = tempDir('switchyard-unit-');
      const port = await freePort();
      writeFile(
        dir,
        'switchyard.yml',
        `entryPoints:\n  web:\n    address: "127.0.0.1:0"\n  traefik:\n    address: "127.0.0.1:${port}"\nping: {}\n`,
      );
      sy = await startSwitchyard([], { expectEntryPoints: ['web', 'traefik'], cwd: dir });
    });

    after(async () => {
      await sy?.stop();
    });

    it('succeeds once /ping answers', async () => {
      // systemd turns `$$` into `$` before handing the command to /bin/sh.
      const command = setting('ExecStartPost').replaceAll('$$', '$');
      const [shell, flag, script] = /^(\S+) (-c) '(.*)'$/.exec(command)!.slice(1) as [string, string, string];
      const res = await run(shell, [flag, script], dir);
      assert.equal(res.code, 0, res.stdout + res.stderr);
    });
  });
});
