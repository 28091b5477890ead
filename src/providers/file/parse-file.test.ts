import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeFileTrees } from './merge-files.js';
import { formatOf, type ParsedFile, parseFile } from './parse-file.js';

function parsed(text: string, format: 'yaml' | 'toml' | 'json'): ParsedFile {
  const result = parseFile(text, format);
  if (!result.ok) throw new Error(`unexpected failure: ${result.failure.message}`);
  return result.file;
}

describe('parseFile', () => {
  it('knows formats by extension, case-insensitively', () => {
    assert.equal(formatOf('a/b.YML'), 'yaml');
    assert.equal(formatOf('b.yaml'), 'yaml');
    assert.equal(formatOf('b.toml'), 'toml');
    assert.equal(formatOf('b.json'), 'json');
    assert.equal(formatOf('b.yml~'), undefined);
    assert.equal(formatOf('b.swp'), undefined);
  });

  it('reads YAML with merge keys and finds where a path is written', () => {
    const text =
      'x: &base\n  service: s\nhttp:\n  routers:\n    api:\n      <<: *base\n      rule: Path(`/`)\n';
    const file = parsed(text, 'yaml');
    assert.deepEqual(file.tree, {
      x: { service: 's' },
      http: { routers: { api: { service: 's', rule: 'Path(`/`)' } } },
    });
    assert.deepEqual(file.position(['http', 'routers', 'api', 'rule']), { line: 7, column: 7 });
    assert.deepEqual(file.position(['HTTP', 'Routers', 'api']), { line: 5, column: 5 });
    // A path that goes deeper than the file: the deepest part found.
    assert.deepEqual(file.position(['http', 'routers', 'api', 'nope']), { line: 5, column: 5 });
  });

  it('reports YAML errors with line and column', () => {
    const result = parseFile('http:\n  routers:\n    a: 1\n    a: 2\n', 'yaml');
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.match(result.failure.message, /unique/);
    assert.deepEqual(result.failure.position, { line: 4, column: 5 });
  });

  it('finds a repeated key deep in lists, and lets merge keys repeat', () => {
    const text =
      'http:\n  services:\n    s:\n      loadBalancer:\n        servers:\n          - url: a\n            url: b\n';
    const result = parseFile(text, 'yaml');
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.match(result.failure.message, /unique/);
    assert.deepEqual(result.failure.position, { line: 7, column: 13 });
    const merged = parsed('a: &a { x: 1 }\nb: &b { y: 2 }\nc:\n  <<: *a\n  <<: *b\n', 'yaml');
    assert.deepEqual(merged.tree, { a: { x: 1 }, b: { y: 2 }, c: { x: 1, y: 2 } });
  });

  it('reads TOML and reports its errors with line and column', () => {
    const file = parsed('[http.routers.api]\nrule = "Path(`/`)"\nservice = "s"\n', 'toml');
    // smol-toml builds objects without a prototype; compare the content.
    assert.deepEqual(JSON.parse(JSON.stringify(file.tree)), {
      http: { routers: { api: { rule: 'Path(`/`)', service: 's' } } },
    });
    assert.deepEqual(file.position(['http', 'routers', 'api', 'service']), { line: 3, column: 1 });
    assert.deepEqual(file.position(['HTTP', 'routers', 'api', 'nope']), { line: 1, column: 1 });
    const services = parsed(
      '[http.services.s.loadBalancer]\n  # servers\n  [[http.services.s.loadBalancer.servers]]\n  url = 1\n',
      'toml',
    );
    assert.deepEqual(services.position(['http', 'services', 's', 'loadBalancer', 'servers', 0, 'url']), {
      line: 4,
      column: 3,
    });
    assert.equal(services.position(['tcp']), undefined);
    const result = parseFile('[http.routers.api]\nrule = \n', 'toml');
    assert.equal(result.ok, false);
    if (!result.ok) assert.deepEqual(result.failure.position, { line: 2, column: 8 });
  });

  it('reads JSON, locating paths and errors through its YAML reading', () => {
    const file = parsed('{\n  "http": {\n    "routers": { "api": { "rule": "x" } }\n  }\n}\n', 'json');
    assert.deepEqual(file.position(['http', 'routers', 'api', 'rule']), { line: 3, column: 27 });
    const result = parseFile('{\n  "http": {\n    "routers": [}\n}\n', 'json');
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.failure.position?.line, 3);
  });

  it('reads a blank file as an empty configuration', () => {
    for (const format of ['yaml', 'toml', 'json'] as const)
      assert.equal(parsed('  \n', format).tree, undefined);
  });
});

describe('mergeFileTrees', () => {
  const file = (name: string, tree: unknown) => ({
    file: name,
    tree,
    position: () => ({ line: 1, column: 1 }),
  });

  it('merges sections case-insensitively and concatenates certificates', () => {
    const merged = mergeFileTrees([
      file('a.yml', { http: { routers: { a: { rule: 'x' } } }, tls: { certificates: [{ certFile: 'a' }] } }),
      file('b.toml', { HTTP: { Routers: { b: { rule: 'y' } } }, TLS: { Certificates: [{ certFile: 'b' }] } }),
    ]);
    assert.deepEqual(merged.tree, {
      http: { routers: { a: { rule: 'x' }, b: { rule: 'y' } } },
      tls: { certificates: [{ certFile: 'a' }, { certFile: 'b' }] },
    });
    assert.deepEqual(merged.issues, []);
    assert.equal(merged.origin(['http', 'routers', 'b', 'rule'])?.file.file, 'b.toml');
    assert.deepEqual(merged.origin(['tls', 'certificates', 1, 'certFile'])?.path, [
      'tls',
      'certificates',
      0,
      'certFile',
    ]);
  });

  it('keeps the first of two different definitions, naming both files; identical ones are fine', () => {
    const merged = mergeFileTrees([
      file('a.yml', { http: { routers: { api: { rule: 'x' }, same: { rule: 's' } } } }),
      file('b.yml', { http: { routers: { api: { rule: 'y' }, same: { rule: 's' } } } }),
    ]);
    assert.deepEqual(merged.tree, { http: { routers: { api: { rule: 'x' }, same: { rule: 's' } } } });
    assert.deepEqual(merged.issues, [
      {
        message:
          '"http.routers.api" is defined in both a.yml and b.yml with different content; the definition in a.yml (read first) is used',
        source: 'b.yml:1:1',
      },
    ]);
  });

  it('passes unknown keys through for the validator and reports wrong shapes per file', () => {
    const merged = mergeFileTrees([
      file('a.yml', { htpp: { routers: {} }, http: { routrs: {} } }),
      file('b.yml', ['not', 'a', 'mapping']),
      file('c.yml', { http: 'nope', tcp: { routers: ['x'] } }),
    ]);
    assert.deepEqual(merged.tree, { htpp: { routers: {} }, http: { routrs: {} }, tcp: {} });
    assert.deepEqual(
      merged.issues.map((i) => i.message.replace(/;.*/, '')),
      [
        'the file must hold a mapping (http, tcp, udp, tls), got a list',
        '"http" must be a mapping, got "nope"',
        '"tcp.routers" must be a mapping of names, got a list',
      ],
    );
    assert.equal(merged.origin(['htpp'])?.file.file, 'a.yml');
  });
});
