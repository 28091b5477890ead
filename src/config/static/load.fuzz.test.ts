import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import {
  assertClearMessage,
  DOCUMENT_SYNTAX,
  RUNS,
  scalar,
  tokenText,
  treeOf,
} from '../../../test/helpers/fuzz.js';
import type { ConfigIssue } from '../schema/issues.js';
import { parseConfigText } from './file.js';
import { loadStaticConfig } from './load.js';

const KEYS = [
  'entryPoints',
  'web',
  'address',
  'transport',
  'respondingTimeouts',
  'readTimeout',
  'lifeCycle',
  'graceTimeOut',
  'providers',
  'file',
  'filename',
  'etcd',
  'endpoints',
  'log',
  'level',
  'accessLog',
  'api',
  'insecure',
  'ping',
  'http',
  'redirections',
  'tls',
  'certificatesResolvers',
  'acme',
  'defaultEntryPoints',
  'serversTransport',
];

const TEXT_TOKENS = [...KEYS, ...DOCUMENT_SYNTAX];

function checkIssues(issues: ConfigIssue[], input: unknown): void {
  for (const issue of issues) assertClearMessage(issue.message, input);
}

describe('static configuration loader: no input crashes it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-fuzz-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const format of ['yaml', 'toml'] as const) {
    it(`${format} text: parsed, or refused with an issue that says where`, () => {
      fc.assert(
        fc.property(tokenText(TEXT_TOKENS, 24), (text) => {
          const read = parseConfigText(text, format, `fuzz.${format}`);
          checkIssues(read.issues, text);
          if (!read.source)
            assert.ok(read.issues.length > 0, `no source and no issue for ${JSON.stringify(text)}`);
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('flags and environment variables: validated into issues, never an exception', () => {
    const flag = fc
      .tuple(
        tokenText(['--', 'entryPoints.', 'web.', 'address', 'providers.file.', 'log.level', '.', '='], 5),
        tokenText([':80', 'true', '10s', 'x'], 2),
      )
      .map(([k, v]) => `${k}=${v}`);
    const env = fc.dictionary(
      tokenText(['SWITCHYARD_', 'TRAEFIK_', 'ENTRYPOINTS_', 'WEB_', 'ADDRESS', 'LOG_LEVEL', '_'], 5),
      tokenText([':80', 'true', 'DEBUG', ''], 2),
      { maxKeys: 4 },
    );
    fc.assert(
      fc.property(fc.array(flag, { maxLength: 4 }), env, (argv, vars) => {
        const out = loadStaticConfig({ argv, env: vars, cwd: dir, candidates: [] });
        checkIssues(out.issues, { argv, vars });
      }),
      { numRuns: RUNS },
    );
  });

  it('a file holding any tree: loaded with issues, never an exception', () => {
    const file = join(dir, 'switchyard.yml');
    fc.assert(
      fc.property(treeOf(KEYS, scalar), (tree) => {
        writeFileSync(file, JSON.stringify(tree) ?? 'null'); // JSON is YAML
        const out = loadStaticConfig({ argv: [`--configFile=${file}`], env: {}, cwd: dir });
        checkIssues(out.issues, tree);
      }),
      { numRuns: Math.ceil(RUNS / 3) },
    );
  });

  it('what the properties found stays fixed: each is an issue naming the file', () => {
    const file = join(dir, 'found.yml');
    for (const [text, expected] of [
      ['entryPoints: false\n', /found\.yml:1: expected a map of names/],
      ['providers: []\n', /found\.yml:1: expected an object/],
      ['log: *a\n', /alias/i],
    ] as const) {
      writeFileSync(file, text);
      const out = loadStaticConfig({ argv: [`--configFile=${file}`], env: {}, cwd: dir });
      assert.match(out.issues.map((i) => `${i.source}: ${i.message}`).join('\n'), expected);
      assert.match(out.issues[0]?.source ?? '', /found\.yml/);
    }
  });
});
