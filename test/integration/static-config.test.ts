import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startWhoami } from '../../src/cli/whoami.js';
import { runCli, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { request } from '../helpers/http.js';

describe('static configuration sources merge (flags > env > file)', () => {
  it('takes the entrypoint from env, the provider from the file and the log level from a flag', async () => {
    const backend = await startWhoami({ name: 'merged' });
    const dir = tempDir();
    writeFile(
      dir,
      'dynamic.yml',
      `http:\n  routers:\n    r:\n      rule: "PathPrefix(\`/\`)"\n      service: s\n  services:\n    s:\n      loadBalancer:\n        servers:\n          - url: "http://127.0.0.1:${backend.port}"\n`,
    );
    const file = writeFile(
      dir,
      'static.toml',
      `[entryPoints.web]\naddress = "127.0.0.1:1"\n[providers.file]\nfilename = "${dir}/dynamic.yml"\n[log]\nlevel = "ERROR"\n`,
    );
    const sy = await startSwitchyard([`--configFile=${file}`], {
      expectEntryPoints: ['web'],
      env: { TRAEFIK_ENTRYPOINTS_WEB_ADDRESS: '127.0.0.1:0' },
    });
    try {
      await sy.waitFor(/configuration applied.*generation=2/);
      const res = await request(sy.url('web', '/'));
      assert.equal(res.status, 200);
      assert.match(res.body, /Name: merged/);
    } finally {
      await sy.stop();
      await backend.close();
    }
  });

  it('refuses to start on an unknown key and says where it is', async () => {
    const res = await runCli(['--entryPoints.web.address=127.0.0.1:0', '--pnig=true']);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /pnig.*did you mean "ping"/);
  });

  it('fails clearly when the named configuration file does not exist', async () => {
    const res = await runCli(['--configFile=/nonexistent/switchyard.yml']);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /does not exist/);
  });

  it('starts with api, metrics and accessLog without calling them unsupported; serves api@internal', async () => {
    const dir = tempDir();
    writeFile(
      dir,
      'dynamic.yml',
      'http:\n  routers:\n    api:\n      rule: "PathPrefix(`/api`)"\n      service: api@internal\n',
    );
    const sy = await startSwitchyard([
      '--entryPoints.web.address=127.0.0.1:0',
      `--providers.file.filename=${dir}/dynamic.yml`,
      '--api=true',
      '--metrics.prometheus=true',
      '--accessLog=true',
      '--entryPoints.web.http3=true',
    ]);
    try {
      await sy.waitFor(/configuration applied.*generation=2/);
      const res = await request(sy.url('web', '/api/version'));
      assert.equal(res.status, 200);
      const unsupported = sy
        .output()
        .split('\n')
        .filter((l) => /no effect/.test(l));
      assert.equal(unsupported.length, 1, sy.output());
      assert.match(unsupported[0]!, /entryPoints\.web\.http3/);
    } finally {
      await sy.stop();
    }
  });
});
