import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseConfigText, readConfigFile } from './file.js';
import { scanTomlLines } from './toml-source.js';

describe('YAML files', () => {
  const text = [
    'entryPoints:', //  1
    '  web:', //  2
    '    address: ":80"', //  3
    '    http:', //  4
    '      middlewares:', //  5
    '        - a', //  6
    '        - b', //  7
    'log: {level: DEBUG}', //  8
  ].join('\n');

  it('parses to a tree and locates keys and list items by line', () => {
    const { source, issues } = parseConfigText(text, 'yaml', 'sy.yml');
    assert.deepEqual(issues, []);
    assert.deepEqual(source!.tree, {
      entryPoints: { web: { address: ':80', http: { middlewares: ['a', 'b'] } } },
      log: { level: 'DEBUG' },
    });
    assert.equal(source!.locate(['entrypoints', 'WEB', 'address']), 'sy.yml:3');
    assert.equal(source!.locate(['entryPoints', 'web', 'http', 'middlewares', 1]), 'sy.yml:7');
    assert.equal(source!.locate(['log', 'level']), 'sy.yml:8');
    assert.equal(source!.locate(['entryPoints', 'web', 'missing']), 'sy.yml:2', 'falls back to the parent');
  });

  it('reports a syntax error with file:line:column', () => {
    const { source, issues } = parseConfigText('a:\n  b: [1, 2\nc: 3\n', 'yaml', 'bad.yml');
    assert.equal(source, undefined);
    assert.match(issues[0]!.source!, /^bad\.yml:\d+:\d+$/);
    assert.equal(issues[0]!.code, 'CONFIG_PARSE');
  });

  it('reports a document that is not a mapping', () => {
    assert.match(parseConfigText('- a\n- b\n', 'yaml', 'x.yml').issues[0]!.message, /mapping/);
  });

  it('reads an empty document as empty configuration', () => {
    assert.deepEqual(parseConfigText('# nothing\n', 'yaml', 'x.yml').source!.tree, {});
  });

  it('honours merge keys', () => {
    const yaml = 'base: &b {address: ":80"}\nentryPoints:\n  web:\n    <<: *b\n';
    const { source } = parseConfigText(yaml, 'yaml', 'x.yml');
    assert.deepEqual((source!.tree.entryPoints as Record<string, unknown>).web, { address: ':80' });
  });
});

describe('TOML files', () => {
  const text = [
    '[entryPoints.web]', //  1
    '  address = ":80"', //  2
    '[entryPoints.web.transport.respondingTimeouts]', //  3
    '  readTimeout = "5s"', //  4
    '[[tls.certificates]]', //  5
    '  certFile = "a"', //  6
    '[[tls.certificates]]', //  7
    '  certFile = "b"', //  8
    '[log]', //  9
    'level = "DEBUG" # comment', // 10
    '"quoted.key" = 1', // 11
    'description = """', // 12
    'fake = 1', // 13
    '"""', // 14
  ].join('\n');

  it('parses to a tree and locates tables, dotted keys and arrays of tables', () => {
    const { source, issues } = parseConfigText(text, 'toml', 'sy.toml');
    assert.deepEqual(issues, []);
    assert.equal((source!.tree.log as Record<string, unknown>).level, 'DEBUG');
    assert.equal(source!.locate(['entryPoints', 'web', 'address']), 'sy.toml:2');
    assert.equal(
      source!.locate(['entryPoints', 'web', 'transport', 'respondingTimeouts', 'readTimeout']),
      'sy.toml:4',
    );
    assert.equal(source!.locate(['tls', 'certificates', 1, 'certFile']), 'sy.toml:8');
    assert.equal(source!.locate(['log', 'quoted.key']), 'sy.toml:11');
    assert.equal(source!.locate(['log', 'fake']), 'sy.toml:9', 'lines inside multi-line strings are skipped');
  });

  it('indexes nested arrays of tables under the current element', () => {
    const lines = scanTomlLines('[[a]]\nx = 1\n[[a.b]]\ny = 2\n[[a]]\n[[a.b]]\ny = 3\n');
    assert.equal(lines.find(['a', 0, 'b', 0, 'y']), 4);
    assert.equal(lines.find(['a', 1, 'b', 0, 'y']), 7);
  });

  it('reports a syntax error with file:line:column', () => {
    const { issues } = parseConfigText('a = 1\n[b\nc = 2\n', 'toml', 'bad.toml');
    assert.equal(issues[0]!.source, 'bad.toml:2:3');
    assert.equal(issues[0]!.message, 'illegal character in key');
  });
});

describe('readConfigFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-file-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('picks the format by extension', () => {
    writeFileSync(join(dir, 'a.yaml'), 'log:\n  level: INFO\n');
    writeFileSync(join(dir, 'a.toml'), '[log]\nlevel = "INFO"\n');
    assert.deepEqual(readConfigFile(join(dir, 'a.yaml')).source!.tree, { log: { level: 'INFO' } });
    const toml = readConfigFile(join(dir, 'a.toml')).source!.tree;
    assert.deepEqual(JSON.parse(JSON.stringify(toml)), { log: { level: 'INFO' } });
  });

  it('reports an unsupported extension and an unreadable file', () => {
    assert.match(readConfigFile(join(dir, 'a.ini'), 'a.ini').issues[0]!.message, /unsupported .*"\.ini"/);
    assert.match(readConfigFile(join(dir, 'none.yml'), 'none.yml').issues[0]!.message, /cannot read/);
  });
});
