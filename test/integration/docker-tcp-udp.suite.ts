import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { selfSignedCert } from '../helpers/certs.js';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { eventually } from '../helpers/http.js';
import {
  ensureTestImage,
  nodeMounts,
  type PodmanService,
  podman,
  removeContainers,
  runContainer,
  runLabel,
  startPodmanService,
} from '../helpers/podman.js';
import { askUdp } from '../helpers/udp.js';
import { exchange } from './tcp-fixture.js';

/**
 * TCP and UDP routing from container labels, for real: podman containers labelled in Traefik's layout,
 * the real CLI reading them through podman's Docker API, raw TCP and UDP through its entrypoints.
 * - a busybox httpd container with only a TCP router label: Traefik's defaults make its service (named
 *   after the container, on its lowest exposed port);
 * - a container running Node.js with a UDP echo and a TLS echo: a UDP router, and a TCP router with TLS
 *   passthrough, each with a service label naming the port.
 */

/** The Node.js backend inside the second container; answers carry the container's host name. */
const BACKEND = `
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import tls from 'node:tls';
const udp = createSocket('udp4');
udp.on('message', (m, r) => udp.send(Buffer.from(hostname() + ':' + m), r.port, r.address));
udp.bind(5353);
const options = { cert: readFileSync('/srv/cert.pem'), key: readFileSync('/srv/key.pem') };
tls.createServer(options, (s) => { s.on('error', () => {}); s.write(hostname() + ':'); s.pipe(s); }).listen(8443);
`;

const HTTP_GET = 'GET / HTTP/1.0\r\nHost: raw\r\n\r\n';

describe('TCP and UDP routers from container labels', { timeout: 180_000 }, () => {
  const run = runLabel();
  const web = `sy-tcp-${run.value}`;
  const echo = `sy-udp-${run.value}`;
  let service: PodmanService;
  let sy: Running;
  let dir: string;
  const client = createSocket('udp4');

  before(async () => {
    await ensureTestImage();
    service = await startPodmanService();
    dir = tempDir('switchyard-docker-tcp-');
    const cert = await selfSignedCert({ dnsNames: ['echo.test'] });
    writeFile(dir, 'backend.mjs', BACKEND);
    writeFile(dir, 'cert.pem', cert.cert);
    writeFile(dir, 'key.pem', cert.key);
    await Promise.all([
      runContainer(web, {
        [run.key]: run.value,
        'traefik.tcp.routers.raw.rule': 'HostSNI(`*`)',
        'traefik.tcp.routers.raw.entrypoints': 'tcp',
      }),
      runContainer(
        echo,
        {
          [run.key]: run.value,
          'traefik.udp.routers.echo.entrypoints': 'dns',
          'traefik.udp.services.echo.loadbalancer.server.port': '5353',
          'traefik.tcp.routers.pass.rule': 'HostSNI(`echo.test`)',
          'traefik.tcp.routers.pass.entrypoints': 'tls',
          'traefik.tcp.routers.pass.service': 'pass',
          'traefik.tcp.routers.pass.tls.passthrough': 'true',
          'traefik.tcp.services.pass.loadbalancer.server.port': '8443',
        },
        [...nodeMounts(), '-v', `${dir}:/srv:ro`],
        ['/bin/node', '/srv/backend.mjs'],
      ),
    ]);
    sy = await startSwitchyard(
      [
        '--entryPoints.tcp.address=127.0.0.1:0',
        '--entryPoints.tls.address=127.0.0.1:0',
        '--entryPoints.dns.address=127.0.0.1:0/udp',
        `--providers.docker.endpoint=${service.endpoint}`,
        `--providers.docker.constraints=${run.constraint}`,
        '--providers.providersThrottleDuration=20ms',
      ],
      { expectEntryPoints: ['tcp', 'tls', 'dns'] },
    );
    await new Promise<void>((resolve) => client.bind(0, '127.0.0.1', resolve));
  });
  after(async () => {
    client.close();
    await sy?.stop();
    await removeContainers([web, echo]);
    await service?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('forwards raw TCP to the container the TCP router label names, on its lowest exposed port', async () => {
    const port = sy.ports.get('tcp')!;
    const until = (got: string) => got.includes(`Name: ${web}`);
    await eventually(async () => until((await exchange(port, HTTP_GET, { until })).data), 30_000, 200);
    const { data } = await exchange(port, HTTP_GET, { until });
    assert.match(data, /^HTTP\/1\.[01] 200/, 'the container answered through the raw TCP connection');
  });

  it('passes TLS through to the container: the TLS session ends there', async () => {
    const port = sy.ports.get('tls')!;
    const opts = { servername: 'echo.test', rejectUnauthorized: false };
    const until = (got: string) => got.includes('hello');
    await eventually(
      async () => (await exchange(port, 'hello', { until, tls: opts })).data !== '',
      30_000,
      200,
    );
    const { data, error } = await exchange(port, 'hello', { until, tls: opts });
    assert.equal(error, undefined);
    assert.equal(data, `${echo}:hello`, 'the TLS session ended in the container');
  });

  it('routes UDP datagrams to the container the UDP router label names', async () => {
    const port = sy.ports.get('dns')!;
    await eventually(async () => (await askUdp(client, port, 'ping')) !== undefined, 30_000, 200);
    assert.equal(await askUdp(client, port, 'hello', 10_000), `${echo}:hello`);
  });

  it('stops routing TCP to a stopped container and resumes when it starts again', async () => {
    const port = sy.ports.get('tcp')!;
    const until = (got: string) => got.includes(`Name: ${web}`);
    await podman(['stop', '-t', '1', web]);
    await eventually(async () => !until((await exchange(port, HTTP_GET, { until })).data), 30_000, 200);
    await podman(['start', web]);
    await eventually(async () => until((await exchange(port, HTTP_GET, { until })).data), 30_000, 200);
  });
});
