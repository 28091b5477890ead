import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { formatIssues } from '../schema/issues.js';
import { REDACTED, redact } from '../schema/redact.js';
import { configFileCandidates } from './config-file.js';
import { type LoadStaticOptions, loadStaticConfig } from './load.js';
import { staticSchema } from './schema.js';

/** A fresh directory holding `files`; discovery only looks inside it. */
const created: string[] = [];
after(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

function workspace(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-load-'));
  created.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function load(cwd: string, argv: string[] = [], env: Record<string, string> = {}) {
  const options: LoadStaticOptions = {
    argv,
    env,
    cwd,
    candidates: configFileCandidates(cwd, { HOME: cwd }).slice(0, 6),
  };
  return loadStaticConfig(options);
}

const YAML = [
  'entryPoints:', // 1
  '  web:', // 2
  '    address: ":80"', // 3
  '  websecure:', // 4
  '    address: ":443"', // 5
  'log:', // 6
  '  level: INFO', // 7
  '  format: json', // 8
].join('\n');

describe('loadStaticConfig: files', () => {
  it('finds ./switchyard.yml and reads it', () => {
    const cwd = workspace({ 'switchyard.yml': YAML });
    const { config, issues, configFile } = load(cwd);
    assert.deepEqual(issues, []);
    assert.equal(configFile, join(cwd, 'switchyard.yml'));
    assert.deepEqual(Object.keys(config.entryPoints), ['web', 'websecure']);
    assert.equal(config.log.level, 'INFO');
  });

  it('reads TOML named by --configFile, relative to cwd', () => {
    const cwd = workspace({ 'my.toml': '[entryPoints.web]\naddress = ":8000"\n[api]\ndashboard = false\n' });
    const { config, issues, configFile } = load(cwd, ['--configFile=my.toml']);
    assert.deepEqual(issues, []);
    assert.equal(configFile, join(cwd, 'my.toml'));
    assert.equal(config.entryPoints.web!.address, ':8000');
    assert.equal(config.api?.dashboard, false);
  });

  it('prefers switchyard.* over traefik.*, and .yml over .toml', () => {
    const cwd = workspace({
      'traefik.yml': 'log: {level: DEBUG}',
      'switchyard.toml': '[log]\nlevel = "WARN"',
      'switchyard.yml': 'log: {level: INFO}',
    });
    assert.equal(load(cwd).config.log.level, 'INFO');
    assert.equal(load(workspace({ 'traefik.yml': 'log: {level: DEBUG}' })).config.log.level, 'DEBUG');
  });

  it('looks in $XDG_CONFIG_HOME, then /etc', () => {
    const candidates = configFileCandidates('/srv', { XDG_CONFIG_HOME: '/cfg' });
    assert.deepEqual(candidates.slice(0, 2), ['/srv/switchyard.yml', '/srv/switchyard.yaml']);
    assert.ok(candidates.includes('/cfg/switchyard/switchyard.toml'));
    assert.equal(candidates.at(-1), '/etc/traefik/traefik.toml');
    assert.ok(
      configFileCandidates('/srv', { HOME: '/home/u' }).includes('/home/u/.config/switchyard/switchyard.yml'),
    );
  });

  it('reads the file given by SWITCHYARD_CONFIGFILE or TRAEFIK_CONFIGFILE', () => {
    const cwd = workspace({ 'a.yml': 'log: {level: WARN}', 'b.yml': 'log: {level: INFO}' });
    assert.equal(load(cwd, [], { TRAEFIK_CONFIGFILE: 'a.yml' }).config.log.level, 'WARN');
    assert.equal(
      load(cwd, [], { TRAEFIK_CONFIGFILE: 'a.yml', SWITCHYARD_CONFIGFILE: 'b.yml' }).config.log.level,
      'INFO',
    );
    assert.equal(
      load(cwd, ['--configfile', 'a.yml'], { SWITCHYARD_CONFIGFILE: 'b.yml' }).config.log.level,
      'WARN',
    );
  });

  it('reports a named file that does not exist instead of ignoring it', () => {
    const cwd = workspace({ 'switchyard.yml': YAML });
    const { issues, configFile } = load(cwd, ['--configFile=nope.yml']);
    assert.equal(configFile, undefined);
    assert.equal(
      formatIssues(issues),
      'flag --configFile: configFile: configuration file "nope.yml" does not exist',
    );
    const fromEnv = load(cwd, [], { SWITCHYARD_CONFIGFILE: '/no/such.toml' });
    assert.equal(fromEnv.issues[0]!.source, 'env SWITCHYARD_CONFIGFILE');
  });

  it('reports syntax errors with file:line:column', () => {
    const { issues } = load(workspace({ 'switchyard.yml': 'log:\n  level: [INFO\n' }));
    assert.match(issues[0]!.source!, /^switchyard\.yml:\d+:\d+$/);
  });
});

describe('loadStaticConfig: sources merge', () => {
  it('merges flags over env over file', () => {
    const cwd = workspace({ 'switchyard.yml': YAML });
    const env = {
      SWITCHYARD_LOG_LEVEL: 'WARN',
      SWITCHYARD_ENTRYPOINTS_WEB_ADDRESS: ':81',
      TRAEFIK_API_DEBUG: 'true',
    };
    const { config, issues } = load(cwd, ['--log.level=DEBUG'], env);
    assert.deepEqual(issues, []);
    assert.equal(config.log.level, 'DEBUG', 'flag over env and file');
    assert.equal(config.log.format, 'json', 'file value kept');
    assert.equal(config.entryPoints.web!.address, ':81', 'env over file');
    assert.equal(config.api?.debug, true, 'TRAEFIK_ prefix');
  });

  it('matches keys case-insensitively across sources', () => {
    const cwd = workspace({ 'switchyard.yml': YAML });
    const { config, issues } = load(cwd, ['--entrypoints.WEB.Address=:90', '--LOG.LEVEL=error']);
    assert.deepEqual(issues, []);
    assert.deepEqual(Object.keys(config.entryPoints), ['web', 'websecure']);
    assert.equal(config.entryPoints.web!.address, ':90');
    assert.equal(config.log.level, 'ERROR');
  });

  it('works from flags alone and passes the command through', () => {
    const cwd = workspace();
    const result = load(cwd, ['check', 'extra', '--entrypoints.web.address', ':80', '--ping']);
    assert.deepEqual(result.issues, []);
    assert.equal(result.command, 'check');
    assert.deepEqual(result.positionals, ['extra']);
    assert.equal(result.configFile, undefined);
    assert.equal(result.config.entryPoints.web!.address, ':80');
  });
});

describe('loadStaticConfig: issues', () => {
  it('reports an unknown key with a suggestion and file:line', () => {
    const cwd = workspace({ 'switchyard.yml': 'entryPoints:\n  web:\n    adress: ":80"\n' });
    const { issues } = load(cwd);
    assert.equal(
      formatIssues(issues),
      [
        'switchyard.yml:3: unknown key "entryPoints.web.adress" (did you mean "address"?)',
        'switchyard.yml:2: entryPoints.web.address: missing required key "address"',
      ].join('\n'),
    );
  });

  it('reports an unknown flag with its spelling', () => {
    const { issues } = load(workspace(), ['--entrypoints.web.adress=:80']);
    assert.equal(issues[0]!.message, 'unknown key "entrypoints.web.adress" (did you mean "address"?)');
    assert.equal(issues[0]!.source, 'flag --entrypoints.web.adress');
  });

  it('names key, expected type and source on a type error', () => {
    const yaml =
      'entryPoints:\n  web:\n    address: ":80"\n    transport:\n      respondingTimeouts:\n        readTimeout: fast\n';
    const fromFile = load(workspace({ 'switchyard.yml': yaml })).issues;
    assert.equal(
      formatIssues(fromFile),
      'switchyard.yml:6: entryPoints.web.transport.respondingTimeouts.readTimeout: expected a duration (e.g. "60s"), got "fast"',
    );
    const fromEnv = load(workspace(), [], { SWITCHYARD_PING_TERMINATINGSTATUSCODE: 'x' }).issues;
    assert.equal(
      formatIssues(fromEnv),
      'env SWITCHYARD_PING_TERMINATINGSTATUSCODE: ping.terminatingStatusCode: expected an integer, got "x"',
    );
    const fromFlag = load(workspace(), ['--api.insecure=maybe']).issues;
    assert.equal(
      formatIssues(fromFlag),
      'flag --api.insecure: api.insecure: expected a boolean (true or false), got "maybe"',
    );
  });

  it('reports __proto__ keys without touching Object.prototype', () => {
    const cwd = workspace({
      'switchyard.yml': '__proto__:\n  polluted: 1\nentryPoints:\n  __proto__: {address: ":1"}\n',
    });
    const { issues } = load(cwd, ['--__proto__.polluted=1', '--log.__proto__.polluted=1']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(
      issues.map((i) => `${i.source}: ${i.message}`),
      [
        'flag --__proto__.polluted: the name "__proto__" is reserved',
        'switchyard.yml:4: the name "__proto__" is reserved',
        'flag --log.__proto__.polluted: the name "__proto__" is reserved',
      ],
    );
  });

  it('requires filename or directory for the file provider', () => {
    const { issues } = load(workspace({ 'switchyard.yml': 'providers:\n  file:\n    watch: false\n' }));
    assert.equal(
      formatIssues(issues),
      'switchyard.yml:2: providers.file: set either "filename" or "directory"',
    );
    assert.deepEqual(load(workspace(), ['--providers.file.directory=/d']).issues, []);
  });
});

describe('loadStaticConfig: defaults', () => {
  it('applies Traefik defaults, durations in milliseconds', () => {
    const { config } = load(workspace({ 'switchyard.yml': YAML }));
    const web = config.entryPoints.web!;
    assert.equal(web.transport.respondingTimeouts.readTimeout, 60_000);
    assert.equal(web.transport.respondingTimeouts.idleTimeout, 180_000);
    assert.equal(web.transport.lifeCycle.graceTimeOut, 10_000);
    assert.equal(web.http.maxHeaderBytes, 1_048_576);
    assert.equal(load(workspace()).config.log.level, 'ERROR');
  });

  it('converts durations given as text or bare seconds', () => {
    const argv = [
      '--entrypoints.web.address=:80',
      '--entrypoints.web.transport.respondingTimeouts.readTimeout=90',
    ];
    const env = { SWITCHYARD_ENTRYPOINTS_WEB_TRANSPORT_LIFECYCLE_GRACETIMEOUT: '1m30s' };
    const { config } = load(workspace(), argv, env);
    assert.equal(config.entryPoints.web!.transport.respondingTimeouts.readTimeout, 90_000);
    assert.equal(config.entryPoints.web!.transport.lifeCycle.graceTimeOut, 90_000);
  });

  it('creates http on :80 when no entrypoint is defined', () => {
    const { config } = load(workspace());
    assert.deepEqual(Object.keys(config.entryPoints), ['http']);
    assert.equal(config.entryPoints.http!.address, ':80');
    assert.equal(config.entryPoints.http!.transport.respondingTimeouts.readTimeout, 60_000);
  });

  const traefikEntryPoint = (argv: string[]) =>
    load(workspace(), ['--entrypoints.web.address=:80', ...argv]).config.entryPoints.traefik;

  it('creates traefik on :8080 for api.insecure, ping, prometheus and rest.insecure', () => {
    for (const flag of ['--api.insecure', '--ping', '--metrics.prometheus', '--providers.rest.insecure']) {
      assert.equal(traefikEntryPoint([flag])?.address, ':8080', flag);
    }
  });

  it('does not create traefik when not needed or already defined', () => {
    assert.equal(traefikEntryPoint(['--api']), undefined);
    assert.equal(traefikEntryPoint(['--ping.entryPoint=web']), undefined);
    assert.equal(traefikEntryPoint(['--ping.manualRouting']), undefined);
    assert.equal(traefikEntryPoint(['--metrics.prometheus.entryPoint=web']), undefined);
    assert.equal(traefikEntryPoint(['--ping', '--entrypoints.traefik.address=:9000'])?.address, ':9000');
  });

  it('creates both http and traefik when only api.insecure is set', () => {
    const { config } = load(workspace(), ['--api.insecure=true']);
    assert.deepEqual(Object.keys(config.entryPoints).sort(), ['http', 'traefik']);
  });
});

describe('loadStaticConfig: redaction', () => {
  it('keeps secrets in the config and hides them with redact()', () => {
    const cwd = workspace({ 'switchyard.yml': 'providers:\n  redis:\n    password: s3cret\n' });
    mkdirSync(join(cwd, 'unused'));
    const { config } = load(cwd, [], { SWITCHYARD_PROVIDERS_ETCD_PASSWORD: 'e' });
    assert.equal(config.providers.redis?.password, 's3cret');
    const shown = redact(staticSchema, config);
    assert.equal(shown.providers.redis?.password, REDACTED);
    assert.equal(shown.providers.etcd?.password, REDACTED);
    assert.doesNotMatch(JSON.stringify(shown), /s3cret/);
  });
});

describe('loadStaticConfig: values Traefik loads', () => {
  const ACME = (keyType: string) =>
    `certificatesResolvers:\n  le:\n    acme:\n      email: a@example.com\n      keyType: ${keyType}\n      httpChallenge:\n        entryPoint: web\n`;

  it('reads metrics.prometheus.buckets as a comma-separated string from a file, a flag and the environment', () => {
    const fromFile = load(
      workspace({ 'switchyard.yml': 'metrics:\n  prometheus:\n    buckets: "0.1,0.3,1.2,5.0"\n' }),
    );
    assert.deepEqual(fromFile.issues, []);
    assert.deepEqual(fromFile.config.metrics?.prometheus?.buckets, [0.1, 0.3, 1.2, 5.0]);
    const fromFlag = load(workspace(), ['--metrics.prometheus.buckets=0.05,2.5']);
    assert.deepEqual(fromFlag.issues, []);
    assert.deepEqual(fromFlag.config.metrics?.prometheus?.buckets, [0.05, 2.5]);
    const fromEnv = load(workspace(), [], { TRAEFIK_METRICS_PROMETHEUS_BUCKETS: '1,2,3' });
    assert.deepEqual(fromEnv.issues, []);
    assert.deepEqual(fromEnv.config.metrics?.prometheus?.buckets, [1, 2, 3]);
    const junk = load(workspace({ 'switchyard.yml': 'metrics:\n  prometheus:\n    buckets: "0.1,fast"\n' }));
    assert.match(formatIssues(junk.issues), /buckets\.1: expected a number, got "fast"/);
  });

  it('reads an empty acme keyType as the default, RSA4096; a wrong one is still an error', () => {
    for (const empty of ['""', "''"]) {
      const { config, issues } = load(workspace({ 'switchyard.yml': ACME(empty) }));
      assert.deepEqual(issues, []);
      assert.equal(config.certificatesResolvers?.le?.acme?.keyType, 'RSA4096');
    }
    const flag = load(workspace(), [
      '--certificatesResolvers.le.acme.keyType=',
      '--certificatesResolvers.le.acme.httpChallenge.entryPoint=web',
    ]);
    assert.deepEqual(flag.issues, []);
    assert.equal(flag.config.certificatesResolvers?.le?.acme?.keyType, 'RSA4096');
    const wrong = load(workspace({ 'switchyard.yml': ACME('RSA1024') }));
    assert.match(formatIssues(wrong.issues), /keyType: expected one of .*"RSA4096".*got "RSA1024"/);
  });
});
