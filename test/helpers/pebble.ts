/**
 * Test support (nothing in the product imports it): Let's Encrypt's test CA, pebble, with
 * pebble-challtestsrv as its DNS server so every name resolves to 127.0.0.1 and pebble validates
 * challenges against the ports the test serves them on. Both are the Debian `pebble` package.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { launchOnFreePorts, type ServerProcess, spawnServer, waitForPort } from './server-process.js';

export interface Pebble {
  directoryUrl: string;
  /** File holding pebble's own TLS certificate: give it to the ACME client as a trusted CA. */
  caFile: string;
  /** pebble's management API (roots, intermediates). */
  managementUrl: string;
  /** pebble-challtestsrv's management API (`POST /set-txt {host, value}`, `/clear-txt {host}`). */
  dnsManagementUrl: string;
  /** Sends `signal` to the pebble process (SIGSTOP: a CA that stops answering; SIGCONT: back). */
  signal(signal: NodeJS.Signals): void;
  stop(): Promise<void>;
}

/**
 * Starts challtestsrv and pebble; pebble validates HTTP-01 on 127.0.0.1:`httpPort` and TLS-ALPN-01 on
 * 127.0.0.1:`tlsPort`. `env` adds pebble settings (e.g. `PEBBLE_WFE_NONCEREJECT`; its default, rejecting
 * 5 % of good nonces, is left on unless overridden).
 */
export async function startPebble(opts: {
  httpPort: number;
  tlsPort?: number;
  env?: Record<string, string>;
  /** External account binding required, with these MAC keys (`kid` → base64url HMAC key). */
  eabKeys?: Record<string, string>;
  /** Lifetime of the certificates pebble issues, in seconds (pebble's default is five years). */
  certificateValidityPeriod?: number;
}): Promise<Pebble> {
  const dir = mkdtempSync(join(tmpdir(), 'sy-pebble-'));
  const caFile = join(dir, 'pebble.crt');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      join(dir, 'pebble.key'),
      '-out',
      caFile,
      '-days',
      '30',
      '-subj',
      '/CN=pebble',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  const processes: ServerProcess[] = [];
  const stopAll = async () => {
    await Promise.all(processes.map((p) => p.stop()));
    processes.length = 0;
  };
  try {
    return await launchOnFreePorts(async () => {
      const [dns, dnsManagement, listen, management] = await Promise.all([
        freePort(),
        freePort(),
        freePort(),
        freePort(),
      ]);
      const challtest = spawnServer('pebble-challtestsrv', [
        '-defaultIPv4',
        '127.0.0.1',
        '-defaultIPv6',
        '',
        '-dns01',
        `127.0.0.1:${dns}`,
        '-management',
        `127.0.0.1:${dnsManagement}`,
        '-http01',
        '',
        '-https01',
        '',
        '-tlsalpn01',
        '',
      ]);
      processes.push(challtest);
      writeFileSync(
        join(dir, 'pebble.json'),
        JSON.stringify({
          pebble: {
            listenAddress: `127.0.0.1:${listen}`,
            managementListenAddress: `127.0.0.1:${management}`,
            certificate: caFile,
            privateKey: join(dir, 'pebble.key'),
            httpPort: opts.httpPort,
            tlsPort: opts.tlsPort ?? 5001,
            ocspResponderURL: '',
            externalAccountBindingRequired: opts.eabKeys !== undefined,
            ...(opts.eabKeys ? { externalAccountMACKeys: opts.eabKeys } : {}),
            ...(opts.certificateValidityPeriod
              ? { certificateValidityPeriod: opts.certificateValidityPeriod }
              : {}),
          },
        }),
      );
      const pebble = spawnServer('env', [
        'PEBBLE_VA_NOSLEEP=1',
        ...Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`),
        'pebble',
        '-config',
        join(dir, 'pebble.json'),
        '-dnsserver',
        `127.0.0.1:${dns}`,
      ]);
      processes.push(pebble);
      try {
        await waitForPort(dnsManagement, challtest);
        await waitForPort(listen, pebble);
      } catch (err) {
        await stopAll();
        throw err;
      }
      return {
        directoryUrl: `https://127.0.0.1:${listen}/dir`,
        caFile,
        managementUrl: `https://127.0.0.1:${management}`,
        dnsManagementUrl: `http://127.0.0.1:${dnsManagement}`,
        signal: (signal) => {
          if (pebble.proc.exitCode === null) pebble.proc.kill(signal);
        },
        stop: async () => {
          pebble.proc.kill('SIGCONT');
          await stopAll();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
