import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { compileConstraints } from '../../providers/docker/constraints.js';
import { containerConfig } from '../../providers/docker/container-config.js';
import { compileTemplate } from '../../providers/docker/template.js';
import { validateDynamic } from '../dynamic/validate.js';
import { normalize } from '../schema/normalize.js';
import { staticSchema } from '../static/schema.js';
import { dynamicJsonSchema, SCHEMA_FILES, staticJsonSchema } from './documents.js';
import { generatedFiles, REGENERATE } from './generated.js';
import {
  type ConfigExample,
  docExamples,
  fileExamples,
  NOT_CONFIG_MARKERS,
  parseExample,
} from './test-examples.js';

// Beside src/ or dist/src/: the repository root holds package.json.
const here = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(here, here.includes(`${join('dist', 'src')}`) ? '../../../..' : '../../..');

const ajv = new Ajv({ strict: true, strictRequired: false, allErrors: true, allowUnionTypes: true });
const validators = { static: ajv.compile(staticJsonSchema()), dynamic: ajv.compile(dynamicJsonSchema()) };
const DYNAMIC_KEYS = new Set(['http', 'tcp', 'udp', 'tls']);
const STATIC_KEYS = new Set(Object.keys(staticSchema.properties));

function errorsOf(validate: ValidateFunction, value: unknown): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`,
  );
}

/** Splits a parsed example into its static and dynamic halves; undefined when it is neither. */
function halves(value: unknown): { static?: object; dynamic?: object } | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length === 0 || !keys.every((k) => STATIC_KEYS.has(k) || DYNAMIC_KEYS.has(k))) return undefined;
  const pick = (set: Set<string>) => {
    const part = Object.fromEntries(Object.entries(value).filter(([k]) => set.has(k)));
    return Object.keys(part).length > 0 ? part : undefined;
  };
  const out: { static?: object; dynamic?: object } = {};
  const s = pick(STATIC_KEYS);
  const d = pick(DYNAMIC_KEYS);
  if (s) out.static = s;
  if (d) out.dynamic = d;
  return out;
}

/** Problems of one example: against the JSON Schemas, and against the validator itself. */
function problemsOf(example: ConfigExample): string[] {
  const parts = halves(parseExample(example));
  if (!parts) return [`${example.where}: top-level keys are neither static nor dynamic configuration`];
  const out: string[] = [];
  if (parts.static) {
    out.push(...errorsOf(validators.static, parts.static).map((e) => `${example.where} (static): ${e}`));
    for (const issue of normalize(staticSchema, parts.static).issues) {
      out.push(`${example.where} (validator): ${issue.path}: ${issue.message}`);
    }
  }
  if (parts.dynamic) {
    out.push(...errorsOf(validators.dynamic, parts.dynamic).map((e) => `${example.where} (dynamic): ${e}`));
    for (const issue of validateDynamic(parts.dynamic, { provider: 'file' }).issues) {
      out.push(`${example.where} (validator): ${issue.element ?? ''} ${issue.message}`);
    }
  }
  return out;
}

describe('JSON Schemas of the configuration', () => {
  it(`are published as generated (regenerate with ${REGENERATE})`, () => {
    for (const [path, content] of Object.entries(generatedFiles())) {
      let onDisk = '';
      try {
        onDisk = readFileSync(join(ROOT, path), 'utf8');
      } catch {}
      assert.ok(onDisk === content, `${path} is stale or missing: run ${REGENERATE}`);
    }
  });

  it('accept every configuration file under examples/', () => {
    // Compose files, plugin manifests (.traefik.yml) and npm package files are another tool's settings.
    const others = /(^|\/)((docker-)?compose\.ya?ml|\.traefik\.ya?ml|package\.json)$/;
    const examples = fileExamples(ROOT).filter((e) => !others.test(e.where));
    assert.ok(examples.some((e) => e.where === 'examples/quickstart.yml'));
    assert.deepEqual(examples.flatMap(problemsOf), []);
  });

  it('accept every configuration example in docs/, and every other fence says what it is', () => {
    const examples = docExamples(ROOT).filter((e) => !e.where.startsWith('docs/reference/'));
    assert.ok(examples.length > 50, `found only ${examples.length} examples`);
    const unmarked = examples.filter((e) => e.marker !== undefined && !(e.marker in NOT_CONFIG_MARKERS));
    assert.deepEqual(
      unmarked.map((e) => `${e.where}: unknown fence marker "${e.marker}"`),
      [],
      `known markers: ${Object.keys(NOT_CONFIG_MARKERS).join(', ')}`,
    );
    const problems = examples.filter((e) => e.marker === undefined).flatMap(problemsOf);
    assert.deepEqual(
      problems,
      [],
      `mark fences that are not whole configurations: ${Object.keys(NOT_CONFIG_MARKERS).join(', ')}`,
    );
  });

  it('accept the labels of the compose example, which builds the Dockerfile and mounts a checked file', () => {
    const dir = join(ROOT, 'examples', 'docker');
    const compose = parseYaml(readFileSync(join(dir, 'compose.yaml'), 'utf8')) as {
      services: Record<string, { build?: { context: string }; volumes?: string[]; labels?: string[] }>;
    };
    const proxy = compose.services.switchyard!;
    assert.equal(resolve(dir, proxy.build!.context), ROOT);
    assert.ok(proxy.volumes!.includes('./switchyard.yml:/etc/switchyard/switchyard.yml:ro'));
    const labelled = Object.values(compose.services).filter((s) => s.labels);
    assert.ok(labelled.length > 0);
    // Each labelled service as the Docker provider sees a container compose started from it.
    const rules = {
      exposedByDefault: false,
      useBindPortIP: false,
      allowEmptyServices: false,
      defaultRule: compileTemplate('Host(`{{ normalize .Name }}.localhost`)'),
      constraints: compileConstraints(undefined),
    };
    for (const [name, service] of Object.entries(compose.services).filter(([, s]) => s.labels)) {
      const labels = Object.fromEntries(
        service.labels!.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      );
      const result = containerConfig(
        {
          id: name,
          name: `docker-${name}-1`,
          labels: { ...labels, 'com.docker.compose.service': name, 'com.docker.compose.project': 'docker' },
          health: '',
          networkMode: 'docker_default',
          networks: { docker_default: '172.18.0.3' },
          ports: { '80/tcp': [] },
        },
        rules,
      );
      assert.deepEqual(result.errors, []);
      const { config, issues } = validateDynamic(result.config, { provider: 'docker', fromStrings: true });
      assert.deepEqual(issues, []);
      assert.ok(Object.keys(config.http.routers).length > 0, `${name} gets a router`);
      const servers = Object.values(config.http.services).flatMap((s) => s.loadBalancer?.servers ?? []);
      assert.deepEqual(
        servers.map((s) => s.url),
        ['http://172.18.0.3:80'],
      );
    }
  });

  it('point editors at the right schema from the examples (yaml-language-server modeline)', () => {
    for (const [file, schema] of [
      ['examples/quickstart.yml', SCHEMA_FILES.static],
      ['examples/quickstart/dynamic.yml', SCHEMA_FILES.dynamic],
      ['examples/docker/switchyard.yml', SCHEMA_FILES.static],
    ] as const) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      const modeline = /^# yaml-language-server: \$schema=(\S+)$/m.exec(text);
      assert.ok(modeline, `${file} has a yaml-language-server modeline`);
      assert.equal(resolve(dirname(join(ROOT, file)), modeline[1]!), join(ROOT, schema));
    }
  });

  it('reject what the validator rejects: a misspelt key, a wrong type, a bad duration, two service kinds', () => {
    assert.match(errorsOf(validators.static, { entryPoints: { web: { adress: ':80' } } }).join(), /adress/);
    assert.notDeepEqual(errorsOf(validators.static, { log: { level: 'LOUD' } }), []);
    assert.notDeepEqual(
      errorsOf(validators.static, { providers: { providersThrottleDuration: '2 secs' } }),
      [],
    );
    const router = (r: object) => ({ http: { routers: { a: { rule: 'Host(`a`)', service: 's', ...r } } } });
    assert.deepEqual(errorsOf(validators.dynamic, router({})), []);
    assert.notDeepEqual(errorsOf(validators.dynamic, router({ priority: 'high' })), []);
    assert.notDeepEqual(errorsOf(validators.dynamic, router({ servce: 's' })), []);
    const service = (s: object) => ({ http: { services: { s } } });
    assert.deepEqual(
      errorsOf(validators.dynamic, service({ loadBalancer: { servers: [{ url: 'http://a' }] } })),
      [],
    );
    assert.notDeepEqual(errorsOf(validators.dynamic, service({ loadBalancer: {}, weighted: {} })), []);
    const middleware = (m: object) => ({ http: { middlewares: { m } } });
    assert.deepEqual(errorsOf(validators.dynamic, middleware({ stripPrefix: { prefixes: ['/a'] } })), []);
    assert.notDeepEqual(errorsOf(validators.dynamic, middleware({ stripPrefx: { prefixes: ['/a'] } })), []);
    assert.notDeepEqual(errorsOf(validators.dynamic, middleware({})), []);
  });

  it('show defaults as they are written in a file (durations in Go syntax)', () => {
    const s = staticJsonSchema() as { properties: Record<string, { properties: Record<string, unknown> }> };
    const throttle = s.properties.providers!.properties.providersThrottleDuration as { default: unknown };
    assert.equal(throttle.default, '2s');
  });
});
