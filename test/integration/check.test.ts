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

  it('knows every internal service the static configuration enables, as the runtime does', async () => {
    const dir = tempDir();
    const internal = ['api', 'dashboard', 'noop', 'ping', 'prometheus', 'rest', 'acme-http'];
    const routers = internal.map(
      (name) => `    ${name}:\n      rule: "Host(\`${name}.test\`)"\n      service: ${name}@internal\n`,
    );
    writeFile(dir, 'dynamic.yml', `http:\n  routers:\n${routers.join('')}`);
    const staticFile = (extra: string) =>
      writeFile(
        dir,
        'switchyard.yml',
        `entryPoints:\n  web:\n    address: ":8081"\nproviders:\n  file:\n    filename: ${dir}/dynamic.yml\n${extra}`,
      );
    const all = [
      '  rest: {}',
      'api: {}',
      'ping: {}',
      'metrics:',
      '  prometheus: {}',
      'certificatesResolvers:',
      '  le:',
      '    acme:',
      '      email: a@example.test',
      '      httpChallenge:',
      '        entryPoint: web',
      '',
    ].join('\n');
    const ok = await runCli(['check', `--configFile=${staticFile(all)}`]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /configuration is valid.*7 routers/);

    // Without the static options, the same names are errors that say what would enable them.
    const none = await runCli(['check', `--configFile=${staticFile('')}`]);
    assert.equal(none.code, 2, none.stdout);
    assert.match(none.stdout, /service "api@internal" does not exist \(it exists when "api" is set/);
    assert.match(none.stdout, /service "ping@internal" does not exist/);
    assert.match(none.stdout, /service "prometheus@internal" does not exist/);
    assert.doesNotMatch(none.stdout, /noop@internal/);
  });

  it('judges rules with core.defaultRuleSyntax as the runtime does', async () => {
    const dir = tempDir();
    writeFile(
      dir,
      'dynamic.yml',
      'http:\n  routers:\n    r:\n      rule: "Host(`a.test`, `b.test`)"\n      service: noop@internal\n',
    );
    const args = ['check', '--entryPoints.web.address=:8081', `--providers.file.filename=${dir}/dynamic.yml`];
    const v3 = await runCli(args);
    assert.equal(v3.code, 2, v3.stdout);
    assert.match(v3.stdout, /wrong number of arguments for Host/);
    const v2 = await runCli([...args, '--core.defaultRuleSyntax=v2']);
    assert.equal(v2.code, 0, v2.stdout + v2.stderr);
  });

  it('warns only about options that have no effect', async () => {
    const res = await runCli([
      'check',
      '--entryPoints.web.address=:8081',
      '--api.insecure=true',
      '--metrics.prometheus=true',
      '--accessLog=true',
      '--tracing=true',
      '--ping=true',
      '--metrics.datadog=true',
      '--entryPoints.web.http3=true',
      '--providers.kubernetesCRD=true',
    ]);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const warned = res.stdout
      .split('\n')
      .filter((l) => l.startsWith('warning:'))
      .map((l) => l.split(':')[1]!.trim());
    assert.deepEqual(warned.sort(), ['entryPoints.web.http3', 'metrics.datadog', 'providers.kubernetesCRD']);
    assert.match(res.stdout, /metrics\.datadog: accepted but not supported yet; it has no effect/);
  });

  it('validates the tcp and udp sections, naming the element and the problem', async () => {
    const dir = tempDir();
    writeFile(
      dir,
      'dynamic.yml',
      [
        'tcp:',
        '  routers:',
        '    db:',
        '      rule: "HostSNI(`*`)"',
        '      service: nope',
        '    sni:',
        '      rule: "HostSNI(`a.test`)"',
        '      service: pg',
        '  services:',
        '    pg:',
        '      loadBalancer:',
        '        servers:',
        '          - address: "127.0.0.1:5432"',
        'udp:',
        '  routers:',
        '    dns:',
        '      entryPoints: [dns]',
        '      service: resolvers',
        '      rule: "HostSNI(`*`)"',
        '    syslog:',
        '      entryPoints: [syslog, web]',
        '      service: logs',
        '  services:',
        '    resolvers:',
        '      loadBalancer:',
        '        servers:',
        '          - adress: "127.0.0.1:53"',
        '    logs:',
        '      loadBalancer:',
        '        servers:',
        '          - address: "127.0.0.1"',
        '',
      ].join('\n'),
    );
    const args = [
      'check',
      '--entryPoints.web.address=:8081',
      '--entryPoints.dns.address=:5353/udp',
      '--entryPoints.syslog.address=:5514/udp',
      `--providers.file.filename=${dir}/dynamic.yml`,
    ];
    const res = await runCli(args);
    assert.equal(res.code, 2, res.stdout + res.stderr);
    const out = res.stdout;
    assert.match(out, /tcp router db@file: .*"nope@file"/);
    assert.match(out, /tcp router sni@file: .*has HostSNI matcher, but no TLS on router/);
    assert.match(out, /udp router dns@file: unknown key "rule" \(.*dynamic\.yml:19:\d+\)/);
    assert.match(out, /udp service resolvers@file: .*adress.*did you mean "address"/);
    assert.match(out, /udp router syslog@file: entryPoint "web" does not exist/);
    assert.match(out, /udp service logs@file: server "127\.0\.0\.1": missing port/);

    writeFile(
      dir,
      'dynamic.yml',
      'udp:\n  routers:\n    dns:\n      service: resolvers\n  services:\n    resolvers:\n      loadBalancer:\n        servers:\n          - address: "127.0.0.1:53"\n',
    );
    const ok = await runCli(args);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /0 routers, 0 tcp routers, 1 udp routers/);
  });
});
