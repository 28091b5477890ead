import { X509Certificate } from 'node:crypto';
import type { Server, TLSSocket } from 'node:tls';
import { errorMessage, SwitchyardError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import { CLIENT_AUTH_TYPES, type ClientAuthType } from './go-names.js';
import { describeSource, readFileOrContent } from './load.js';

/** Checks a client certificate after the handshake; returns why the connection must close, if it must. */
export type ClientCertificateCheck = (socket: TLSSocket) => Error | undefined;

/** Traefik's `tls.options.<name>.clientAuth`. */
export interface ClientAuthConfig {
  caFiles?: string[];
  clientAuthType?: string;
}

/** Client authentication in Node's terms. */
export interface ResolvedClientAuth {
  type: ClientAuthType;
  requestCert: boolean;
  rejectUnauthorized: boolean;
  /** CA certificates (PEM) to verify clients with and to name in the certificate request. */
  ca: string[] | undefined;
  check: ClientCertificateCheck | undefined;
}

function hasPeerCertificate(socket: TLSSocket): boolean {
  const peer = socket.getPeerCertificate();
  return peer !== null && typeof peer === 'object' && Object.keys(peer).length > 0;
}

/*
 * How Go's five modes map onto Node. Node verifies the client certificate in JavaScript right after the
 * handshake and, with rejectUnauthorized, closes the socket before 'secureConnection'. It has no mode for
 * "require a certificate but do not verify it" nor for "verify only if one was sent", so those two request a
 * certificate without rejecting and carry a check that the server runs on 'secureConnection'.
 */
const MODES: Record<ClientAuthType, Omit<ResolvedClientAuth, 'type' | 'ca'>> = {
  NoClientCert: { requestCert: false, rejectUnauthorized: false, check: undefined },
  RequestClientCert: { requestCert: true, rejectUnauthorized: false, check: undefined },
  RequireAnyClientCert: {
    requestCert: true,
    rejectUnauthorized: false,
    check: (socket) =>
      hasPeerCertificate(socket)
        ? undefined
        : new SwitchyardError('TLS_CERTIFICATE', 'client certificate required (RequireAnyClientCert)'),
  },
  VerifyClientCertIfGiven: {
    requestCert: true,
    rejectUnauthorized: false,
    check: (socket) =>
      socket.authorized || !hasPeerCertificate(socket)
        ? undefined
        : new SwitchyardError(
            'TLS_CERTIFICATE',
            `client certificate rejected: ${String(socket.authorizationError ?? 'not verified')}`,
          ),
  },
  RequireAndVerifyClientCert: { requestCert: true, rejectUnauthorized: true, check: undefined },
};

/**
 * Resolves `clientAuth` as Traefik does: `caFiles` alone means RequireAndVerifyClientCert; the verifying
 * modes need `caFiles`; CA files are paths or inline PEM. Problems are appended to `problems`.
 */
export function resolveClientAuth(
  config: ClientAuthConfig | undefined,
  problems: string[],
): ResolvedClientAuth {
  const caFiles = config?.caFiles ?? [];
  const given = config?.clientAuthType;
  let type: ClientAuthType = caFiles.length > 0 ? 'RequireAndVerifyClientCert' : 'NoClientCert';
  if (given !== undefined && given !== '') {
    if ((CLIENT_AUTH_TYPES as readonly string[]).includes(given)) {
      type = given as ClientAuthType;
    } else {
      problems.push(
        `clientAuth.clientAuthType: unknown value "${given}"${didYouMean(given, CLIENT_AUTH_TYPES)}`,
      );
    }
  }
  if (caFiles.length === 0 && (type === 'VerifyClientCertIfGiven' || type === 'RequireAndVerifyClientCert')) {
    problems.push(`clientAuth.clientAuthType ${type} needs clientAuth.caFiles`);
  }
  let ca: string[] | undefined;
  if (type !== 'NoClientCert' && caFiles.length > 0) {
    ca = [];
    for (const file of caFiles) {
      try {
        const pem = readFileOrContent(file, 'CA file');
        // Parse now so a bad CA is a configuration error, not a handshake failure later.
        new X509Certificate(pem);
        ca.push(pem);
      } catch (err) {
        problems.push(`clientAuth.caFiles: CA ${describeSource(file)}: ${errorMessage(err)}`);
      }
    }
  }
  return { type, ca, ...MODES[type] };
}

/**
 * Installs a client-certificate check on a TLS server: it runs before any other `secureConnection` listener
 * and destroys sockets it rejects, reporting them as `tlsClientError` like a failed handshake. No-op when
 * `check` is undefined.
 */
export function enforceClientAuth(server: Server, check: ClientCertificateCheck | undefined): void {
  if (!check) return;
  server.prependListener('secureConnection', (socket: TLSSocket) => {
    const error = check(socket);
    if (!error) return;
    server.emit('tlsClientError', error, socket);
    socket.destroy();
  });
}
