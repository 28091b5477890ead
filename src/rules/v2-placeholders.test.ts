import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileRule } from './compile.js';
import { parseRule } from './parser.js';
import { v2PlaceholderWarning } from './v2-placeholders.js';

const suggestion = (rule: string) =>
  /Write (.*) \(or set ruleSyntax: v2/.exec(v2PlaceholderWarning(parseRule(rule, 'v3')) ?? '')?.[1];

describe('v2 placeholders in a v3 rule', () => {
  it('suggests the v3 HostRegexp for a v2 host template, which the v3 rule never matches', () => {
    const rule = 'HostRegexp(`{sub:[a-z]+}.example.test`)';
    assert.equal(suggestion(rule), `HostRegexp(\`^[a-z]+\\.example\\.test$\`) instead of ${rule}`);
    // The suggested rule matches what the v2 rule meant; the rule as written does not.
    const v3 = compileRule('HostRegexp(`^[a-z]+\\.example\\.test$`)', 'v3');
    const v2 = compileRule(rule, 'v2');
    const asWritten = compileRule(rule, 'v3');
    for (const host of ['api.example.test', 'www.example.test']) {
      const ctx = { req: { method: 'GET', headers: { host } }, host, path: '/', rawQuery: '' } as never;
      assert.equal(v3.predicate(ctx), true, host);
      assert.equal(v2.predicate(ctx), true, host);
      assert.equal(asWritten.predicate(ctx), false, host);
    }
  });

  it('turns Path and PathPrefix templates into anchored PathRegexp, bare placeholders into one segment', () => {
    assert.equal(
      suggestion('Path(`/users/{id:[0-9]+}`) && Method(`GET`)'),
      'PathRegexp(`^/users/[0-9]+$`) instead of Path(`/users/{id:[0-9]+}`)',
    );
    assert.equal(
      suggestion('PathPrefix(`/v{n}/api`)'),
      'PathRegexp(`^/v[^/]+/api`) instead of PathPrefix(`/v{n}/api`)',
    );
    assert.equal(
      suggestion('HostRegexp(`{x}.a.b`)'),
      'HostRegexp(`^[^.]+\\.a\\.b$`) instead of HostRegexp(`{x}.a.b`)',
    );
    assert.equal(
      suggestion('PathPrefix(`/a`) || !Path(`/b/{c:[a-z]{2}}`)'),
      'PathRegexp(`^/b/[a-z]{2}$`) instead of Path(`/b/{c:[a-z]{2}}`)',
    );
  });

  it('says nothing about v3 rules without placeholders, regex quantifiers included', () => {
    for (const rule of [
      'Host(`a.example.test`)',
      'HostRegexp(`^[a-z]{2,3}\\.example\\.test$`)',
      'PathRegexp(`^/x/[0-9]{4}$`) && PathPrefix(`/x`)',
      'Header(`X-A`, `{b}`)',
    ]) {
      assert.equal(v2PlaceholderWarning(parseRule(rule, 'v3')), undefined, rule);
    }
  });
});
