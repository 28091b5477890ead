import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileRule, parseRule } from '../../rules/index.js';
import { matcherContext } from '../../rules/test-requests.js';
import { convertV1Dynamic } from './dynamic.js';
import { convertV1Rules, templateToRegex } from './rules.js';

describe('v1 rules', () => {
  it('comma is OR inside a matcher, ; is AND, routes are AND-ed', () => {
    const r = convertV1Rules(['Host:a.test,b.test;Method:get', 'PathPrefix:/api']);
    assert.equal(r.rule, '(Host(`a.test`) || Host(`b.test`)) && Method(`GET`) && PathPrefix(`/api`)');
    assert.deepEqual(r.modifiers, []);
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(r.errors, []);
  });

  it('a frontend whose only route is a modifier matches everything', () => {
    const r = convertV1Rules(['AddPrefix:/qt']);
    assert.equal(r.rule, 'PathPrefix(`/`)');
    assert.deepEqual(r.modifiers, [{ kind: 'addPrefix', options: { prefix: '/qt' } }]);
  });

  it('applies modifiers in v1 order: regex strip, strip, AddPrefix, ReplacePathRegex, ReplacePath', () => {
    const r = convertV1Rules([
      'ReplacePath:/final;ReplacePathRegex: ^/a/(.*) /b/$1;AddPrefix:/x;PathPrefixStrip:/api,/api/v2;' +
        'PathPrefixStripRegex:/api/{v:[0-9]+}',
    ]);
    assert.deepEqual(
      r.modifiers.map((m) => m.kind),
      ['stripPrefixRegex', 'stripPrefix', 'addPrefix', 'replacePathRegex', 'replacePath'],
    );
    assert.deepEqual(r.modifiers[0]!.options, { regex: ['^/api/([0-9]+)'] });
    assert.deepEqual(r.modifiers[1]!.options, { prefixes: ['/api/v2', '/api'] });
    assert.deepEqual(r.modifiers[3]!.options, { regex: '^/a/(.*)', replacement: '/b/$1' });
  });

  it('each modifier slot keeps the last value written, as v1 assigns them', () => {
    // PathStrip and PathPrefixStrip share one slot; so do the two regex strips.
    const r = convertV1Rules(['PathStrip:/a/b;PathPrefixStrip:/a', 'AddPrefix:/one,/two']);
    assert.deepEqual(r.modifiers, [
      { kind: 'stripPrefix', options: { prefixes: ['/a'] } },
      { kind: 'addPrefix', options: { prefix: '/two' } },
    ]);
    const regex = convertV1Rules(['PathPrefixStripRegex:/v/{n};PathStripRegex:/w/{n}']);
    assert.deepEqual(regex.modifiers, [{ kind: 'stripPrefixRegex', options: { regex: ['^/w/([^/]+)'] } }]);
  });

  it('converts HostRegexp templates, path templates and header pairs', () => {
    const r = convertV1Rules([
      'HostRegexp:{sub:[a-z]+}.a.com;Path:/u/{id:[0-9]+};Headers:X-A,1,X-B, ;HeadersRegexp:X-C,^v',
    ]);
    assert.equal(
      r.rule,
      'HostRegexp(`(?i)^([a-z]+)\\.a\\.com$`) && PathRegexp(`^/u/([0-9]+)$`) && Header(`X-A`, `1`) && ' +
        'HeaderRegexp(`X-B`, `.*`) && HeaderRegexp(`X-C`, `^v`)',
    );
    assert.equal(r.ruleSyntax, undefined);
    assert.doesNotThrow(() => parseRule(r.rule));
  });

  it('a frontend with Query is written in v2 syntax: v1 looks at the first value of a parameter only', () => {
    const r = convertV1Rules(['Host:a.test;Path:/u/{id:[0-9]+};Query:k=v,n=;Headers:X-B, ']);
    assert.equal(r.ruleSyntax, 'v2');
    assert.equal(
      r.rule,
      'Host(`a.test`) && Path(`/u/{id:[0-9]+}`) && Query(`k=v`, `n=`) && HeadersRegexp(`X-B`, `.*`)',
    );
    const { predicate } = compileRule(r.rule, 'v2');
    const request = (query: string) =>
      matcherContext({
        headers: { 'x-b': '' },
        rawHeaders: ['X-B', ''],
        host: 'a.test',
        path: '/u/7',
        query,
      });
    assert.equal(predicate(request('k=v&n=1')), true);
    assert.equal(predicate(request('k=x&k=v&n=1')), false, 'only the first k counts, as in v1');
    assert.equal(predicate(request('k=v')), false, 'n must be present');
    // The trailing-slash redirect router is written in the same syntax.
    assert.equal(
      r.slashRedirects[0]!.rule,
      'Host(`a.test`) && Path(`/u/{id:[0-9]+}/`) && Query(`k=v`, `n=`) && HeadersRegexp(`X-B`, `.*`)',
    );
  });

  it('v1 pairs Query pieces split on "=": Query:a,b means a=b', () => {
    assert.equal(convertV1Rules(['Query:a,b']).rule, 'Query(`a=b`)');
    assert.equal(convertV1Rules(['Query:id={id:[0-9]+}']).rule, 'Query(`id={id:[0-9]+}`)');
  });

  it('PathStrip, PathStripRegex and ReplacePath', () => {
    const r = convertV1Rules(['PathStrip:/s;PathPrefix:/s;PathStripRegex:/v/{n:[0-9]+};ReplacePath:/new']);
    assert.equal(r.rule, 'Path(`/s`) && PathPrefix(`/s`) && PathRegexp(`^/v/([0-9]+)$`)');
    assert.deepEqual(r.modifiers, [
      { kind: 'stripPrefixRegex', options: { regex: ['^/v/([0-9]+)'] } },
      { kind: 'stripPrefix', options: { prefixes: ['/s'] } },
      { kind: 'replacePath', options: { path: '/new' } },
    ]);
  });

  it('ReplacePathRegex without exactly one space, or with an invalid regexp, is ignored as in v1', () => {
    const spaces = convertV1Rules(['Path:/a;ReplacePathRegex:^/a  /b']);
    assert.deepEqual(spaces.modifiers, []);
    assert.match(spaces.warnings[0]!, /one space/);
    const invalid = convertV1Rules(['Path:/a;ReplacePathRegex:^/(a /b']);
    assert.deepEqual(invalid.modifiers, []);
    assert.match(invalid.warnings[0]!, /invalid regexp/);
  });

  it('an unknown or miscased matcher is an error with a suggestion, not a catch-all', () => {
    const r = convertV1Rules(['Hosts:app.example.test']);
    assert.equal(r.errors.length, 1);
    assert.match(
      r.errors[0]!,
      /unknown v1 rule matcher "Hosts" in "Hosts:app.example.test" \(did you mean "Host"\?\)/,
    );
    assert.match(convertV1Rules(['Host:a;pathPrefix:/x']).errors[0]!, /did you mean "PathPrefix"/);
  });

  it('rules Traefik 1.7 refuses are errors', () => {
    const cases: [string, RegExp][] = [
      ['', /empty rule/],
      ['Host', /has no value/],
      ['Host:', /has no value/],
      ['Host:a; ', /empty matcher/],
      ['Path:api', /must start with "\/"/],
      ['Path:/u/{id', /unbalanced braces/],
      ['HostRegexp:{}.a.com', /missing variable name/],
      ['Headers:X-A', /name\/value pairs/],
      ['Headers:X-A,', /name\/value pairs/],
      ['Query:a=b=c', /name\/value pairs/],
      ['PathPrefixStrip:/v/{n:[0-9]+}', /PathPrefixStripRegex/],
    ];
    for (const [rule, error] of cases) {
      const r = convertV1Rules([rule]);
      assert.equal(r.errors.length, 1, rule);
      assert.match(r.errors[0]!, error, rule);
    }
  });

  it('the priority is the total length of the rule strings, as Traefik 1.7 sorts frontends', () => {
    assert.equal(
      convertV1Rules(['Host:a.test', 'Path:/x']).priority,
      'Host:a.test'.length + 'Path:/x'.length,
    );
    assert.equal(convertV1Rules(['Host:é.test']).priority, Buffer.byteLength('Host:é.test'));
  });

  it('Path templates redirect the other trailing-slash form, as mux strict slash does', () => {
    const r = convertV1Rules(['Host:a.test;Path:/a,/b/,/,/u/{id}']);
    assert.deepEqual(r.slashRedirects, [
      {
        rule: 'Host(`a.test`) && (Path(`/a/`) || PathRegexp(`^/u/([^/]+)/$`))',
        addSlash: false,
      },
      { rule: 'Host(`a.test`) && Path(`/b`)', addSlash: true },
    ]);
    assert.deepEqual(convertV1Rules(['PathPrefix:/a']).slashRedirects, []);
    assert.deepEqual(convertV1Rules(['PathStrip:/a'], { strictSlash: false }).slashRedirects, []);
  });

  it('templates quote literal text', () => {
    assert.equal(templateToRegex('a.b{x}', '[^.]+', true), '^a\\.b([^.]+)$');
  });
});

describe('v1 frontends keep Traefik 1.7 order', () => {
  const v1 = {
    backends: { app: { servers: { s: { url: 'http://127.0.0.1:1' } } } },
    frontends: {
      site: { backend: 'app', routes: { r: { rule: 'Host:app.example.test,www.app.example.test' } } },
      api: {
        backend: 'app',
        routes: { r: { rule: 'Host:app.example.test;PathPrefixStrip:/admin' } },
        basicAuth: ['u:$apr1$x'],
      },
      pinned: {
        backend: 'app',
        priority: 5,
        routes: { r: { rule: 'Host:app.example.test;Path:/long/path' } },
      },
      typo: { backend: 'app', routes: { r: { rule: 'Hosts:app.example.test' } } },
    },
  };
  const { config, errors } = convertV1Dynamic(v1);
  const routers = (config as { http: { routers: Record<string, { rule: string; priority: number }> } }).http
    .routers;

  it('gives every router its v1 priority: the rule length, or the explicit priority', () => {
    assert.equal(routers.site!.priority, 'Host:app.example.test,www.app.example.test'.length);
    assert.equal(routers.api!.priority, 'Host:app.example.test;PathPrefixStrip:/admin'.length);
    assert.equal(routers.pinned!.priority, 5);
    // The guarded frontend wins in v1 and must still win: its converted rule alone is the shorter one.
    assert.ok(routers.api!.rule.length < routers.site!.rule.length);
    assert.ok(routers.api!.priority > routers.site!.priority);
  });

  it('leaves a frontend with an unknown matcher out, with an error naming its router', () => {
    assert.equal(routers.typo, undefined);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.element, 'http.routers.typo');
    assert.match(
      errors[0]!.message,
      /^frontends\.typo: unknown v1 rule matcher "Hosts".*did you mean "Host"/,
    );
  });

  it('adds a redirect router, of the same priority, for the other trailing-slash form of a Path', () => {
    const slash = convertV1Dynamic({
      ...v1,
      frontends: { docs: { backend: 'app', routes: { r: { rule: 'Path:/docs/' } }, basicAuth: ['u:x'] } },
    });
    const http = (slash.config as { http: Record<string, Record<string, unknown>> }).http;
    assert.deepEqual(http.routers!['docs-addslash'], {
      rule: 'Path(`/docs`)',
      service: 'app',
      priority: 'Path:/docs/'.length,
      middlewares: ['docs-addslash'],
    });
    assert.deepEqual(http.middlewares!['docs-addslash'], {
      redirectRegex: { regex: '^([^?]*)(\\?.*)?$', replacement: '$1/$2', permanent: true },
    });
  });

  it('a frontend without routes matches everything, last (priority -1)', () => {
    const bare = convertV1Dynamic({ ...v1, frontends: { all: { backend: 'app' } } });
    const all = (bare.config as { http: { routers: Record<string, unknown> } }).http.routers.all;
    assert.deepEqual(all, { rule: 'PathPrefix(`/`)', service: 'app', priority: -1 });
  });
});
