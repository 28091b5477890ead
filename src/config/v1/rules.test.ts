import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRule } from '../../rules/index.js';
import { convertV1Rules, templateToRegex } from './rules.js';

describe('v1 rules', () => {
  it('comma is OR inside a matcher, ; is AND, routes are AND-ed', () => {
    const r = convertV1Rules(['Host:a.test,b.test;Method:get', 'PathPrefix:/api']);
    assert.equal(r.rule, '(Host(`a.test`) || Host(`b.test`)) && Method(`GET`) && PathPrefix(`/api`)');
    assert.deepEqual(r.modifiers, []);
    assert.deepEqual(r.warnings, []);
  });

  it('a frontend whose only route is a modifier matches everything', () => {
    const r = convertV1Rules(['AddPrefix:/qt']);
    assert.equal(r.rule, 'PathPrefix(`/`)');
    assert.deepEqual(r.modifiers, [{ kind: 'addPrefix', options: { prefix: '/qt' } }]);
  });

  it('applies modifiers in v1 fixed order whatever the written order', () => {
    const r = convertV1Rules(['ReplacePathRegex: ^/a/(.*) /b/$1;AddPrefix:/x;PathPrefixStrip:/api,/api/v2']);
    assert.equal(r.rule, '(PathPrefix(`/api`) || PathPrefix(`/api/v2`))');
    assert.deepEqual(
      r.modifiers.map((m) => m.kind),
      ['stripPrefix', 'addPrefix', 'replacePathRegex'],
    );
    assert.deepEqual(r.modifiers[0]!.options, { prefixes: ['/api/v2', '/api'] });
    assert.deepEqual(r.modifiers[2]!.options, { regex: '^/a/(.*)', replacement: '/b/$1' });
  });

  it('converts HostRegexp templates, path templates, headers and queries', () => {
    const r = convertV1Rules([
      'HostRegexp:{sub:[a-z]+}.a.com;Path:/u/{id:[0-9]+};Headers:X-A,1;HeadersRegexp:X-B,^v;Query:k=v,n=',
    ]);
    assert.equal(
      r.rule,
      'HostRegexp(`(?i)^([a-z]+)\\.a\\.com$`) && PathRegexp(`^/u/([0-9]+)$`) && Header(`X-A`, `1`) && ' +
        'HeaderRegexp(`X-B`, `^v`) && Query(`k`, `v`) && QueryRegexp(`n`, `.*`)',
    );
    assert.doesNotThrow(() => parseRule(r.rule));
  });

  it('PathStrip, PathStripRegex and ReplacePath', () => {
    const r = convertV1Rules(['PathStrip:/s;PathPrefixStripRegex:/v/{n:[0-9]+};ReplacePath:/new']);
    assert.equal(r.rule, 'Path(`/s`) && PathRegexp(`^/v/([0-9]+)`)');
    assert.deepEqual(r.modifiers, [
      { kind: 'stripPrefix', options: { prefixes: ['/s'] } },
      { kind: 'stripPrefixRegex', options: { regex: ['^/v/([0-9]+)'] } },
      { kind: 'replacePath', options: { path: '/new' } },
    ]);
  });

  it('warns about unknown matchers and keeps going', () => {
    const r = convertV1Rules(['Hots:a.test;Path:/x']);
    assert.equal(r.rule, 'Path(`/x`)');
    assert.match(r.warnings[0]!, /unknown v1 rule matcher "Hots"/);
  });

  it('templates quote literal text', () => {
    assert.equal(templateToRegex('a.b{x}', '[^.]+', true), '^a\\.b([^.]+)$');
  });
});
