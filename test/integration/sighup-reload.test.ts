import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { startWhoami, type WhoamiServer } from '../../src/cli/whoami.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { eventually, request, whoamiName } from '../helpers/http.js';

const dynamic = (port: number) =>
  `http:\n  routers:\n    r:\n      rule: "PathPrefix(\`/\`)"\n      service: s\n  services:\n    s:\n      loadBalancer:\n        servers:\n          - url: "http://127.0.0.1:${port}"\n`;

describe('SIGHUP', () => {
  let one: WhoamiServer;
  let two: WhoamiServer;
  let sy: Running;
  let file: string;

  before(async () => {
    one = await startWhoami({ name: 'one' });
    two = await startWhoami({ name: 'two' });
    file = writeFile(tempDir(), 'dynamic.yml', dynamic(one.port));
    // Not watched: only a SIGHUP makes the file provider read the file again.
    sy = await startSwitchyard(
      [
        '--entryPoints.web.address=127.0.0.1:0',
        `--providers.file.filename=${file}`,
        '--providers.file.watch=false',
        '--providers.providersThrottleDuration=0s',
      ],
      { expectEntryPoints: ['web'] },
    );
    await sy.waitFor(/configuration applied.*routers=1/);
  });

  after(async () => {
    await sy?.stop();
    await one?.close();
    await two?.close();
  });

  it('reads the file provider again: the new route serves, the process keeps running', async () => {
    assert.equal(whoamiName((await request(sy.url('web'))).body), 'one');
    writeFileSync(file, dynamic(two.port));
    sy.proc.kill('SIGHUP');
    await sy.waitFor(/signal received signal=SIGHUP/);
    await eventually(async () => whoamiName((await request(sy.url('web'))).body) === 'two');
    assert.equal(sy.proc.exitCode, null);
  });
});
