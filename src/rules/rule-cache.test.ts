import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileRule } from './compile.js';
import { RuleCache } from './rule-cache.js';

const request = (host: string, path = '/') =>
  ({ req: { method: 'GET', headers: { host } }, host, path, rawQuery: '' }) as never;

describe('compiled rule cache', () => {
  it('gives the same compiled rule for the same text and syntax, a separate one per syntax', () => {
    const rule = 'Host(`cache-a.example.test`) && PathPrefix(`/api`)';
    const first = compileRule(rule, 'v3');
    assert.equal(compileRule(rule, 'v3'), first);
    assert.notEqual(compileRule(rule, 'v2'), first);
    assert.equal(compileRule(rule, 'v2').syntax, 'v2');
    assert.equal(first.predicate(request('cache-a.example.test', '/api/x')), true);
    assert.equal(first.predicate(request('cache-a.example.test', '/web')), false);
    // A template that only v2 reads as a placeholder: the two entries match differently.
    const template = 'HostRegexp(`{sub:[a-z]+}.example.test`)';
    assert.equal(compileRule(template, 'v2').predicate(request('api.example.test')), true);
    assert.equal(compileRule(template, 'v3').predicate(request('api.example.test')), false);
  });

  it('does not keep a rule that fails: it throws again with the same message', () => {
    const messages = [0, 1].map(() => {
      try {
        compileRule('Host(`a.example.test`) && Nope(`x`)', 'v3');
        return 'compiled';
      } catch (err) {
        return (err as Error).message;
      }
    });
    assert.match(messages[0]!, /Nope/);
    assert.equal(messages[1], messages[0]);
  });

  it('forgets a rule the last generation did not ask for', () => {
    const made: string[] = [];
    const cache = new RuleCache((rule, syntax) => {
      made.push(`${syntax}:${rule}`);
      return { rule };
    });
    const a = cache.get('A', 'v3');
    cache.get('B', 'v3');
    cache.nextGeneration();
    assert.equal(cache.get('A', 'v3'), a, 'kept from the previous generation');
    cache.nextGeneration();
    assert.equal(cache.get('A', 'v3'), a);
    assert.equal(cache.size, 1, 'B was not asked for in the last generation: dropped');
    cache.get('B', 'v3');
    assert.deepEqual(made, ['v3:A', 'v3:B', 'v3:B']);
  });
});
