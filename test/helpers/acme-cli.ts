/**
 * Test support for ACME through the real CLI: a router whose certificate comes from a resolver at
 * pebble, the flags of such a resolver, and the certificates it stored in `acme.json`.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startWhoami, type WhoamiServer } from '../../src/cli/whoami.js';
import { type Running, startSwitchyard, tempDir, writeFile } from './cli.js';
import { freePort } from './free-port.js';
import { type Pebble, startPebble } from './pebble.js';

/**
 * Dynamic YAML: router `app` (`rule`, on `entryPoints` or all, certificate from `resolver`) to service
 * `s` on `backendPort`.
 */
export function resolverRouter(
  rule: string,
  resolver: string,
  backendPort: number,
  entryPoints?: string[],
): string {
  const on = entryPoints ? `\n      entryPoints: [${entryPoints.join(', ')}]` : '';
  return `
http:
  routers:
    app:
      rule: "${rule}"${on}
      tls:
        certResolver: ${resolver}
      service: s
  services:
    s:
      loadBalancer:
        servers:
          - url: "http://127.0.0.1:${backendPort}"
`;
}

/** Flags for resolver `name` at `pebble`, storing in `dir/acme.json`, with EC256 keys. */
export function resolverArgs(name: string, pebble: Pebble, dir: string): string[] {
  return [
    `--certificatesResolvers.${name}.acme.caServer=${pebble.directoryUrl}`,
    `--certificatesResolvers.${name}.acme.storage=${join(dir, 'acme.json')}`,
    `--certificatesResolvers.${name}.acme.keyType=EC256`,
  ];
}

/** The CLI trusting pebble's certificate, with a minute for each entrypoint (a first order takes time). */
export function startWithPebble(
  args: string[],
  pebble: Pebble,
  expectEntryPoints: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<Running> {
  return startSwitchyard(args, {
    startMs: 60_000,
    expectEntryPoints,
    env: { LEGO_CA_CERTIFICATES: pebble.caFile, ...env },
  });
}

/** Certificate `index` of `resolver` in `dir/acme.json` (its stored entry and leaf); undefined when absent. */
export function storedCertificate(dir: string, resolver: string, index = 0) {
  const file = join(dir, 'acme.json');
  if (!existsSync(file)) return undefined;
  const entry = JSON.parse(readFileSync(file, 'utf8'))[resolver]?.Certificates?.[index];
  if (!entry) return undefined;
  return { entry, leaf: new X509Certificate(Buffer.from(entry.certificate, 'base64').toString()) };
}

/** The leaf of `storedCertificate`. */
export const storedLeaf = (dir: string, resolver: string, index = 0) =>
  storedCertificate(dir, resolver, index)?.leaf;

export interface AcmeSite {
  backend: WhoamiServer;
  pebble: Pebble;
  sy: Running;
  /** Holds `dynamic.yml` and `acme.json`. */
  dir: string;
  /** The HTTPS entrypoint `websecure`. */
  securePort: number;
  stop(): Promise<void>;
}

/**
 * A whoami backend, pebble and the CLI with router `app` for `Host(host)` whose certificate comes from
 * `resolver`. With `challenge: 'http'`, pebble validates on entrypoint `web` (HTTP-01); with `'tls'`,
 * nothing listens on pebble's HTTP-01 port and it validates on `websecure` (TLS-ALPN-01). `args` come
 * last.
 */
export async function startAcmeSite(opts: {
  backendName: string;
  host: string;
  resolver: string;
  challenge: 'http' | 'tls';
  args?: string[];
  certificateValidityPeriod?: number;
}): Promise<AcmeSite> {
  const { resolver } = opts;
  const started: { stop(): Promise<unknown> }[] = [];
  const stop = async () => {
    for (const s of started.reverse()) await s.stop();
  };
  try {
    const backend = await startWhoami({ name: opts.backendName });
    started.push({ stop: () => backend.close() });
    const challengePort = await freePort();
    const pebble = await startPebble({
      ...(opts.challenge === 'http'
        ? { httpPort: challengePort }
        : { httpPort: await freePort(), tlsPort: challengePort }),
      ...(opts.certificateValidityPeriod
        ? { certificateValidityPeriod: opts.certificateValidityPeriod }
        : {}),
    });
    started.push(pebble);
    const dir = tempDir();
    writeFile(dir, 'dynamic.yml', resolverRouter(`Host(\`${opts.host}\`)`, resolver, backend.port));
    const entryPoints =
      opts.challenge === 'http'
        ? [
            `--entryPoints.web.address=127.0.0.1:${challengePort}`,
            '--entryPoints.websecure.address=127.0.0.1:0',
            `--certificatesResolvers.${resolver}.acme.httpChallenge.entryPoint=web`,
          ]
        : [
            `--entryPoints.websecure.address=127.0.0.1:${challengePort}`,
            `--certificatesResolvers.${resolver}.acme.tlsChallenge=true`,
          ];
    const sy = await startWithPebble(
      [
        `--providers.file.filename=${join(dir, 'dynamic.yml')}`,
        ...resolverArgs(resolver, pebble, dir),
        ...entryPoints,
        ...(opts.args ?? []),
      ],
      pebble,
      opts.challenge === 'http' ? ['web', 'websecure'] : ['websecure'],
    );
    started.push(sy);
    return { backend, pebble, sy, dir, securePort: sy.ports.get('websecure')!, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
