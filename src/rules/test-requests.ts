/**
 * Test support (nothing in the product imports it): plain-data requests for rule matchers, and a check
 * that a rule matches some requests and not others.
 */
import assert from 'node:assert/strict';
import type { HttpContext } from '../core/http-context.js';
import { compileRule } from './compile.js';
import type { RuleSyntax } from './matcher-definition.js';

/** What matchers read of a request; unset: GET, host example.com, path /, no query, from 127.0.0.1. */
export interface MatcherRequest {
  host?: string;
  path?: string;
  method?: string;
  headers?: Record<string, string | string[]>;
  rawHeaders?: string[];
  query?: string;
  ip?: string;
}

/** A plain-data HttpContext with the fields matchers read. */
export function matcherContext(r: MatcherRequest = {}): HttpContext {
  return {
    req: { method: r.method ?? 'GET', headers: r.headers ?? {}, rawHeaders: r.rawHeaders ?? [] },
    host: r.host ?? 'example.com',
    path: r.path ?? '/',
    rawQuery: r.query ?? '',
    clientIp: r.ip ?? '127.0.0.1',
  } as unknown as HttpContext;
}

/** Asserts that `rule`, compiled in `syntax`, matches every request in `yes` and none in `no`. */
export function checkRule(
  rule: string,
  yes: MatcherRequest[],
  no: MatcherRequest[],
  syntax: RuleSyntax = 'v3',
): void {
  const { predicate } = compileRule(rule, syntax);
  for (const r of yes) {
    assert.equal(predicate(matcherContext(r)), true, `${rule} should match ${JSON.stringify(r)}`);
  }
  for (const r of no) {
    assert.equal(predicate(matcherContext(r)), false, `${rule} should not match ${JSON.stringify(r)}`);
  }
}
