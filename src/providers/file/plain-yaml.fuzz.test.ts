import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { DOCUMENT_SYNTAX, RUNS, tokenText } from '../../../test/helpers/fuzz.js';
import { parseFile, parseYamlDocument } from './parse-file.js';
import { loadPlainYaml } from './plain-yaml.js';

/**
 * The plain parse (`js-yaml`, no node tree) must give exactly the `yaml` library's tree whenever it
 * answers, and must not accept a text that `yaml` refuses.
 */
function assertSameAsYaml(text: string): void {
  const plain = loadPlainYaml(text);
  let reference: ReturnType<typeof parseYamlDocument>;
  try {
    reference = parseYamlDocument(text);
  } catch (err) {
    // parseFile turns what the yaml library throws (an alias without its anchor, …) into a failure.
    reference = { ok: false, failure: { message: String((err as Error).message ?? err) } };
  }
  if (plain) {
    assert.ok(reference.ok, `the plain parse accepted what yaml refuses: ${JSON.stringify(text)}`);
    if (!reference.ok) return;
    assert.ok(
      isDeepStrictEqual(plain.value, reference.file.tree),
      `different trees for ${JSON.stringify(text)}: ${JSON.stringify(plain.value)} / ${JSON.stringify(reference.file.tree)}`,
    );
  }
  if (text.trim() === '') return; // a blank file is an empty configuration, before any parser
  const out = parseFile(text, 'yaml');
  assert.equal(out.ok, reference.ok);
  if (!out.ok && !reference.ok) assert.deepEqual(out.failure.position, reference.failure.position);
}

/** Scalars spelt as YAML 1.1, 1.2 core and JSON read them differently, plus quoting and escapes. */
const SCALARS = [
  'a',
  'web',
  'Host(`a.test`)',
  '"x y"',
  "'it''s'",
  '"\\t\\u00e9\\x41"',
  '""',
  "''",
  'yes',
  'no',
  'on',
  'off',
  'y',
  'true',
  'True',
  'TRUE',
  'false',
  'FALSE',
  'tRue',
  'null',
  'Null',
  'NULL',
  '~',
  '',
  '0',
  '-0',
  '+1',
  '007',
  '0o17',
  '0O17',
  '0x1F',
  '0X1f',
  '0b101',
  '1_000',
  '0.',
  '.5',
  '-.5',
  '1.5e3',
  '1e3',
  '1E-2',
  '+.inf',
  '-.Inf',
  '.INF',
  '.nan',
  '.NaN',
  '9007199254740993',
  '12:30:00',
  '190:20:30',
  '2001-12-14',
  '2001-12-14t21:59:43.10-05:00',
  '10s',
  ':80',
  'http://127.0.0.1:9',
  '!!str 1',
  '!!int "12"',
  '!!float 1',
  '!!bool "true"',
  '!!null ""',
  '! 12',
  '!custom x',
  '!!binary aGk=',
  '!!timestamp 2001-12-14',
  '<<',
  '"<<"',
  '=',
  '-',
  '? x',
  '|\n  a\n  b\n',
  '>-\n  a\n  b\n',
  'a\n  b',
  '"a\n  b"',
  "'a\n\n  b'",
  '|+\n  a\n\n',
  '|2\n   a\n',
  '>\n  a\n\n  b\n',
  'x # c',
  'a#b',
  '"a: b"',
  '[a, {b: c}]',
  '{a: [1, 2], b: {c: ~}}',
  '{a, b}',
  '[a: 1]',
  '&x [1]',
  '*x',
  '[*x]',
  'a\r\n',
  '"\\\n x"',
];
const KEYS = [
  'http',
  'routers',
  'rule',
  'a',
  'b',
  '<<',
  '"<<"',
  '1',
  '0x10',
  'null',
  '~',
  'true',
  '__proto__',
  'toString',
  '"quoted"',
  '? [a]',
  '[a, b]',
  '{a: 1}',
  'é',
];

/** A random configuration-like YAML text: block and flow collections, anchors, aliases, merge keys. */
const yamlText: fc.Arbitrary<string> = fc
  .letrec<{ node: string[]; map: string[] }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(...SCALARS).map((s) => [s]),
      fc.constantFrom('*a', '*b', '&a x', '&b { k: 1 }', '&a\n  k: v', '[*a, *b]').map((s) => [s]),
      fc
        .array(tie('node'), { maxLength: 3 })
        .map((items) =>
          items.length === 0
            ? ['[]']
            : items.flatMap(([first, ...rest]) => [`- ${first}`, ...rest.map((l) => `  ${l}`)]),
        ),
      tie('map'),
      fc
        .array(fc.constantFrom(...SCALARS.filter((s) => !s.includes('\n'))), { maxLength: 3 })
        .map((xs) => [`[${xs.join(', ')}]`]),
    ),
    map: fc
      .array(fc.tuple(fc.constantFrom(...KEYS), tie('node')), { maxLength: 4 })
      .map((pairs) =>
        pairs.length === 0
          ? ['{}']
          : pairs.flatMap(([k, [first, ...rest]]) =>
              first !== undefined && (first.startsWith('- ') || /^[^\s"'[{]+: /.test(first))
                ? [`${k}:`, `  ${first}`, ...rest.map((l) => `  ${l}`)]
                : [`${k}: ${first}`, ...rest.map((l) => `  ${l}`)],
            ),
      ),
  }))
  .map.map((lines) => `${lines.join('\n')}\n`);

describe('plain YAML parse: the same tree as the yaml library', () => {
  it('on generated configuration-like documents', () => {
    fc.assert(fc.property(yamlText, assertSameAsYaml), { numRuns: RUNS * 3 });
  });

  it('on near-valid token soup', () => {
    fc.assert(
      fc.property(
        tokenText(
          [
            ...DOCUMENT_SYNTAX,
            ...SCALARS,
            ...KEYS,
            ': ',
            '\n  ',
            '---\n',
            '...\n',
            '%YAML 1.1\n',
            '? ',
            '|',
            '>',
            '|-',
            ' #c',
            ',',
            '\r\n',
            '&x ',
            '*x',
          ],
          24,
        ),
        assertSameAsYaml,
      ),
      {
        numRuns: RUNS * 3,
      },
    );
  });

  it('on the YAML files of the examples', () => {
    const root = join(import.meta.dirname, '../../../../examples');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ya?ml$/.test(f));
    assert.ok(files.length > 0);
    for (const f of files) assertSameAsYaml(readFileSync(join(root, f), 'utf8'));
  });

  it('reads YAML 1.2 core scalars, merge keys and a key named like an inherited property', () => {
    const text =
      'a: yes\nb: on\nc: 2001-12-14\nd: 0o17\ne: 0x1F\nf: 1_000\nbase: &b { x: 1 }\nm:\n  <<: *b\n  y: 2\n__proto__: p\n';
    const plain = loadPlainYaml(text);
    assert.ok(plain);
    const tree = plain.value as Record<string, unknown>;
    assert.deepEqual(Object.keys(tree), ['a', 'b', 'c', 'd', 'e', 'f', 'base', 'm', '__proto__']);
    assert.deepEqual(
      [tree.a, tree.b, tree.c, tree.d, tree.e, tree.f],
      ['yes', 'on', '2001-12-14', 15, 31, '1_000'],
    );
    assert.deepEqual(tree.m, { x: 1, y: 2 });
    assert.equal(Object.getPrototypeOf(tree), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(tree, '__proto__')?.value, 'p');
    assertSameAsYaml(text);
  });

  it('leaves duplicate keys, directives, non-string keys and unknown tags to the yaml library', () => {
    for (const text of [
      'a: 1\na: 2\n',
      '%YAML 1.1\n---\na: yes\n',
      '1: a\n',
      '? [a]\n: b\n',
      'a: !custom x\n',
    ]) {
      assert.equal(loadPlainYaml(text), undefined, text);
      assertSameAsYaml(text);
    }
  });
});
