import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import tls from 'node:tls';
import { startWhoami, type WhoamiServer } from '../../src/cli/whoami.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { freePort } from '../helpers/free-port.js';
import { eventually } from '../helpers/http.js';
import { type Pebble, startPebble } from '../helpers/pebble.js';
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

const dynamicFor = (host: string, resolver: string, backend: number) => `
http:
  routers:
    app:
      rule: "Host(\`${host}\`)"
      tls:
        certResolver: ${resolver}
      service: s
  services:
    s:
      loadBalancer:
        servers:
          - url: "http://127.0.0.1:${backend}"
`;

/** Switchyard with two workers, the file provider on `dynamic` and resolver `name` at pebble. */
const startWithResolver = (
  pebble: Pebble,
  dir: string,
  name: string,
  flags: string[],
  entryPoints: string[],
) =>
  startSwitchyard(
    [
      '--workers=2',
      `--providers.file.filename=${join(dir, 'dynamic.yml')}`,
      `--certificatesResolvers.${name}.acme.caServer=${pebble.directoryUrl}`,
      `--certificatesResolvers.${name}.acme.storage=${join(dir, 'acme.json')}`,
      `--certificatesResolvers.${name}.acme.keyType=EC256`,
      ...flags,
    ],
    { startMs: 60_000, expectEntryPoints: entryPoints, env: { LEGO_CA_CERTIFICATES: pebble.caFile } },
  );

const storedLeaf = (file: string, resolver: string, index = 0) => {
  const json = JSON.parse(readFileSync(file, 'utf8'));
  return new X509Certificate(
    Buffer.from(json[resolver].Certificates[index].certificate, 'base64').toString(),
  );
};

describe('ACME with two workers: HTTP-01 answered by any worker, certificate and renewal on every worker', () => {
  let backend: WhoamiServer;
  let pebble: Pebble;
  let sy: Running;
  let dir: string;

  before(async () => {
    backend = await startWhoami({ name: 'acme-workers' });
    const webPort = await freePort();
    // Certificates live 20 min 20 s and certificatesDuration is 1 hour (renewed 20 min before expiry):
    // each one is renewed about 20 s after it was issued.
    pebble = await startPebble({ httpPort: webPort, certificateValidityPeriod: 20 * 60 + 20 });
    dir = tempDir();
    writeFile(dir, 'dynamic.yml', dynamicFor('app.test', 'le', backend.port));
    sy = await startWithResolver(
      pebble,
      dir,
      'le',
      [
        `--entryPoints.web.address=127.0.0.1:${webPort}`,
        '--entryPoints.websecure.address=127.0.0.1:0',
        '--certificatesResolvers.le.acme.certificatesDuration=1',
        '--certificatesResolvers.le.acme.httpChallenge.entryPoint=web',
      ],
      ['web', 'websecure'],
    );
  });

  after(async () => {
    await sy?.stop();
    await pebble?.stop();
    await backend?.close();
  });

  it('orders once in the primary, and every worker serves the issued certificate, then the renewed one', async () => {
    await sy.waitFor(/ACME certificate obtained/, 60_000);
    const pids = workerPids(sy);
    assert.equal(pids.length, 2);
    const port = sy.ports.get('websecure')!;
    const first = storedLeaf(join(dir, 'acme.json'), 'le').fingerprint256;
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
    await eventually(() => storedLeaf(join(dir, 'acme.json'), 'le').fingerprint256 !== first, 90_000, 500);
    const renewed = storedLeaf(join(dir, 'acme.json'), 'le').fingerprint256;
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
  let backend: WhoamiServer;
  let pebble: Pebble;
  let sy: Running;
  let dir: string;
  let securePort: number;

  before(async () => {
    backend = await startWhoami({ name: 'alpn-workers' });
    securePort = await freePort();
    // Nothing listens on pebble's HTTP-01 port: the certificate can only come through TLS-ALPN-01.
    pebble = await startPebble({ httpPort: await freePort(), tlsPort: securePort });
    dir = tempDir();
    writeFile(dir, 'dynamic.yml', dynamicFor('alpn.test', 'alpn', backend.port));
    sy = await startWithResolver(
      pebble,
      dir,
      'alpn',
      [
        `--entryPoints.websecure.address=127.0.0.1:${securePort}`,
        '--certificatesResolvers.alpn.acme.tlsChallenge=true',
      ],
      ['websecure'],
    );
  });

  after(async () => {
    await sy?.stop();
    await pebble?.stop();
    await backend?.close();
  });

  it('obtains the certificate by TLS-ALPN-01 and every worker serves it', async () => {
    await sy.waitFor(/ACME certificate obtained/, 60_000);
    const pids = workerPids(sy);
    assert.equal(pids.length, 2);
    const leaf = storedLeaf(join(dir, 'acme.json'), 'alpn').fingerprint256;
    await eventually(async () => {
      const seen = await handshakes(securePort, 'alpn.test', pids);
      return (
        seen.fingerprints.size === 1 && seen.fingerprints.has(leaf) && seen.perWorker.every((n) => n > 0)
      );
    }, 30_000);
  });

  it('serves one default certificate on every worker (connections without SNI)', async () => {
    const pids = workerPids(sy);
    const seen = await handshakes(securePort, undefined, pids);
    assert.equal(seen.fingerprints.size, 1, 'the same default certificate on every connection');
    assert.ok(
      seen.perWorker.every((n) => n > 0),
      `both workers took connections: ${seen.perWorker}`,
    );
    const [fingerprint] = seen.fingerprints;
    assert.notEqual(fingerprint, storedLeaf(join(dir, 'acme.json'), 'alpn').fingerprint256);
  });
});
