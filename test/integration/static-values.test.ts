/**
 * Static values that Traefik loads, written the way its users write them, load here too: `check`
 * accepts them and the running instance uses them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli, startSwitchyard, tempDir, WEB_AND_TRAEFIK_ON_PORT_0, writeFile } from '../helpers/cli.js';
import { eventually, request } from '../helpers/http.js';

describe('static values Traefik loads', () => {
  const dir = tempDir();
  const config = writeFile(
    dir,
    'switchyard.yml',
    `${WEB_AND_TRAEFIK_ON_PORT_0}metrics:
  prometheus:
    buckets: "0.25,0.75,2.5"
certificatesResolvers:
  le:
    acme:
      email: admin@example.test
      keyType: ""
      storage: ${dir}/acme.json
      httpChallenge:
        entryPoint: web
`,
  );

  it('check accepts buckets as a comma-separated string and an empty acme keyType', async () => {
    const res = await runCli(['check', `--configFile=${config}`]);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.match(res.stdout, /configuration is valid/);
  });

  it('the histograms use the buckets of the string', async () => {
    const sy = await startSwitchyard([`--configFile=${config}`], { expectEntryPoints: ['web', 'traefik'] });
    try {
      assert.equal((await request(sy.url('web', '/nothing'))).status, 404);
      let text = '';
      await eventually(async () => {
        text = (await request(sy.url('traefik', '/metrics'))).body;
        return /traefik_entrypoint_request_duration_seconds_bucket\{[^}]*entrypoint="web"[^}]*le="\+Inf"\} 1/.test(
          text,
        );
      });
      const bounds = [
        ...text.matchAll(/traefik_entrypoint_request_duration_seconds_bucket\{[^}]*le="([^"]+)"/g),
      ].map((m) => m[1]);
      assert.deepEqual([...new Set(bounds)], ['0.25', '0.75', '2.5', '+Inf']);
    } finally {
      assert.equal(await sy.stop(), 0);
    }
  });
});
