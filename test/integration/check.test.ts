import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli, tempDir, writeFile } from '../helpers/cli.js';

describe('switchyard check', () => {
  it('accepts a valid configuration and exits 0', async () => {
    const dir = tempDir();
    writeFile(
      dir,
      'dynamic.yml',
      'http:\n  routers:\n    r:\n      rule: "Host(`a.test`)"\n      service: s\n  services:\n    s:\n      loadBalancer:\n        servers:\n          - url: "http://127.0.0.1:1"\n',
    );
    const file = writeFile(
      dir,
      'switchyard.yml',
      `entryPoints:\n  web:\n    address: ":8081"\nproviders:\n  file:\n    filename: ${dir}/dynamic.yml\n`,
    );
    const res = await runCli(['check', `--configFile=${file}`]);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.match(res.stdout, /configuration is valid.*1 routers/);
  });

  it('lists every static and dynamic error, with file:line and suggestions, and exits non-zero', async () => {
    const dir = tempDir();
    writeFile(
      dir,
      'dynamic.yml',
      [
        'http:',
        '  routers:',
        '    nosvc:',
        '      rule: "Host(`a.test`)"',
        '      service: missing',
        '    badrule:',
        '      rule: "Host(`a.test`"',
        '      service: s',
        '  middlewares:',
        '    m:',
        '      stripPrefx:',
        '        prefixes: ["/a"]',
        '  services:',
        '    s:',
        '      loadBalancer:',
        '        servers:',
        '          - url: "http://127.0.0.1:1"',
        '',
      ].join('\n'),
    );
    const file = writeFile(
      dir,
      'switchyard.yml',
      [
        'entryPoints:',
        '  web:',
        '    adress: ":8081"',
        'log:',
        '  level: LOUD',
        'providers:',
        '  file:',
        `    filename: ${dir}/dynamic.yml`,
        '',
      ].join('\n'),
    );
    const res = await runCli(['check', `--configFile=${file}`]);
    assert.equal(res.code, 2, res.stdout + res.stderr);
    const out = res.stdout;
    assert.match(out, /adress.*did you mean "address"/);
    assert.match(out, /switchyard\.yml:3/);
    assert.match(out, /LOUD/);
    assert.match(out, /nosvc@file.*missing@file.*does not exist/);
    assert.match(out, /badrule@file.*column/);
    assert.match(out, /stripPrefx.*did you mean "stripPrefix"/);
  });

  it('names the flag and the environment variable behind a type error', async () => {
    const res = await runCli(
      [
        'check',
        '--entryPoints.web.address=:1',
        '--entryPoints.web.transport.respondingTimeouts.readTimeout=fast',
      ],
      {
        env: { SWITCHYARD_PING_TERMINATINGSTATUSCODE: 'abc' },
      },
    );
    assert.equal(res.code, 2);
    assert.match(res.stdout, /readTimeout.*fast/);
    assert.match(res.stdout, /--entryPoints\.web\.transport\.respondingTimeouts\.readTimeout/);
    assert.match(res.stdout, /SWITCHYARD_PING_TERMINATINGSTATUSCODE/);
  });
});
