import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ElementIssue, qualify, validateDynamic } from './validate.js';

const opts = { provider: 'file' };
const messages = (issues: ElementIssue[]) => issues.map((i) => [i.element, i.message]);

describe('validateDynamic: shape', () => {
  it('accepts an empty or absent configuration', () => {
    for (const raw of [undefined, null, {}, { http: null }, { http: { routers: null } }]) {
      const { config, issues } = validateDynamic(raw, opts);
      assert.deepEqual(issues, []);
      assert.deepEqual(config.http.routers, {});
    }
  });

  it('rejects a configuration that is not a mapping', () => {
    const { issues } = validateDynamic(['http'], opts);
    assert.equal(issues.length, 1);
    assert.match(issues[0]!.message, /must be a mapping/);
    assert.equal(issues[0]!.provider, 'file');
  });

  it('matches sections and kinds case-insensitively', () => {
    const raw = { HTTP: { Routers: { api: { Rule: 'Path(`/`)', Service: 'svc' } } } };
    const { config, issues } = validateDynamic(raw, opts);
    assert.deepEqual(issues, []);
    assert.equal(config.http.routers.api?.rule, 'Path(`/`)');
    assert.equal(config.http.routers.api?.service, 'svc');
  });

  it('reports unknown sections and kinds with a suggestion', () => {
    const raw = { htp: {}, http: { routrs: {} }, tls: { certificate: [] } };
    const { issues } = validateDynamic(raw, opts);
    assert.deepEqual(
      issues.map((i) => i.message),
      [
        'unknown key "htp" (did you mean "http"?)',
        'unknown key "http.routrs" (did you mean "routers"?)',
        'unknown key "tls.certificate" (did you mean "certificates"?)',
      ],
    );
  });

  it('reports a section given twice in two spellings', () => {
    const { issues } = validateDynamic({ http: {}, Http: {} }, opts);
    assert.match(issues[0]!.message, /"http" is given twice \(as "http" and "Http"\)/);
  });

  it('reports a kind that is not a mapping', () => {
    const { issues } = validateDynamic({ http: { routers: ['a'] } }, opts);
    assert.match(issues[0]!.message, /"http\.routers" must be a mapping, got a list/);
  });
});

describe('validateDynamic: routers', () => {
  it('leaves a broken router out with its error and keeps the others', () => {
    const raw = {
      http: {
        routers: {
          good: { rule: 'Host(`a`)', service: 's', entryPoints: 'web,websecure' },
          typo: { rul: 'Host(`b`)', service: 's' },
          bad: { rule: 'Host(`c`)', service: 's', priority: 'high' },
        },
      },
    };
    const { config, issues } = validateDynamic(raw, opts);
    assert.deepEqual(Object.keys(config.http.routers), ['good']);
    assert.deepEqual(config.http.routers.good?.entryPoints, ['web', 'websecure']);
    const typo = issues.filter((i) => i.element === 'http.routers.typo').map((i) => i.message);
    assert.deepEqual(typo, ['unknown key "rul" (did you mean "rule"?)', 'missing required key "rule"']);
    const bad = issues.find((i) => i.element === 'http.routers.bad');
    assert.match(bad!.message, /^priority: /);
  });

  it('rejects element names containing @', () => {
    const raw = { http: { routers: { 'api@docker': { rule: 'Path(`/`)', service: 's' } } } };
    const { config, issues } = validateDynamic(raw, opts);
    assert.deepEqual(config.http.routers, {});
    assert.equal(issues[0]!.element, 'http.routers.api@docker');
    assert.match(issues[0]!.message, /contains "@"/);
  });

  it('asks locate for the source of each issue, with the path as written', () => {
    const paths: string[] = [];
    const locate = (path: readonly (string | number)[]) => {
      paths.push(path.join('/'));
      return `at:${path.join('/')}`;
    };
    const raw = { Http: { routers: { x: { rule: 'Path(`/`)', service: 's', tls: { optons: 'o' } } } } };
    const { issues } = validateDynamic(raw, { provider: 'file', locate });
    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.source, 'at:Http/routers/x/tls/optons');
    assert.equal(issues[0]!.message, 'unknown key "tls.optons" (did you mean "options"?)');
  });
});

describe('validateDynamic: services', () => {
  it('normalizes a load balancer (defaults, durations in ms)', () => {
    const raw = {
      http: {
        services: {
          app: {
            loadBalancer: {
              servers: [{ url: 'http://127.0.0.1:1' }],
              healthCheck: { path: '/h', interval: '5s' },
            },
          },
        },
      },
    };
    const { config, issues } = validateDynamic(raw, opts);
    assert.deepEqual(issues, []);
    const lb = config.http.services.app?.loadBalancer;
    assert.equal(lb?.servers[0]?.weight, 1);
    assert.equal(lb?.healthCheck?.interval, 5000);
  });

  it('names both kinds when a service has two', () => {
    const raw = {
      http: {
        services: {
          two: { loadBalancer: { servers: [] }, Weighted: { services: [{ name: 'a' }] } },
          ok: { weighted: { services: [{ name: 'a' }] } },
        },
      },
    };
    const { config, issues } = validateDynamic(raw, opts);
    assert.deepEqual(Object.keys(config.http.services), ['ok']);
    assert.deepEqual(messages(issues), [
      [
        'http.services.two',
        'a service has exactly one kind, but "loadBalancer" and "weighted" are given; declare two services instead',
      ],
    ]);
  });

  it('reports a service without a kind', () => {
    const { issues } = validateDynamic({ http: { services: { none: { middlewares: ['m'] } } } }, opts);
    assert.match(
      issues[0]!.message,
      /has no kind: give one of "loadBalancer", .* "highestRandomWeight" or "originalDestination"/,
    );
  });

  it('suggests the kind when it is misspelt, without a second "no kind" message', () => {
    const { issues } = validateDynamic({ http: { services: { s: { loadBalancr: { servers: [] } } } } }, opts);
    assert.deepEqual(
      issues.map((i) => i.message),
      ['unknown key "loadBalancr" (did you mean "loadBalancer"?)'],
    );
  });

  it('validates tcp and udp services and routers', () => {
    const raw = {
      tcp: {
        routers: { t: { rule: 'HostSNI(`*`)', service: 'ts' } },
        services: {
          ts: { loadBalancer: { servers: [{ address: '127.0.0.1:1' }] }, weighted: { services: [] } },
        },
      },
      udp: {
        routers: { u: { service: 'us' } },
        services: { us: { loadBalancer: { servers: [{ address: ':53' }] } } },
      },
    };
    const { config, issues } = validateDynamic(raw, opts);
    assert.deepEqual(Object.keys(config.tcp.routers), ['t']);
    assert.deepEqual(Object.keys(config.tcp.services), []);
    assert.deepEqual(Object.keys(config.udp.services), ['us']);
    assert.deepEqual(messages(issues), [
      [
        'tcp.services.ts',
        'a service has exactly one kind, but "loadBalancer" and "weighted" are given; declare two services instead',
      ],
    ]);
  });
});

describe('validateDynamic: udp', () => {
  it('names a misspelt key of a weighted udp service and defaults its weight to 1', () => {
    const { config, issues } = validateDynamic(
      {
        udp: {
          services: {
            bad: { weighted: { services: [{ name: 'a', wieght: 2 }] } },
            good: { weighted: { services: [{ name: 'a' }] } },
            empty: { loadBalancer: {} },
          },
        },
      },
      opts,
    );
    assert.deepEqual(messages(issues), [
      ['udp.services.bad', 'unknown key "weighted.services.0.wieght" (did you mean "weight"?)'],
    ]);
    assert.deepEqual(config.udp.services.good?.weighted?.services, [{ name: 'a', weight: 1 }]);
    assert.deepEqual(config.udp.services.empty?.loadBalancer?.servers, []);
  });
});

describe('validateDynamic: middlewares', () => {
  it('normalizes options against the type schema and keeps the canonical type', () => {
    const raw = {
      http: { middlewares: { strip: { STRIPPREFIX: { Prefixes: '/a,/b' } }, c: { chain: null } } },
    };
    const { config, issues } = validateDynamic(raw, opts);
    assert.deepEqual(issues, []);
    assert.deepEqual(config.http.middlewares.strip, {
      type: 'stripPrefix',
      options: { prefixes: ['/a', '/b'] },
    });
    assert.deepEqual(config.http.middlewares.c, { type: 'chain', options: { middlewares: [] } });
  });

  it('reports an unknown type with a suggestion', () => {
    const { config, issues } = validateDynamic({ http: { middlewares: { s: { stripPrefx: {} } } } }, opts);
    assert.deepEqual(config.http.middlewares, {});
    assert.deepEqual(messages(issues), [
      ['http.middlewares.s', 'unknown middleware type "stripPrefx" (did you mean "stripPrefix"?)'],
    ]);
  });

  it('reports zero or two types, and bad options', () => {
    const raw = {
      http: {
        middlewares: {
          none: {},
          two: { stripPrefix: {}, addPrefix: { prefix: '/x' } },
          bad: { stripPrefix: { prefixs: '/a' } },
          good: { addPrefix: { prefix: '/x' } },
        },
      },
    };
    const { config, issues } = validateDynamic(raw, opts);
    assert.deepEqual(Object.keys(config.http.middlewares), ['good']);
    assert.deepEqual(messages(issues), [
      ['http.middlewares.none', 'the middleware has no type (e.g. "stripPrefix: {…}")'],
      [
        'http.middlewares.two',
        'a middleware has exactly one type, but "stripPrefix" and "addPrefix" are given',
      ],
      ['http.middlewares.bad', 'unknown key "prefixs" (did you mean "prefixes"?)'],
    ]);
  });

  it('validates tcp middlewares against the TCP types', () => {
    const raw = { tcp: { middlewares: { lim: { inflightconn: { amount: 3 } }, x: { ipAllowLst: {} } } } };
    const { config, issues } = validateDynamic(raw, opts);
    assert.deepEqual(config.tcp.middlewares.lim, { type: 'inFlightConn', options: { amount: 3 } });
    assert.deepEqual(messages(issues), [
      ['tcp.middlewares.x', 'unknown middleware type "ipAllowLst" (did you mean "ipAllowList"?)'],
    ]);
  });
});

describe('validateDynamic: tls', () => {
  it('validates certificates one by one, options and stores by name', () => {
    const raw = {
      tls: {
        certificates: [
          { certFile: 'a.crt', keyFile: 'a.key' },
          { certFile: 'b.crt' },
          { certFile: 'c.crt', keyFile: 'c.key' },
        ],
        options: { default: { minVersion: 'VersionTLS12', sniStrict: 'true' }, bad: { minVersio: 'x' } },
        stores: { default: { defaultCertificate: { certFile: 'd.crt', keyFile: 'd.key' } } },
      },
    };
    const { config, issues } = validateDynamic(raw, opts);
    assert.deepEqual(
      config.tls.certificates.map((c) => c.certFile),
      ['a.crt', 'c.crt'],
    );
    assert.equal(config.tls.options.default?.sniStrict, true);
    assert.deepEqual(Object.keys(config.tls.stores), ['default']);
    assert.deepEqual(
      issues.map((i) => i.element),
      ['tls.certificates[1]', 'tls.options.bad'],
    );
    assert.match(issues[0]!.message, /keyFile/);
  });

  it('reports certificates that are not a list', () => {
    const { issues } = validateDynamic({ tls: { certificates: 'a.crt' } }, opts);
    assert.match(issues[0]!.message, /must be a list of certificates/);
  });
});

describe('qualify', () => {
  it('appends the provider unless the name already has one', () => {
    assert.equal(qualify('api', 'file'), 'api@file');
    assert.equal(qualify('auth@docker', 'file'), 'auth@docker');
  });
});
