import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostsOf, indexHosts } from './host-analysis.js';
import { parseRule } from './parser.js';
import { defaultPriority } from './priority.js';

describe('hostsOf', () => {
  it('lists the hosts of non-negated Host matchers, normalized and deduplicated', () => {
    assert.deepEqual(
      hostsOf(parseRule('Host(`A.com`) || (Host(`b.com.`) && !Host(`c.com`)) || Host(`a.com`)')),
      ['a.com', 'b.com'],
    );
    assert.deepEqual(hostsOf(parseRule('!!Host(`a.com`) && !(Host(`b.com`) || Path(`/`))')), ['a.com']);
  });

  it('keeps wildcards, drops the catch-all, ignores HostRegexp', () => {
    assert.deepEqual(hostsOf(parseRule('Host(`*.a.com`) || Host(`*`) || HostRegexp(`^b\\.com$`)')), [
      '*.a.com',
    ]);
  });

  it('reads v2 multi-host matchers and HostHeader', () => {
    assert.deepEqual(hostsOf(parseRule('Host(`a.com`, `b.com`) || HostHeader(`c.com`)', 'v2')), [
      'a.com',
      'b.com',
      'c.com',
    ]);
  });
});

describe('indexHosts', () => {
  const keys = (rule: string, syntax: 'v2' | 'v3' = 'v3') => indexHosts(parseRule(rule, syntax));

  it('confines Host(...) && anything to its host', () => {
    assert.deepEqual(keys('Host(`a.com`) && PathPrefix(`/api`)'), {
      exact: ['a.com'],
      wildcard: [],
      deepWildcard: [],
    });
    assert.deepEqual(keys('PathPrefix(`/api`) && Host(`A.com.`)')?.exact, ['a.com']);
  });

  it('unions the hosts of an OR of host-confined rules', () => {
    assert.deepEqual(keys('(Host(`a.com`) && Path(`/`)) || Host(`*.b.com`) || Host(`**.c.com`)'), {
      exact: ['a.com'],
      wildcard: ['b.com'],
      deepWildcard: ['c.com'],
    });
    assert.deepEqual(keys('Host(`a.com`, `b.com`)', 'v2')?.exact, ['a.com', 'b.com']);
  });

  it('picks the narrower side of an AND', () => {
    assert.deepEqual(keys('(Host(`a.com`) || Host(`b.com`)) && Host(`c.com`)')?.exact, ['c.com']);
  });

  it('applies De Morgan through negations', () => {
    assert.deepEqual(keys('!(!Host(`a.com`) || Path(`/x`))')?.exact, ['a.com']);
    assert.equal(keys('!Host(`a.com`)'), undefined);
    assert.equal(keys('!(Host(`a.com`) && Path(`/x`))'), undefined);
  });

  it('gives up on anything that may match other hosts', () => {
    assert.equal(keys('PathPrefix(`/`)'), undefined);
    assert.equal(keys('Host(`a.com`) || Path(`/`)'), undefined);
    assert.equal(keys('Host(`*`) && Path(`/`)'), undefined);
    assert.equal(keys('HostRegexp(`^a\\.com$`)'), undefined);
  });
});

describe('defaultPriority', () => {
  it('is the rule length', () => {
    assert.equal(defaultPriority('Host(`a.com`)'), 13);
    assert.equal(defaultPriority('HostRegexp(`[a-z]+\\.traefik\\.com`)'), 34);
    assert.equal(defaultPriority('not a rule'), 10);
  });

  it('does not count the stars of **. hosts (Traefik ranks them below the hosts they cover)', () => {
    assert.equal(defaultPriority('Host(`**.a.com`)'), 'Host(`**.a.com`)'.length - 2);
    assert.equal(defaultPriority('!Host(`**.a.com`)'), '!Host(`**.a.com`)'.length);
  });
});
