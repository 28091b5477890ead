import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { getRequest, tlsExchange } from '../../src/tls/test-tls-fixtures.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { freePort } from '../helpers/free-port.js';
import { eventually, request } from '../helpers/http.js';
import { type Pebble, startPebble } from '../helpers/pebble.js';

const ROUTER = `
http:
  routers:
    app:
      rule: "Host(\`app.test\`)"
      entryPoints: [websecure]
      tls:
        certResolver: le
      service: noop@internal
`;

const resolverFlags = (pebble: Pebble | undefined, storage: string, extra: string[] = []) => [
  `--certificatesResolvers.le.acme.caServer=${pebble?.directoryUrl ?? 'https://127.0.0.1:9/dir'}`,
  `--certificatesResolvers.le.acme.storage=${storage}`,
  '--certificatesResolvers.le.acme.keyType=EC256',
  '--certificatesResolvers.le.acme.httpChallenge.entryPoint=web',
  ...extra,
];

describe('ACME faults: a malformed acme.json', () => {
  let sy: Running;
  let dir: string;
  const broken = '{"le": {"Certificates": [ {"domain": ';

  before(async () => {
    dir = tempDir();
    writeFile(dir, 'acme.json', broken);
    const dynamic = writeFile(dir, 'dynamic.yml', ROUTER);
    sy = await startSwitchyard(
      [
        '--entryPoints.web.address=127.0.0.1:0',
        '--entryPoints.websecure.address=127.0.0.1:0',
        `--providers.file.filename=${dynamic}`,
        ...resolverFlags(undefined, join(dir, 'acme.json')),
      ],
      { startMs: 60_000, expectEntryPoints: ['web', 'websecure'] },
    );
  });

  after(async () => {
    await sy?.stop();
  });

  it('is reported with the reason, left as it is, and the routers keep being served', async () => {
    const line = await sy.waitFor(/ACME resolver disabled/);
    assert.match(line, /acme\.json is not valid JSON/);
    await sy.waitFor(/configuration applied.*generation=2/);
    const got = await tlsExchange(sy.ports.get('websecure')!, {
      servername: 'app.test',
      send: getRequest('app.test'),
    });
    assert.match(got.data, /^HTTP\/1\.1 200/);
    assert.equal(readFileSync(join(dir, 'acme.json'), 'utf8'), broken, 'the file is not overwritten');
    assert.equal(sy.proc.exitCode, null);
  });
});

describe('ACME faults against a real pebble: CA stopped, storage unwritable, unknown token', () => {
  let pebble: Pebble;
  let webPort: number;
  let dir: string;
  const running: Running[] = [];

  before(async () => {
    webPort = await freePort();
    // Certificates live 20 minutes and certificatesDuration is 1 hour: each one is due for renewal at once.
    pebble = await startPebble({ httpPort: webPort, certificateValidityPeriod: 20 * 60 });
    dir = tempDir();
  });

  after(async () => {
    await Promise.all(running.map((r) => r.stop()));
    await pebble?.stop();
  });

  const start = async (storage: string) => {
    const dynamic = writeFile(dir, 'dynamic.yml', ROUTER);
    const sy = await startSwitchyard(
      [
        `--entryPoints.web.address=127.0.0.1:${webPort}`,
        '--entryPoints.websecure.address=127.0.0.1:0',
        `--providers.file.filename=${dynamic}`,
        ...resolverFlags(pebble, storage, [
          '--certificatesResolvers.le.acme.certificatesDuration=1',
          '--certificatesResolvers.le.acme.clientTimeout=2s',
        ]),
      ],
      {
        startMs: 60_000,
        expectEntryPoints: ['web', 'websecure'],
        env: { LEGO_CA_CERTIFICATES: pebble.caFile },
      },
    );
    running.push(sy);
    return sy;
  };
  const servedFingerprint = async (sy: Running) =>
    (await tlsExchange(sy.ports.get('websecure')!, { servername: 'app.test', send: getRequest('app.test') }))
      .fingerprint;

  it('answers 404 for a challenge token nobody issued', async () => {
    const sy = await start(join(dir, 'acme.json'));
    const res = await request(sy.url('web', '/.well-known/acme-challenge/no-such-token'));
    assert.equal(res.status, 404);
    await sy.waitFor(/ACME certificate obtained/, 60_000);
    await sy.stop();
  });

  it('keeps serving the stored certificate while the CA does not answer, and retries with a growing delay', async () => {
    const stored = () => {
      const file = JSON.parse(readFileSync(join(dir, 'acme.json'), 'utf8'));
      return new X509Certificate(Buffer.from(file.le.Certificates[0].certificate, 'base64').toString());
    };
    // The CA stops answering (SIGSTOP): every renewal order times out after clientTimeout.
    pebble.signal('SIGSTOP');
    const sy = await start(join(dir, 'acme.json'));
    const first = await sy.waitFor(/ACME certificate not obtained; retrying later/, 60_000);
    assert.match(first, /retryInMs=30000/);
    assert.equal(await servedFingerprint(sy), stored().fingerprint256, 'the stored certificate is served');
    await eventually(() => /retryInMs=60000/.test(sy.output()), 90_000, 500);
    assert.equal(await servedFingerprint(sy), stored().fingerprint256);
    pebble.signal('SIGCONT');
    await sy.stop();
  });

  it('reports storage it cannot write, and serves the certificate obtained anyway', async () => {
    // A storage path below a regular file: every write fails (ENOTDIR), also for root.
    const blocker = writeFile(dir, 'not-a-directory', 'x');
    const sy = await start(join(blocker, 'acme.json'));
    const line = await sy.waitFor(/ACME storage cannot be written/, 60_000);
    assert.match(line, /not-a-directory\/acme\.json cannot be written/);
    await sy.waitFor(/ACME certificate obtained/, 60_000);
    await eventually(async () => {
      const got = await tlsExchange(sy.ports.get('websecure')!, {
        servername: 'app.test',
        send: getRequest('app.test'),
      });
      return got.commonName === 'app.test';
    }, 30_000);
  });
});
