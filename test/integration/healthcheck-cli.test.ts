import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Running, runCli, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { freePort } from '../helpers/free-port.js';

describe('switchyard healthcheck', () => {
  let sy: Running;
  let config: string;

  before(async () => {
    const port = await freePort();
    // The probe reads the same static configuration as the instance, as in a container's HEALTHCHECK.
    config = writeFile(
      tempDir(),
      'switchyard.yml',
      `entryPoints:\n  web:\n    address: "127.0.0.1:0"\n  traefik:\n    address: "127.0.0.1:${port}"\nping: {}\n`,
    );
    sy = await startSwitchyard([`--configFile=${config}`], { expectEntryPoints: ['web', 'traefik'] });
  });

  after(async () => {
    await sy?.stop();
  });

  it('exits 0 when the instance answers /ping', async () => {
    const res = await runCli(['healthcheck', `--configFile=${config}`]);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.match(res.stdout, /^OK: http:\/\/127\.0\.0\.1:\d+\/ping/);
  });

  it('exits 2 and says why when ping is not enabled', async () => {
    const res = await runCli(['healthcheck', '--entryPoints.web.address=127.0.0.1:1']);
    assert.equal(res.code, 2);
    assert.match(res.stdout, /ping is not enabled/);
  });

  it('exits 1 when nothing answers', async () => {
    const port = await freePort();
    const res = await runCli(['healthcheck', '--ping', `--entryPoints.traefik.address=127.0.0.1:${port}`]);
    assert.equal(res.code, 1);
    assert.match(res.stdout, /unhealthy: .*ECONNREFUSED|unhealthy: .*refused/i);
  });
});
