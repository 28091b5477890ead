import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadStaticConfig } from '../config/static/index.js';
import { ENTRYPOINT_NO_EFFECT, NO_EFFECT, PROVIDERS, unsupportedStaticKeys } from './static-checks.js';

/** The repository root, from src/cli (tsx) or dist/src/cli (the build). */
const ROOT = import.meta.dirname.replace(/\/(dist\/)?src\/cli$/, '');
const PAGE = join(ROOT, 'docs', 'static-configuration.md');

/** The rows of the "Keys accepted but not acted on yet" table: first cell → the backticked keys. */
function documentedNoEffect(): Map<string, string[]> {
  const page = readFileSync(PAGE, 'utf8');
  const section = page.slice(page.indexOf('## Keys accepted but not acted on yet'));
  const rows = new Map<string, string[]>();
  for (const line of section.split('\n')) {
    const cells = /^\| (.+?) \| (.+) \|$/.exec(line);
    if (!cells || cells[1] === 'Under' || cells[1]!.startsWith('-')) continue;
    const keys = [...cells[2]!.split(/ \(|: every/)[0]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    rows.set(cells[1]!.replace(/`/g, ''), keys);
  }
  return rows;
}

const warned = (argv: string[]) => {
  const loaded = loadStaticConfig({ argv: ['--entryPoints.web.address=:1', ...argv], env: {}, cwd: '/' });
  assert.deepEqual(loaded.issues, []);
  return unsupportedStaticKeys(loaded.config);
};

describe('static options with no effect', () => {
  it('are the ones docs/static-configuration.md lists, no more and no fewer', () => {
    const rows = documentedNoEffect();
    const documented: string[] = [];
    for (const [under, keys] of rows) {
      if (under === 'providers' || under === 'entryPoints.<name>') continue;
      documented.push(...keys.map((k) => (under === 'top level' ? k : `${under}.${k}`)));
    }
    assert.deepEqual(documented.sort(), [...NO_EFFECT].sort());
    assert.deepEqual(rows.get('entryPoints.<name>')!.sort(), [...ENTRYPOINT_NO_EFFECT].sort());
    const page = readFileSync(PAGE, 'utf8');
    const working = /every provider but (.*) \(see/.exec(page)![1]!;
    assert.deepEqual([...working.matchAll(/`([^`]+)`/g)].map((m) => m[1]).sort(), [...PROVIDERS].sort());
  });

  it('are reported when set, and what works is not', () => {
    assert.deepEqual(
      warned([
        '--global.notAppendXForwardedFor=true',
        '--entryPoints.web.http.tls.domains[0].main=a.example.test',
        '--providers.consul=true',
      ]).sort(),
      ['entryPoints.web.http.tls.domains', 'global.notAppendXForwardedFor', 'providers.consul'],
    );
    assert.deepEqual(
      warned([
        '--api.insecure=true',
        '--metrics.prometheus=true',
        '--accessLog=true',
        '--tracing=true',
        '--entryPoints.web.proxyProtocol.insecure=true',
        '--entryPoints.web.http.tls.certResolver=le',
        '--entryPoints.web.forwardedHeaders.notAppendXForwardedFor=true',
        '--providers.file.directory=/etc/switchyard',
      ]),
      [],
    );
  });
});
