import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import tls from 'node:tls';
import { type EtcdServer, startEtcd } from '../../../test/helpers/etcd.js';
import { eventually } from '../../../test/helpers/http.js';
import { type Pebble, startPebble } from '../../../test/helpers/pebble.js';
import { type RedisServer, startRedis } from '../../../test/helpers/redis.js';
import { Logger } from '../../core/logger.js';
import type { KvBackend } from './kv-backend.js';
import { EtcdAcmeBackend } from './kv-etcd.js';
import { RedisAcmeBackend } from './kv-redis.js';
import { AcmeResolver } from './resolver.js';
import { SharedAcmeStorage } from './shared-storage.js';

const logger = Logger.create({ level: 'FATAL' });
const CHALLENGE_PREFIX = '/.well-known/acme-challenge/';

/**
 * Two instances' views of one store (A and B): A orders, and the CA's validations reach only B, which
 * answers from what A put in the store. HTTP-01 on a plain HTTP server, TLS-ALPN-01 on a TLS server.
 */
function sharedStoreSuite(
  name: string,
  start: () => Promise<{ backend: () => KvBackend; stop(): Promise<void> }>,
) {
  describe(`ACME storage shared through ${name}, against a real pebble`, () => {
    let pebble: Pebble;
    let store: { backend: () => KvBackend; stop(): Promise<void> };
    let httpB: http.Server;
    let tlsB: tls.Server;
    let a: SharedAcmeStorage;
    let b: SharedAcmeStorage;
    let resolverB: AcmeResolver;
    const answeredByB: string[] = [];

    before(async () => {
      store = await start();
      a = new SharedAcmeStorage(store.backend(), 'acme-test', logger);
      b = new SharedAcmeStorage(store.backend(), 'acme-test', logger);
      resolverB = resolver(b, ['http-01']);
      httpB = http.createServer(async (req, res) => {
        const answer = await resolverB.httpChallenge((req.url ?? '').slice(CHALLENGE_PREFIX.length));
        if (answer) answeredByB.push('http-01');
        res.writeHead(answer ? 200 : 404).end(answer ?? 'unknown token');
      });
      httpB.listen(0, '127.0.0.1');
      tlsB = tls.createServer({
        ALPNProtocols: ['acme-tls/1'],
        SNICallback: (servername, cb) => {
          const context = resolverB.alpnChallenge(servername);
          if (context) answeredByB.push('tls-alpn-01');
          cb(null, context);
        },
      });
      tlsB.on('secureConnection', (s) => s.end());
      tlsB.on('tlsClientError', () => undefined);
      tlsB.listen(0, '127.0.0.1');
      await Promise.all([once(httpB, 'listening'), once(tlsB, 'listening')]);
      pebble = await startPebble({
        httpPort: (httpB.address() as AddressInfo).port,
        tlsPort: (tlsB.address() as AddressInfo).port,
      });
      process.env.LEGO_CA_CERTIFICATES = pebble.caFile;
      await eventually(() => a.loaded && b.loaded);
    });

    after(async () => {
      delete process.env.LEGO_CA_CERTIFICATES;
      await a?.close();
      await b?.close();
      await pebble?.stop();
      httpB?.close();
      tlsB?.close();
      await store?.stop();
    });

    const resolver = (storage: SharedAcmeStorage, challenges: ('http-01' | 'tls-alpn-01')[]) =>
      new AcmeResolver({
        name: 'le',
        email: 'ops@example.test',
        caServer: pebble?.directoryUrl,
        keyType: 'EC256',
        storage,
        logger,
        challenges,
      });

    it('an order of A is validated through B (HTTP-01), and B holds the certificate at once', async () => {
      let changes = 0;
      b.onChange(() => {
        changes += 1;
      });
      const got = await resolver(a, ['http-01']).obtain({ main: 'shared.test', sans: ['www.shared.test'] });
      assert.ok(answeredByB.includes('http-01'), 'B answered the HTTP-01 validation');
      await eventually(() => b.certificates('le').some((c) => c.main === 'shared.test'));
      const [seen] = b.certificates('le');
      assert.equal(seen!.certificate, got.certificate);
      assert.ok(changes > 0, 'B was told a certificate arrived');
      assert.equal(b.account('le')?.url, a.account('le')?.url, 'one account for both');
      assert.equal(b.challenge('http', 'anything'), undefined);
      assert.equal(await resolverB.httpChallenge('unknown-token'), undefined);
    });

    it('an order of A is validated through B (TLS-ALPN-01); B is told of the answer coming and going', async () => {
      // What a primary follows to push the answers of other instances' orders to its workers.
      const told: [string, string, boolean][] = [];
      b.onChallenge((kind, key, value) => told.push([kind, key, value !== undefined]));
      const got = await resolver(a, ['tls-alpn-01']).obtain({ main: 'alpn.shared.test' });
      assert.ok(answeredByB.includes('tls-alpn-01'), 'B answered the TLS-ALPN-01 validation');
      assert.match(new X509Certificate(got.certificate).subjectAltName ?? '', /alpn\.shared\.test/);
      await eventually(() => told.some(([, , present]) => !present));
      assert.deepEqual(told, [
        ['alpn', 'alpn.shared.test', true],
        ['alpn', 'alpn.shared.test', false],
      ]);
    });

    it('gives the lock of an order to one instance at a time', async () => {
      let inside: { done: boolean } | undefined;
      const first = await a.exclusive('le/locked.test', async () => {
        inside = await b.exclusive('le/locked.test', async () => 'b ran');
        return 'a ran';
      });
      assert.deepEqual(first, { done: true, value: 'a ran' });
      assert.deepEqual(inside, { done: false });
      assert.deepEqual(await b.exclusive('le/locked.test', async () => 'b ran'), {
        done: true,
        value: 'b ran',
      });
    });
  });
}

sharedStoreSuite('etcd', async () => {
  const etcd: EtcdServer = await startEtcd();
  return {
    backend: () => new EtcdAcmeBackend({ endpoints: [etcd.endpoint] }),
    stop: () => etcd.destroy(),
  };
});

sharedStoreSuite('Redis', async () => {
  const redis: RedisServer = await startRedis();
  return {
    backend: () => new RedisAcmeBackend({ endpoints: [redis.endpoint] }),
    stop: () => redis.destroy(),
  };
});

describe('ACME storage in etcd while etcd is down', () => {
  it('keeps a certificate it cannot write, serves it, and writes it once etcd is back', async () => {
    const etcd = await startEtcd();
    const storage = new SharedAcmeStorage(
      new EtcdAcmeBackend({ endpoints: [etcd.endpoint] }),
      'acme-down',
      logger,
    );
    const reader = new EtcdAcmeBackend({ endpoints: [etcd.endpoint] });
    try {
      await eventually(() => storage.loaded);
      await etcd.stop();
      const cert = { main: 'down.test', sans: [], certificate: 'CERT', key: 'KEY', store: 'default' };
      await assert.rejects(storage.saveCertificate('le', cert), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'PROVIDER_READ');
        assert.match(err.message, /ACME storage etcd 127\.0\.0\.1:\d+ \(acme-down\/\) cannot be written/);
        return true;
      });
      assert.deepEqual(storage.certificates('le'), [cert], 'kept in memory and served');
      await etcd.start();
      await eventually(
        async () =>
          (await reader.get('acme-down/le/certificates/down.test').catch(() => undefined)) !== undefined,
        60_000,
        500,
      );
      assert.deepEqual(storage.certificates('le'), [cert]);
    } finally {
      await storage.close();
      await reader.close();
      await etcd.destroy();
    }
  });
});
