import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeFlatKeys, encodeFlatKeys } from './index.js';

const kv = { separator: '/', prefix: 'traefik' };

describe('decodeFlatKeys', () => {
  it('builds the tree under the prefix, numbered segments as lists, other keys ignored', () => {
    const tree = decodeFlatKeys(
      [
        ['traefik/http/routers/r/rule', 'Path(`/a`)'],
        ['traefik/http/routers/r/entryPoints/1', 'websecure'],
        ['traefik/http/routers/r/entryPoints/0', 'web'],
        ['traefik/http/services/s/loadBalancer/servers/10/url', 'http://b'],
        ['traefik/http/services/s/loadBalancer/servers/2/url', 'http://a'],
        ['traefikother/http/routers/x/rule', 'no'],
        ['elsewhere/http/routers/y/rule', 'no'],
      ],
      kv,
    );
    assert.deepEqual(tree, {
      http: {
        routers: { r: { rule: 'Path(`/a`)', entryPoints: ['web', 'websecure'] } },
        services: { s: { loadBalancer: { servers: [{ url: 'http://a' }, { url: 'http://b' }] } } },
      },
    });
  });

  it('accepts leading and trailing separators in keys and prefix', () => {
    const tree = decodeFlatKeys([['/traefik/dev/v2/http/routers/r/service', 's']], {
      separator: '/',
      prefix: '/traefik/dev/v2/',
    });
    assert.deepEqual(tree, { http: { routers: { r: { service: 's' } } } });
  });

  it('lets keys below a value win over the value, and keeps a lone value', () => {
    const tree = decodeFlatKeys(
      [
        ['traefik/http/routers/a/tls', 'true'],
        ['traefik/http/routers/a/tls/options', 'strict'],
        ['traefik/http/routers/b/tls', 'true'],
      ],
      kv,
    );
    assert.deepEqual(tree, {
      http: { routers: { a: { tls: { options: 'strict' } }, b: { tls: 'true' } } },
    });
  });

  it('decodes labels with a dot separator and no prefix match as empty', () => {
    const labels = { separator: '.', prefix: 'traefik' };
    assert.deepEqual(decodeFlatKeys([['traefik.http.middlewares.m.stripPrefix.prefixes.0', '/x']], labels), {
      http: { middlewares: { m: { stripPrefix: { prefixes: ['/x'] } } } },
    });
    assert.deepEqual(
      decodeFlatKeys(
        [
          ['com.example', 'x'],
          ['traefik', 'y'],
        ],
        labels,
      ),
      {},
    );
  });
});

describe('encodeFlatKeys', () => {
  it('writes lists as numbered segments, scalars as strings, empty objects as true', () => {
    const pairs = encodeFlatKeys(
      {
        http: {
          routers: { r: { rule: 'Host(`a`)', priority: 3, tls: {}, entryPoints: ['web'] } },
          services: { s: { loadBalancer: { passHostHeader: false, servers: [{ url: 'http://x' }] } } },
        },
        tcp: null,
      },
      { separator: '/', prefix: '/traefik/dev/v2/' },
    );
    assert.deepEqual(pairs, [
      ['/traefik/dev/v2/http/routers/r/rule', 'Host(`a`)'],
      ['/traefik/dev/v2/http/routers/r/priority', '3'],
      ['/traefik/dev/v2/http/routers/r/tls', 'true'],
      ['/traefik/dev/v2/http/routers/r/entryPoints/0', 'web'],
      ['/traefik/dev/v2/http/services/s/loadBalancer/passHostHeader', 'false'],
      ['/traefik/dev/v2/http/services/s/loadBalancer/servers/0/url', 'http://x'],
    ]);
  });

  it('round-trips through decodeFlatKeys (values as strings)', () => {
    const tree = {
      http: { middlewares: { m: { headers: { customRequestHeaders: { 'X-A': '1' } } } } },
      tls: { certificates: [{ certFile: '/a', stores: ['default'] }] },
    };
    const opts = { separator: '.', prefix: 'traefik' };
    assert.deepEqual(decodeFlatKeys(encodeFlatKeys(tree, opts), opts), tree);
    assert.deepEqual(encodeFlatKeys({ a: 1 }, { separator: '.' }), [['a', '1']]);
  });
});
