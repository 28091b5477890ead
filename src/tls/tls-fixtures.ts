/**
 * Test support for handshake tests (nothing in the product imports it): certificates of every key type a
 * server may hold, made by the `openssl` command line (a real tool rather than a second implementation of
 * certificate generation), and a listener that hands connections to a `TlsTerminator` as an entrypoint does.
 */
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import type { TlsTerminator } from './terminator.js';

const run = promisify(execFile);

/** The key types tests cover: what `openssl req -newkey` makes and what Traefik users deploy. */
export const KEY_TYPES = ['rsa2048', 'rsa4096', 'p256', 'p384', 'ed25519'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

const NEWKEY: Record<KeyType, string[]> = {
  rsa2048: ['-newkey', 'rsa:2048'],
  rsa4096: ['-newkey', 'rsa:4096'],
  p256: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  p384: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  ed25519: ['-newkey', 'ed25519'],
};

/** A self-signed certificate, its key (PEM) and the SHA-256 fingerprint clients see. */
export interface FixtureCertificate {
  cert: string;
  key: string;
  fingerprint: string;
  keyType: KeyType;
}

/** Makes a self-signed certificate for `names` (SAN DNS names; the first is also the CN). */
export async function opensslCertificate(keyType: KeyType, names: string[]): Promise<FixtureCertificate> {
  const dir = mkdtempSync(join(tmpdir(), 'sy-cert-'));
  try {
    const keyFile = join(dir, 'key.pem');
    const certFile = join(dir, 'cert.pem');
    await run('openssl', [
      'req',
      '-x509',
      ...NEWKEY[keyType],
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '30',
      '-subj',
      `/CN=${names[0]}`,
      '-addext',
      `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`,
    ]);
    const cert = readFileSync(certFile, 'utf8');
    const key = readFileSync(keyFile, 'utf8');
    return { cert, key, fingerprint: new X509Certificate(cert).fingerprint256, keyType };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A TCP listener on 127.0.0.1 (port 0) that peeks at each connection and gives it to `terminator`. */
export async function listenTerminator(
  terminator: TlsTerminator,
): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.once('readable', () => {
      const first = socket.read() as Buffer | null;
      if (first) terminator.accept(socket, first);
      else socket.destroy();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** What one TLS exchange saw: the served certificate's SHA-256 fingerprint and CN, the protocol, the data. */
export interface TlsExchange {
  fingerprint: string;
  commonName: string;
  protocol: string | null;
  data: string;
}

/**
 * Connects to 127.0.0.1:`port` at exactly `version`, writes `send` (if any) once the handshake is done,
 * reads until the server ends. Rejects on a failed handshake.
 */
export function tlsExchange(
  port: number,
  opts: { servername?: string; version: tls.SecureVersion; send?: string },
): Promise<TlsExchange> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect(
      {
        host: '127.0.0.1',
        port,
        servername: opts.servername,
        rejectUnauthorized: false,
        minVersion: opts.version,
        maxVersion: opts.version,
      },
      () => {
        if (opts.send) socket.write(opts.send);
      },
    );
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      data += d;
    });
    socket.on('error', reject);
    socket.on('end', () => {
      const peer = socket.getPeerX509Certificate();
      resolve({
        fingerprint: peer?.fingerprint256 ?? '',
        commonName: /^CN=(.*)$/m.exec(peer?.subject ?? '')?.[1] ?? '',
        protocol: socket.getProtocol(),
        data,
      });
    });
  });
}
