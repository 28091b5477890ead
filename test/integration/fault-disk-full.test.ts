import assert from 'node:assert/strict';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startWhoami, type WhoamiServer } from '../../src/cli/whoami.js';
import { type Running, startSwitchyard, tempDir } from '../helpers/cli.js';
import { catchAllDynamic } from '../helpers/fault-proxy.js';
import { eventually, request } from '../helpers/http.js';

/**
 * The access log on a full disk: a real 64 KiB tmpfs, mounted in a mount namespace made for the proxy
 * (`unshare -m`, root). The test reaches that tmpfs through /proc/PID/root, fills it, frees it.
 */
describe('access log on a full disk (tmpfs in a mount namespace)', () => {
  let backend: WhoamiServer;
  let sy: Running;
  const dir = tempDir('switchyard-diskfull-');

  before(async () => {
    backend = await startWhoami({ name: 'disk' });
    sy = await startSwitchyard(
      [
        '--entryPoints.web.address=127.0.0.1:0',
        `--providers.file.filename=${catchAllDynamic(backend.port)}`,
        `--accessLog.filePath=${join(dir, 'access.log')}`,
      ],
      {
        expectEntryPoints: ['web'],
        prefix: ['unshare', '-m', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs "$0" && exec "$@"', dir],
      },
    );
    await sy.waitFor(/configuration applied.*generation=2/);
  });
  after(async () => {
    await sy?.stop();
    await backend?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps serving, logs the error once, resumes logging when space returns', async (t) => {
    const inside = (name: string) => join(`/proc/${sy.proc.pid}/root`, dir, name);
    assert.equal((await request(sy.url('web', '/first'))).status, 200);
    await eventually(() => readFileSync(inside('access.log'), 'utf8').includes('/first'));
    // Fill the tmpfs: write until ENOSPC.
    const filler = inside('filler');
    let size = 0;
    for (let i = 0; i < 64; i++) {
      try {
        writeFileSync(filler, Buffer.alloc(4096), { flag: 'a' });
        size += 4096;
      } catch {
        break;
      }
    }
    assert.ok(statSync(filler).size === size && size < 64 * 1024 + 4096);
    for (let i = 0; i < 100; i++) assert.equal((await request(sy.url('web', `/full-${i}`))).status, 200);
    await sy.waitFor(/ENOSPC|no space/i);
    const errors = sy
      .output()
      .split('\n')
      .filter((l) => /ENOSPC|no space/i.test(l));
    t.diagnostic(errors.join(' / '));
    assert.ok(errors.length <= 2, `the error was logged ${errors.length} times:\n${errors.join('\n')}`);
    rmSync(filler);
    await eventually(async () => {
      await request(sy.url('web', '/after'));
      return readFileSync(inside('access.log'), 'utf8').includes('/after');
    }, 20_000);
  });
});
