import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startWhoami, type WhoamiServer } from '../../src/cli/whoami.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { eventually, request } from '../helpers/http.js';

describe('broken configuration never takes down what works', () => {
  let backend: WhoamiServer;
  let sy: Running;
  let dir: string;
  const router = (name: string, host: string, service = 'svc') =>
    `http:\n  routers:\n    ${name}:\n      rule: "Host(\`${host}\`)"\n      service: ${service}\n`;

  before(async () => {
    backend = await startWhoami({ name: 'backend' });
    dir = tempDir();
    writeFile(
      dir,
      'services.yml',
      `http:\n  services:\n    svc:\n      loadBalancer:\n        servers:\n          - url: "http://127.0.0.1:${backend.port}"\n`,
    );
    writeFile(dir, 'one.yml', router('one', 'one.test'));
    writeFile(dir, 'two.yml', router('two', 'two.test'));
    sy = await startSwitchyard([
      '--entryPoints.web.address=127.0.0.1:0',
      `--providers.file.directory=${dir}`,
      '--providers.providersThrottleDuration=20ms',
    ]);
    await eventually(
      async () => (await request(sy.url('web'), { headers: { host: 'two.test' } })).status === 200,
    );
  });

  after(async () => {
    await sy?.stop();
    await backend?.close();
  });

  it("keeps a file's last good content and the other files when one file stops parsing", async () => {
    writeFile(dir, 'two.yml', 'http:\n  routers:\n    two: [unclosed\n');
    const line = await sy.waitFor(/two\.yml:\d+/);
    assert.match(line, /two\.yml:\d+/);
    for (const host of ['one.test', 'two.test']) {
      const res = await request(sy.url('web'), { headers: { host } });
      assert.equal(res.status, 200, host);
    }
  });

  it('disables only the broken element and says why', async () => {
    writeFile(
      dir,
      'two.yml',
      `${router('two', 'two.test', 'missing')}    three:\n      rule: "Host(\`three.test\`)"\n      service: svc\n`,
    );
    const line = await sy.waitFor(/router two@file.*missing@file/);
    assert.match(line, /does not exist/);
    await eventually(
      async () => (await request(sy.url('web'), { headers: { host: 'three.test' } })).status === 200,
    );
    assert.equal((await request(sy.url('web'), { headers: { host: 'two.test' } })).status, 404);
    assert.equal((await request(sy.url('web'), { headers: { host: 'one.test' } })).status, 200);
  });

  it('reports a rule syntax error with its column and keeps serving the rest', async () => {
    writeFile(
      dir,
      'two.yml',
      'http:\n  routers:\n    bad:\n      rule: "Host(`x.test`"\n      service: svc\n',
    );
    const line = await sy.waitFor(/router bad@file.*column/);
    assert.match(line, /column \d+/);
    assert.equal((await request(sy.url('web'), { headers: { host: 'one.test' } })).status, 200);
  });

  it('logs an unknown key with a suggestion', async () => {
    writeFile(
      dir,
      'two.yml',
      'http:\n  routers:\n    typo:\n      rule: "Host(`t.test`)"\n      servce: svc\n',
    );
    const line = await sy.waitFor(/servce/);
    assert.match(line, /did you mean "service"/);
    assert.equal((await request(sy.url('web'), { headers: { host: 'one.test' } })).status, 200);
  });

  it('logs each broken element once, however many there are', async () => {
    const routers = Array.from(
      { length: 300 },
      (_, i) => `    p${i}:\n      rule: "Host(\`p${i}.test\`)"\n      service: svc\n      priority: high\n`,
    ).join('');
    writeFile(dir, 'two.yml', `${router('lost', 'lost.test', 'nowhere')}${routers}`);
    await sy.waitFor(/router lost@file.*nowhere@file/);
    await eventually(async () => sy.output().includes('p299@file'));
    assert.equal((await request(sy.url('web'), { headers: { host: 'one.test' } })).status, 200);
    const lines = sy.output().split('\n');
    // A schema error is logged where it is found, and not again as the element's runtime error.
    for (const name of ['p0@file', 'p299@file', 'lost@file']) {
      const mentions = lines.filter((l) => l.includes(`${name}:`) || l.includes(`${name} `));
      assert.equal(mentions.length, 1, `${name}:\n${mentions.join('\n')}`);
    }
  });
});
