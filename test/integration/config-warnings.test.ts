/**
 * Configurations that load but are likely not what their author meant get a warning, where the user
 * looks: `switchyard check`, the log, and the element's entry in the API. Nothing is disabled.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import zlib from 'node:zlib';
import { runCli, startSwitchyard, tempDir, WEB_AND_TRAEFIK_ON_PORT_0, writeFile } from '../helpers/cli.js';
import { eventually, request } from '../helpers/http.js';

/** A static file for `dynamic` (YAML), with the API on the `traefik` entrypoint. */
function configFiles(dynamic: string): string {
  const dir = tempDir();
  const file = writeFile(dir, 'dynamic.yml', dynamic);
  return writeFile(
    dir,
    'switchyard.yml',
    `${WEB_AND_TRAEFIK_ON_PORT_0}api:
  insecure: true
providers:
  file:
    filename: ${file}
`,
  );
}

const V2_HOST_RULE = `
http:
  routers:
    wild:
      rule: "HostRegexp(\`{sub:[a-z]+}.example.test\`)"
      service: s
    users:
      rule: "Path(\`/users/{id:[0-9]+}\`)"
      service: s
  services:
    s:
      loadBalancer:
        servers: [{ url: "http://127.0.0.1:1" }]
`;
const HOST_HINT =
  'HostRegexp(`^[a-z]+\\.example\\.test$`) instead of HostRegexp(`{sub:[a-z]+}.example.test`)';
const PATH_HINT = 'PathRegexp(`^/users/[0-9]+$`) instead of Path(`/users/{id:[0-9]+}`)';

describe('warnings for configurations that load but do not do what they say', () => {
  it('check: a v2 placeholder in a v3 rule is a warning with the v3 form, and the file is valid', async () => {
    const res = await runCli(['check', `--configFile=${configFiles(V2_HOST_RULE)}`]);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const warnings = res.stdout.split('\n').filter((l) => l.startsWith('warning: '));
    assert.equal(warnings.length, 2, res.stdout);
    assert.ok(warnings[0]!.startsWith('warning: router users@file: ') || warnings[1]!.includes('users@file'));
    assert.ok(res.stdout.includes(HOST_HINT), res.stdout);
    assert.ok(res.stdout.includes(PATH_HINT), res.stdout);
    assert.match(res.stdout, /configuration is valid.*2 routers/);
  });

  it('run: the router keeps running with status warning in the API, and the log says why once', async () => {
    const sy = await startSwitchyard([`--configFile=${configFiles(V2_HOST_RULE)}`], {
      expectEntryPoints: ['web', 'traefik'],
    });
    try {
      await sy.waitFor(/configuration applied generation=2/);
      const res = await request(sy.url('traefik', '/api/http/routers/wild@file'));
      assert.equal(res.status, 200);
      const router = JSON.parse(res.body);
      assert.equal(router.status, 'warning');
      assert.equal(router.error.length, 1);
      assert.ok(router.error[0].includes(HOST_HINT), router.error[0]);
      const overview = JSON.parse((await request(sy.url('traefik', '/api/overview'))).body);
      assert.deepEqual(overview.http.routers, { total: 2, warnings: 2, errors: 0 });
      const logged = sy
        .output()
        .split('\n')
        .filter((l) => /WRN configuration warning: router wild@file/.test(l));
      assert.equal(logged.length, 1, sy.output());
      assert.ok(logged[0]!.includes(HOST_HINT));
      // As the warning says, the rule as written does not match the hosts it was meant for.
      const miss = await request(sy.url('web', '/'), { headers: { host: 'api.example.test' } });
      assert.equal(miss.status, 404);
    } finally {
      assert.equal(await sy.stop(), 0);
    }
  });

  it('compress: no zstd warning unless encodings names zstd, and then one that says so', async () => {
    const sy = await startSwitchyard(
      [
        `--configFile=${configFiles(`
http:
  routers:
    r:
      rule: "PathPrefix(\`/\`)"
      middlewares: [plain, asked]
      service: s
  middlewares:
    plain:
      compress: {}
    asked:
      compress:
        encodings: [zstd, gzip]
  services:
    s:
      loadBalancer:
        servers: [{ url: "http://127.0.0.1:1" }]
`)}`,
      ],
      { expectEntryPoints: ['web', 'traefik'] },
    );
    try {
      await sy.waitFor(/configuration applied generation=2/);
      await eventually(
        async () => (await request(sy.url('traefik', '/api/http/routers/r@file'))).status === 200,
      );
      const zstdLines = sy
        .output()
        .split('\n')
        .filter((l) => /zstd/i.test(l));
      const hasZstd = typeof (zlib as { createZstdCompress?: unknown }).createZstdCompress === 'function';
      if (hasZstd) assert.deepEqual(zstdLines, []);
      else {
        assert.equal(zstdLines.length, 1, sy.output());
        assert.match(
          zstdLines[0]!,
          /WRN compress: encoding "zstd" is not available on this Node\.js .*middleware=asked@file/,
        );
      }
    } finally {
      assert.equal(await sy.stop(), 0);
    }
  });
});
