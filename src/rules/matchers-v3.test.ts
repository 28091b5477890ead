import { describe, it } from 'node:test';
import { checkRule } from './test-requests.js';

describe('v3 Host', () => {
  it('matches the host case-insensitively', () => {
    checkRule(
      'Host(`Example.COM`)',
      [{ host: 'example.com' }],
      [{ host: 'example.org' }, { host: 'a.example.com' }],
    );
  });

  it('tolerates a trailing dot in the rule (request hosts arrive without one)', () => {
    checkRule('Host(`example.com.`)', [{ host: 'example.com' }], [{ host: 'example.org' }]);
  });

  it('matches IP literal hosts', () => {
    checkRule('Host(`127.0.0.1`)', [{ host: '127.0.0.1' }], [{ host: '127.0.0.2' }]);
    checkRule('Host(`::1`)', [{ host: '::1' }], [{ host: '::2' }]);
  });

  it('*.domain matches exactly one label', () => {
    checkRule(
      'Host(`*.example.com`)',
      [{ host: 'a.example.com' }, { host: 'www-1.example.com' }],
      [
        { host: 'example.com' },
        { host: 'a.b.example.com' },
        { host: 'aexample.com' },
        { host: 'a.example.org' },
      ],
    );
  });

  it('**.domain matches one or more labels', () => {
    checkRule(
      'Host(`**.Example.com`)',
      [{ host: 'a.example.com' }, { host: 'a.b.example.com' }],
      [{ host: 'example.com' }, { host: 'aexample.com' }],
    );
  });

  it('* matches any host, even none', () => {
    checkRule('Host(`*`)', [{ host: 'example.com' }, { host: 'localhost' }, { host: '' }], []);
  });

  it('does not match a request without host', () => {
    checkRule('Host(`example.com`)', [], [{ host: '' }]);
  });
});

describe('v3 HostRegexp', () => {
  it('matches the lowercase host without implicit anchors', () => {
    checkRule(
      'HostRegexp(`^[a-z]+\\.example\\.com$`)',
      [{ host: 'api.example.com' }],
      [{ host: 'a.b.example.com' }],
    );
    checkRule('HostRegexp(`example`)', [{ host: 'www.example.org' }], [{ host: 'other.org' }]);
  });

  it('honours a leading (?i)', () => {
    checkRule(
      'HostRegexp(`(?i)^API\\.example\\.com$`)',
      [{ host: 'api.example.com' }],
      [{ host: 'web.example.com' }],
    );
    checkRule('HostRegexp(`^API\\.example\\.com$`)', [], [{ host: 'api.example.com' }]);
  });
});

describe('v3 Path, PathPrefix, PathRegexp', () => {
  it('Path is exact', () => {
    checkRule(
      'Path(`/products`)',
      [{ path: '/products' }],
      [{ path: '/products/' }, { path: '/products/shoes' }],
    );
  });

  it('PathPrefix is a plain string prefix', () => {
    checkRule(
      'PathPrefix(`/products`)',
      [{ path: '/products' }, { path: '/products/shoes' }, { path: '/products-for-sale' }],
      [{ path: '/product' }, { path: '/' }],
    );
    checkRule('PathPrefix(`/`)', [{ path: '/' }, { path: '/anything' }], []);
  });

  it('PathRegexp uses a Go regexp on the routing path', () => {
    checkRule(
      'PathRegexp(`\\.(jpeg|jpg|png)$`)',
      [{ path: '/a/b.png' }],
      [{ path: '/a/b.gif' }, { path: '/a.png/x' }],
    );
    checkRule('PathRegexp(`(?i)^/products`)', [{ path: '/Products/1' }], [{ path: '/items' }]);
    checkRule('PathRegexp(`^/v(?P<major>[0-9]+)/`)', [{ path: '/v2/x' }], [{ path: '/vx/x' }]);
  });
});

describe('v3 Method', () => {
  it('compares the method, configured in any case', () => {
    checkRule('Method(`get`)', [{ method: 'GET' }], [{ method: 'POST' }]);
    checkRule('Method(`OPTIONS`)', [{ method: 'OPTIONS' }], [{ method: 'GET' }]);
  });
});

describe('v3 Header, HeaderRegexp', () => {
  it('matches any value of the header, name case-insensitive', () => {
    checkRule(
      'Header(`Content-Type`, `application/yaml`)',
      [
        { headers: { 'content-type': 'application/yaml' } },
        { headers: { 'set-cookie': ['x'], 'content-type': ['text/plain', 'application/yaml'] } },
      ],
      [{ headers: { 'content-type': 'application/json' } }, { headers: {} }],
    );
    checkRule('Header(`x-TEST`, `1`)', [{ headers: { 'x-test': '1' } }], [{ headers: { 'x-test': '2' } }]);
  });

  it('sees each line of a repeated header, but keeps a single line with a comma whole', () => {
    const repeated = { headers: { 'x-a': 'one, two' }, rawHeaders: ['X-A', 'one', 'x-a', 'two'] };
    const oneLine = { headers: { 'x-a': 'one, two' }, rawHeaders: ['X-A', 'one, two'] };
    checkRule('Header(`X-A`, `two`)', [repeated], [oneLine]);
    checkRule('Header(`X-A`, `one, two`)', [repeated, oneLine], []);
    checkRule('HeaderRegexp(`X-A`, `^two$`)', [repeated], [oneLine]);
  });

  it('HeaderRegexp matches any value', () => {
    checkRule(
      'HeaderRegexp(`Content-Type`, `^application/(json|yaml)$`)',
      [{ headers: { 'content-type': 'application/json' } }],
      [{ headers: { 'content-type': 'application/xml' } }, { headers: {} }],
    );
    checkRule(
      'HeaderRegexp(`Content-Type`, `(?i)^application/json$`)',
      [{ headers: { 'content-type': 'Application/JSON' } }],
      [],
    );
  });
});

describe('v3 Query, QueryRegexp', () => {
  it('Query(k, v) matches any value of k', () => {
    checkRule(
      'Query(`mobile`, `true`)',
      [{ query: 'mobile=true' }, { query: 'a=1&mobile=false&mobile=true' }, { query: 'mobile=%74rue' }],
      [{ query: 'mobile=false' }, { query: '' }, { query: 'mobiles=true' }, { query: 'mobile' }],
    );
  });

  it('Query(k) means present with an empty value', () => {
    checkRule(
      'Query(`mobile`)',
      [{ query: 'mobile' }, { query: 'mobile=' }, { query: 'x=1&mobile' }],
      [{ query: 'mobile=1' }, { query: 'other' }],
    );
  });

  it('decodes keys and values as Go does (+ is a space, bad escapes and ; pairs skipped)', () => {
    checkRule('Query(`a b`, `c d`)', [{ query: 'a+b=c%20d' }], [{ query: 'a+b=c%2' }]);
    checkRule('Query(`k`, `v`)', [{ query: 'bad=%zz&k=v' }], [{ query: 'k=v;x=1' }]);
    checkRule('Query(`é`, `ü`)', [{ query: '%C3%A9=%C3%BC' }], []);
  });

  it('QueryRegexp matches any value; with one argument it is Query(k)', () => {
    checkRule('QueryRegexp(`mobile`, `^(true|yes)$`)', [{ query: 'mobile=yes' }], [{ query: 'mobile=no' }]);
    checkRule(
      'QueryRegexp(`mobile`, `^.*$`)',
      [{ query: 'mobile=' }, { query: 'mobile=x' }],
      [{ query: 'm=x' }],
    );
    checkRule('QueryRegexp(`mobile`)', [{ query: 'mobile' }], [{ query: 'mobile=1' }]);
  });
});

describe('v3 ClientIP', () => {
  it('matches IPv4 addresses and ranges', () => {
    checkRule('ClientIP(`10.76.105.11`)', [{ ip: '10.76.105.11' }], [{ ip: '10.76.105.12' }]);
    checkRule(
      'ClientIP(`192.168.1.0/24`)',
      [{ ip: '192.168.1.1' }, { ip: '192.168.1.255' }],
      [{ ip: '192.168.2.1' }],
    );
  });

  it('matches IPv6 addresses and ranges', () => {
    checkRule(
      'ClientIP(`::1`)',
      [{ ip: '::1' }, { ip: '0:0:0:0:0:0:0:1' }],
      [{ ip: '::2' }, { ip: '127.0.0.1' }],
    );
    checkRule('ClientIP(`fe80::/10`)', [{ ip: 'fe80::1' }, { ip: 'febf::1%eth0' }], [{ ip: 'fec0::1' }]);
  });

  it('treats IPv4-mapped IPv6 peers as IPv4', () => {
    checkRule(
      'ClientIP(`1.2.3.4`)',
      [{ ip: '::ffff:1.2.3.4' }, { ip: '1.2.3.4' }],
      [{ ip: '::ffff:1.2.3.5' }],
    );
    checkRule('ClientIP(`::ffff:10.0.0.0/104`)', [{ ip: '10.9.9.9' }], [{ ip: '11.0.0.1' }]);
  });

  it('never matches an unparsable peer address', () => {
    checkRule('ClientIP(`0.0.0.0/0`)', [{ ip: '8.8.8.8' }], [{ ip: '' }, { ip: 'unix' }]);
  });
});

describe('v3 combinations', () => {
  it('evaluates operators with short-circuit semantics', () => {
    const rule = 'Host(`a.com`) && (PathPrefix(`/api`) || Header(`X-Api`, `1`)) && !Method(`DELETE`)';
    checkRule(
      rule,
      [
        { host: 'a.com', path: '/api/x' },
        { host: 'a.com', path: '/', headers: { 'x-api': '1' } },
      ],
      [
        { host: 'b.com', path: '/api' },
        { host: 'a.com', path: '/' },
        { host: 'a.com', path: '/api', method: 'DELETE' },
      ],
    );
  });
});
