import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import tls from 'node:tls';
import { type AcmeSite, startAcmeSite, storedLeaf } from '../helpers/acme-cli.js';
import type { Running } from '../helpers/cli.js';
import { eventually } from '../helpers/http.js';
import { connectionsByPid } from '../helpers/proc-sockets.js';

const CONNECTIONS = 8;

/** Worker process ids, from their log lines. */
function workerPids(sy: Running): number[] {
  const pids = new Set<number>();
  for (const m of sy.output().matchAll(/entrypoint listening worker=\d+ pid=(\d+)/g)) pids.add(Number(m[1]));
  return [...pids];
}

/**
 * Opens CONNECTIONS TLS connections at once (SNI `servername`, none when undefined) and keeps them open
 * while reading which worker holds each: the certificate fingerprints seen, and connections per worker.
 */
async function handshakes(port: number, servername: string | undefined, pids: number[]) {
  const sockets = await Promise.all(
    Array.from(
      { length: CONNECTIONS },
      () =>
        new Promise<tls.TLSSocket>((resolve, reject) => {
          const s = tls.connect({
            host: '127.0.0.1',
            port,
            rejectUnauthorized: false,
            ...(servername ? { servername } : {}),
          });
          s.once('secureConnect', () => resolve(s));
          s.once('error', reject);
        }),
    ),
  );
  try {
    await eventually(
      () => [...connectionsByPid(pids, port).values()].reduce((a, b) => a + b) === CONNECTIONS,
    );
    return {
      fingerprints: new Set(sockets.map((s) => s.getPeerX509Certificate()?.fingerprint256)),
      perWorker: [...connectionsByPid(pids, port).values()],
    };
  } finally {
    for (const s of sockets) s.destroy();
  }
}

describe('ACME with two workers: HTTP-01 answered by any worker, certificate and renewal on every worker', () => {
  let site: AcmeSite;

  before(async () => {
    // Certificates live 20 min 20 s and certificatesDuration is 1 hour (renewed 20 min before expiry):
    // each one is renewed about 20 s after it was issued.
    site = await startAcmeSite({
      backendName: 'acme-workers',
      host: 'app.test',
      resolver: 'le',
      challenge: 'http',
      certificateValidityPeriod: 20 * 60 + 20,
      args: ['--workers=2', '--certificatesResolvers.le.acme.certificatesDuration=1'],
    });
  });

  after(() => site?.stop());

  it('orders once in the primary, and every worker serves the issued certificate, then the renewed one', async () => {
    const { sy, dir } = site;
    await sy.waitFor(/ACME certificate obtained/, 60_000);
    const pids = workerPids(sy);
    assert.equal(pids.length, 2);
    const port = sy.ports.get('websecure')!;
    const first = storedLeaf(dir, 'le')!.fingerprint256;
    await eventually(async () => {
      const seen = await handshakes(port, 'app.test', pids);
      return seen.fingerprints.size === 1 && seen.fingerprints.has(first);
    }, 30_000);
    const seen = await handshakes(port, 'app.test', pids);
    assert.deepEqual([...seen.fingerprints], [first]);
    assert.ok(
      seen.perWorker.every((n) => n > 0),
      `both workers took connections: ${seen.perWorker}`,
    );
    // The primary renews; the renewed certificate reaches both workers.
    await eventually(() => storedLeaf(dir, 'le')!.fingerprint256 !== first, 90_000, 500);
    const renewed = storedLeaf(dir, 'le')!.fingerprint256;
    await eventually(async () => {
      const again = await handshakes(port, 'app.test', pids);
      return (
        again.fingerprints.size === 1 &&
        again.fingerprints.has(renewed) &&
        again.perWorker.every((n) => n > 0)
      );
    }, 30_000);
    assert.equal(sy.output().match(/ACME account registered/g)?.length, 1, 'one process orders');
  });
});

describe('ACME with two workers: TLS-ALPN-01 validated on whichever worker the CA reaches', () => {
  let site: AcmeSite;

  before(async () => {
    site = await startAcmeSite({
      backendName: 'alpn-workers',
      host: 'alpn.test',
      resolver: 'alpn',
      challenge: 'tls',
      args: ['--workers=2'],
    });
  });

  after(() => site?.stop());

  it('obtains the certificate by TLS-ALPN-01 and every worker serves it', async () => {
    const { sy, dir, securePort } = site;
    await sy.waitFor(/ACME certificate obtained/, 60_000);
    const pids = workerPids(sy);
    assert.equal(pids.length, 2);
    const leaf = storedLeaf(dir, 'alpn')!.fingerprint256;
    await eventually(async () => {
      const seen = await handshakes(securePort, 'alpn.test', pids);
      return (
        seen.fingerprints.size === 1 && seen.fingerprints.has(leaf) && seen.perWorker.every((n) => n > 0)
      );
    }, 30_000);
  });

  it('serves one default certificate on every worker (connections without SNI)', async () => {
    const { sy, dir, securePort } = site;
    const pids = workerPids(sy);
    const seen = await handshakes(securePort, undefined, pids);
    assert.equal(seen.fingerprints.size, 1, 'the same default certificate on every connection');
    assert.ok(
      seen.perWorker.every((n) => n > 0),
      `both workers took connections: ${seen.perWorker}`,
    );
    const [fingerprint] = seen.fingerprints;
    assert.notEqual(fingerprint, storedLeaf(dir, 'alpn')!.fingerprint256);
  });
});
