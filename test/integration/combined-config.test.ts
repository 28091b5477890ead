import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startWhoami } from '../../src/cli/whoami.js';
import { runCli, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { request } from '../helpers/http.js';

/** One file with both halves, `providers.file.filename` naming that same file (Traefik's fixtures do this). */
function combinedYaml(dir: string, backendPort: number, extra = ''): string {
  const path = `${dir}/traefik.yml`;
  return writeFile(
    dir,
    'traefik.yml',
    [
      'entryPoints:',
      '  web:',
      '    address: "127.0.0.1:0"',
      'providers:',
      '  file:',
      `    filename: ${path}`,
      'log:',
      '  level: INFO',
      'http:',
      '  routers:',
      '    r:',
      '      rule: "PathPrefix(`/`)"',
      '      service: s',
      '  services:',
      '    s:',
      '      loadBalancer:',
      '        servers:',
      `          - url: "http://127.0.0.1:${backendPort}"`,
      'tls:',
      '  options:',
      '    default:',
      '      minVersion: VersionTLS12',
      extra,
    ].join('\n'),
  );
}

describe('static and dynamic configuration in one file', () => {
  it('check accepts a YAML file holding entryPoints, providers, http and tls', async () => {
    const file = combinedYaml(tempDir(), 1);
    const res = await runCli(['check', `--configFile=${file}`]);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.match(res.stdout, /configuration is valid.*1 entrypoints, 1 routers/);
    assert.doesNotMatch(res.stdout, /unknown key/);
  });

  it('check accepts the same in TOML', async () => {
    const dir = tempDir();
    const file = writeFile(
      dir,
      'traefik.toml',
      [
        '[entryPoints.web]',
        '  address = "127.0.0.1:0"',
        '[providers.file]',
        `  filename = "${dir}/traefik.toml"`,
        '[http.routers.r]',
        '  rule = "Host(`a.test`)"',
        '  service = "s"',
        '[[http.services.s.loadBalancer.servers]]',
        '  url = "http://127.0.0.1:1"',
        '[tcp.routers.t]',
        '  rule = "HostSNI(`*`)"',
        '  service = "ts"',
        '[[tcp.services.ts.loadBalancer.servers]]',
        '  address = "127.0.0.1:1"',
        '',
      ].join('\n'),
    );
    const res = await runCli(['check', `--configFile=${file}`]);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.match(res.stdout, /configuration is valid/);
  });

  it('run serves the routers of the file it was started with', async () => {
    const backend = await startWhoami({ name: 'combined' });
    const file = combinedYaml(tempDir(), backend.port);
    const sy = await startSwitchyard([`--configFile=${file}`]);
    try {
      await sy.waitFor(/configuration applied.*routers=1/);
      const res = await request(sy.url('web', '/x'));
      assert.equal(res.status, 200);
      assert.match(res.body, /Name: combined/);
      assert.doesNotMatch(sy.output(), /unknown key|configuration error/);
    } finally {
      await sy.stop();
      await backend.close();
    }
  });

  it('still reports typos in either half with a suggestion', async () => {
    const file = combinedYaml(tempDir(), 1, 'htpp:\n  routers: {}\nentryPonits: {}\n');
    const res = await runCli(['check', `--configFile=${file}`]);
    assert.equal(res.code, 2, res.stdout + res.stderr);
    assert.match(res.stdout, /unknown key "htpp" \(did you mean "http"\?\)/);
    assert.match(res.stdout, /unknown key "entryPonits" \(did you mean "entryPoints"\?\)/);
  });
});
