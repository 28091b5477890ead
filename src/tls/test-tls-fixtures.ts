/**
 * Test support for handshake tests (nothing in the product imports it): certificates of every key type a
 * server may hold, made by the `openssl` command line (a real tool rather than a second implementation of
 * certificate generation), and a listener that hands connections to a `TlsTerminator` as an entrypoint does.
 */
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  cipher: string | undefined;
  alpn: string | false | null;
  data: string;
}

/**
 * Connects to 127.0.0.1:`port` (at exactly `version` when given), writes `send` (if any) once the handshake
 * is done, reads until the server ends. Other options go to `tls.connect` (client certificate, curves,
 * ALPN…). Rejects on a failed handshake or a connection closed without data.
 */
export function tlsExchange(
  port: number,
  opts: tls.ConnectionOptions & { version?: tls.SecureVersion; send?: string },
): Promise<TlsExchange> {
  const { version, send, ...connect } = opts;
  return new Promise((resolve, reject) => {
    const socket = tls.connect(
      {
        host: '127.0.0.1',
        port,
        rejectUnauthorized: false,
        ...(version ? { minVersion: version, maxVersion: version } : {}),
        ...connect,
      },
      () => {
        if (send) socket.write(send);
      },
    );
    let data = '';
    let secure = false;
    socket.setEncoding('utf8');
    socket.on('secureConnect', () => {
      secure = true;
    });
    socket.on('data', (d: string) => {
      data += d;
    });
    socket.on('error', reject);
    socket.on('end', () => {
      if (!secure || (send && data === '')) {
        reject(new Error(secure ? 'closed without an answer' : 'closed before the handshake ended'));
        return;
      }
      const peer = socket.getPeerX509Certificate();
      resolve({
        fingerprint: peer?.fingerprint256 ?? '',
        commonName: /^CN=(.*)$/m.exec(peer?.subject ?? '')?.[1] ?? '',
        protocol: socket.getProtocol(),
        cipher: socket.getCipher()?.name,
        alpn: socket.alpnProtocol,
        data,
      });
    });
  });
}

/** An HTTP/1.1 GET with `Connection: close`, for `tlsExchange`'s `send`. */
export function getRequest(host: string, path = '/'): string {
  return `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`;
}

/** A client certificate chain made by openssl: root CA, intermediate CA, leaf (all PEM). */
export interface ClientChain {
  root: string;
  intermediate: string;
  leaf: string;
  leafKey: string;
}

/**
 * A root, an intermediate signed by it, and a client leaf signed by the intermediate, with the given
 * subjects (openssl `-subj` form), the leaf's `subjectAltName` and serial number.
 */
export async function opensslClientChain(opts: {
  rootSubject: string;
  intermediateSubject: string;
  leafSubject: string;
  leafSan: string;
  leafSerial: number;
}): Promise<ClientChain> {
  const dir = mkdtempSync(join(tmpdir(), 'sy-chain-'));
  const at = (name: string) => join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  try {
    writeFileSync(
      at('ext.cnf'),
      '[ca]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n' +
        '[leaf]\nbasicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n',
    );
    await run('openssl', [
      'req',
      '-x509',
      ...ec,
      '-keyout',
      at('root.key'),
      '-out',
      at('root.crt'),
      '-days',
      '30',
      '-subj',
      opts.rootSubject,
    ]);
    await run('openssl', [
      'req',
      '-new',
      ...ec,
      '-keyout',
      at('int.key'),
      '-out',
      at('int.csr'),
      '-subj',
      opts.intermediateSubject,
    ]);
    await run('openssl', [
      'x509',
      '-req',
      '-in',
      at('int.csr'),
      '-CA',
      at('root.crt'),
      '-CAkey',
      at('root.key'),
      '-set_serial',
      '2',
      '-days',
      '30',
      '-out',
      at('int.crt'),
      '-extfile',
      at('ext.cnf'),
      '-extensions',
      'ca',
    ]);
    await run('openssl', [
      'req',
      '-new',
      ...ec,
      '-keyout',
      at('leaf.key'),
      '-out',
      at('leaf.csr'),
      '-subj',
      opts.leafSubject,
      '-addext',
      `subjectAltName=${opts.leafSan}`,
    ]);
    await run('openssl', [
      'x509',
      '-req',
      '-in',
      at('leaf.csr'),
      '-CA',
      at('int.crt'),
      '-CAkey',
      at('int.key'),
      '-set_serial',
      String(opts.leafSerial),
      '-days',
      '30',
      '-out',
      at('leaf.crt'),
      '-copy_extensions',
      'copyall',
      '-extfile',
      at('ext.cnf'),
      '-extensions',
      'leaf',
    ]);
    const read = (name: string) => readFileSync(at(name), 'utf8');
    return {
      root: read('root.crt'),
      intermediate: read('int.crt'),
      leaf: read('leaf.crt'),
      leafKey: read('leaf.key'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
