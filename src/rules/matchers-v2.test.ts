import { describe, it } from 'node:test';
import { checkRule, type MatcherRequest } from './test-requests.js';

const check = (rule: string, yes: MatcherRequest[], no: MatcherRequest[]) => checkRule(rule, yes, no, 'v2');

describe('v2 Host and HostHeader', () => {
  it('match any of several hosts, case-insensitively, trailing dot tolerated', () => {
    check(
      'Host(`example.com`, `Example.ORG.`)',
      [{ host: 'example.com' }, { host: 'example.org' }],
      [{ host: 'example.net' }, { host: '' }],
    );
    check('HostHeader(`localhost`)', [{ host: 'localhost' }], [{ host: 'bar' }]);
  });

  it('have no wildcard form in v2', () => {
    check('Host(`*.example.com`)', [], [{ host: 'a.example.com' }]);
  });
});

describe('v2 HostRegexp (gorilla/mux templates)', () => {
  it('matches {name:re} variables, literal parts literally', () => {
    check(
      'HostRegexp(`{subdomain:[a-z]+}.example.com`)',
      [{ host: 'api.example.com' }],
      [{ host: 'api.exampleXcom' }, { host: 'a.b.example.com' }, { host: 'example.com' }],
    );
  });

  it('uses one label as the default variable pattern', () => {
    check('HostRegexp(`{sub}.example.com`)', [{ host: 'x-1.example.com' }], [{ host: 'a.b.example.com' }]);
  });

  it('supports several templates, capturing groups and plain hosts', () => {
    check(
      'HostRegexp(`example.com`, `{sub:(foo\\.)?bar\\.com}`)',
      [{ host: 'example.com' }, { host: 'foo.bar.com' }, { host: 'bar.com' }],
      [{ host: 'fooubar.com' }, { host: 'barucom' }],
    );
  });

  it('is case-insensitive like hosts', () => {
    check('HostRegexp(`{dummy:[A-Z]+}.bar.com`)', [{ host: 'foo.bar.com' }], []);
  });

  it('allows braces inside a variable pattern', () => {
    check(
      'HostRegexp(`{id:[a-z]{3}}.example.com`)',
      [{ host: 'abc.example.com' }],
      [{ host: 'ab.example.com' }],
    );
  });
});

describe('v2 Path and PathPrefix', () => {
  it('Path matches any of several exact paths', () => {
    check('Path(`/css`, `/js`)', [{ path: '/css' }, { path: '/js' }], [{ path: '/css/' }, { path: '/html' }]);
  });

  it('Path supports variables, anchored at both ends', () => {
    check(
      'Path(`/css{path:(/.*)?}`)',
      [{ path: '/css/main.css' }, { path: '/css/components/c.css' }, { path: '/css' }],
      [{ path: '/css.css' }, { path: '/js/main.js' }],
    );
    check('Path(`/user/{id}`)', [{ path: '/user/42' }], [{ path: '/user/42/x' }, { path: '/user/' }]);
  });

  it('PathPrefix is a plain prefix, or a prefix-anchored template', () => {
    check('PathPrefix(`/css`, `/js`)', [{ path: '/css/main.css' }, { path: '/jsx' }], [{ path: '/html' }]);
    check(
      'PathPrefix(`/css-{name:[0-9]?}`)',
      [{ path: '/css-1/main.css' }, { path: '/css-222/x' }, { path: '/css-' }],
      [{ path: '/css.css' }],
    );
  });
});

describe('v2 Method', () => {
  it('matches any of several methods', () => {
    check('Method(`get`, `POST`)', [{ method: 'GET' }, { method: 'POST' }], [{ method: 'PUT' }]);
  });
});

describe('v2 Headers and HeadersRegexp', () => {
  it('Headers(k, v) matches any value of k; several pairs must all match', () => {
    check(
      'Headers(`x-forwarded-proto`, `https`)',
      [{ headers: { 'x-forwarded-proto': ['http', 'https'] } }],
      [{ headers: { 'x-forwarded-host': 'https' } }],
    );
    check(
      'Headers(`A`, `1`, `B`, `2`)',
      [{ headers: { a: '1', b: '2' } }],
      [{ headers: { a: '1' } }, { headers: { a: '1', b: '3' } }],
    );
  });

  it('HeadersRegexp uses plain Go regexps (no templates)', () => {
    check(
      'HeadersRegexp(`Content-Type`, `application/(text|json)`)',
      [{ headers: { 'content-type': 'application/json' } }],
      [{ headers: { 'content-type': 'application/foo' } }],
    );
    check(
      'HeadersRegexp(`X`, `http{secure:s?}`)',
      [{ headers: { x: 'http{secure:s}' } }],
      [{ headers: { x: 'https' } }],
    );
  });
});

describe('v2 Query', () => {
  it('matches key=value on the first value of the key; pairs must all match', () => {
    check('Query(`a=1`)', [{ query: 'a=1' }, { query: 'a=1&a=2' }], [{ query: 'a=2&a=1' }, { query: 'b=1' }]);
    check('Query(`a=1`, `b=2`)', [{ query: 'b=2&a=1' }], [{ query: 'a=1' }]);
  });

  it('key= means the key is present with any value', () => {
    check(
      'Query(`a=`)',
      [{ query: 'a=' }, { query: 'a=x' }, { query: 'a' }],
      [{ query: 'b=1' }, { query: '' }],
    );
  });

  it('supports {name:re} variables in the value', () => {
    check('Query(`id={id:[0-9]+}`)', [{ query: 'id=42' }], [{ query: 'id=4x' }, { query: 'id=' }]);
  });

  it('flattens arguments into pairs like Traefik: Query(a, b) means a=b', () => {
    check('Query(`a`, `b`)', [{ query: 'a=b' }], [{ query: 'a=c' }]);
  });
});

describe('v2 ClientIP', () => {
  it('matches any of several addresses or ranges', () => {
    check(
      'ClientIP(`127.0.0.1`, `192.168.1.0/24`, `2001:db8::/32`)',
      [{ ip: '127.0.0.1' }, { ip: '192.168.1.7' }, { ip: '2001:db8::5' }, { ip: '::ffff:192.168.1.9' }],
      [{ ip: '192.168.2.1' }, { ip: '2001:db9::1' }],
    );
  });
});
