import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import {
  createServer as createTlsServer,
  type SecureContext,
  type TLSSocket,
  type TlsOptions,
  type Server as TlsServer,
} from 'node:tls';
import { errorMessage, SwitchyardError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { enforceClientAuth } from './client-auth.js';
import { type ClientHelloInfo, readClientHello } from './client-hello.js';
import type { ResolvedTlsOptions } from './options.js';
import type { CertificateStore } from './store.js';

/** The TLS settings chosen for one connection from its ClientHello. */
export interface TlsChoice {
  /** Name of the TLS options set, qualified (`default`, `modern@file`). */
  readonly optionsName: string;
  readonly options: ResolvedTlsOptions;
  /** The certificates, with contexts built with `options.contextOptions`. */
  readonly store: CertificateStore;
}

/**
 * Maps a server name to its TLS settings for one entrypoint and one configuration generation. `undefined`
 * means the options the name asks for are broken: the connection is closed, as Traefik does.
 */
export interface TlsRouting {
  choose(hello: ClientHelloInfo | undefined): TlsChoice | undefined;
  /**
   * The ACME TLS-ALPN-01 challenge certificate for a server name (a ClientHello offering `acme-tls/1`),
   * or undefined when no validation for that name is under way (the handshake is then refused).
   */
  acmeChallenge?(serverName: string): SecureContext | undefined;
}

/** ALPN protocol of the ACME TLS-ALPN-01 challenge (RFC 8737). */
export const ACME_TLS_ALPN_PROTOCOL = 'acme-tls/1';

/** The certificate context `choice` serves for `serverName` (undefined under sniStrict when none matches). */
export function certificateFor(choice: TlsChoice, serverName: string | undefined): SecureContext | undefined {
  const hit = choice.store.match(serverName);
  if (hit || choice.options.sniStrict) return hit;
  return choice.store.defaultContext;
}

/** A routing that gives every connection the same options set (entrypoints without per-router options). */
export function singleChoiceRouting(choice: TlsChoice): TlsRouting {
  return { choose: () => choice };
}

export interface TerminatorOptions {
  /** How long a client may take to send its whole ClientHello; default 60 s. */
  helloTimeoutMs?: number;
  /** Called for each failed handshake (besides a debug log line). */
  onHandshakeError?: (error: Error, choice: TlsChoice) => void;
}

const optionsNames = new WeakMap<object, string>();

/**
 * The TLS options set a connection was terminated with (`default`, `modern@file`), for a socket a
 * `TlsTerminator` handed over; undefined for any other socket. Routers compare it with their own options
 * (Traefik's SNI check: a request for a host whose router wants other options gets 421).
 */
export function tlsOptionsNameOf(socket: object): string | undefined {
  return optionsNames.get(socket);
}

/** Shared by every handshake server of the process, so sessions resume across configuration reloads. */
const TICKET_KEYS = randomBytes(48);

/**
 * Terminates TLS on raw connections: reads the ClientHello, asks the routing for the settings, runs the
 * handshake and hands the decrypted socket to `onSecure`.
 *
 * Why not one `tls.Server` with an `SNICallback`: Node installs the certificate chosen by SNI next to the
 * one of the server's own context, in the slot of its key type, instead of replacing it. With an ECDSA
 * default certificate and an RSA certificate chosen by SNI, OpenSSL then holds both, and under TLS 1.3 picks
 * the one matching the first signature algorithm the client lists: ECDSA for every common client, i.e. the
 * default certificate. Here a connection with SNI goes to a server whose own context has no certificate,
 * so the one chosen by SNI is the only one; a connection without SNI goes to a server holding the default
 * certificate. Versions, ciphers and curves are fixed by the server's context before SNI is seen, so each
 * options set has its own servers, chosen from the ClientHello.
 */
export class TlsTerminator {
  private readonly servers = new Map<string, TlsServer>();
  private readonly helloTimeoutMs: number;

  constructor(
    private readonly routing: TlsRouting,
    private readonly onSecure: (socket: TLSSocket, choice: TlsChoice) => void,
    private readonly logger: Logger,
    private readonly options: TerminatorOptions = {},
  ) {
    this.helloTimeoutMs = options.helloTimeoutMs ?? 60_000;
  }

  /**
   * Takes over a connection whose first bytes (`first`, already read from it) start a TLS record. The
   * socket is destroyed when the ClientHello never completes or the options it asks for are broken.
   */
  accept(socket: Socket, first: Buffer): void {
    readClientHello(socket, first, this.helloTimeoutMs).then(
      (hello) => this.handshake(socket, hello),
      (err) => {
        this.logger.debug('TLS connection closed before the handshake', { error: errorMessage(err) });
        socket.destroy();
      },
    );
  }

  private handshake(socket: Socket, hello: ClientHelloInfo | undefined): void {
    if (socket.destroyed) return;
    if (hello?.alpnProtocols.includes(ACME_TLS_ALPN_PROTOCOL) && this.routing.acmeChallenge) {
      this.acmeHandshake(socket, hello);
      return;
    }
    const choice = this.routing.choose(hello);
    if (!choice) {
      this.logger.debug('TLS connection closed: its TLS options are broken', {
        serverName: hello?.serverName,
      });
      socket.destroy();
      return;
    }
    let server: TlsServer;
    try {
      server = this.server(choice, hello?.serverName !== undefined);
    } catch (err) {
      this.logger.error('TLS connection closed: no handshake server', { error: errorMessage(err) });
      socket.destroy();
      return;
    }
    server.emit('connection', socket);
  }

  /** Answers a TLS-ALPN-01 validation: the challenge certificate, then the connection is closed. */
  private acmeHandshake(socket: Socket, hello: ClientHelloInfo): void {
    const context = hello.serverName ? this.routing.acmeChallenge?.(hello.serverName) : undefined;
    if (!context) {
      this.logger.debug('TLS-ALPN-01 handshake for a name under no validation', {
        serverName: hello.serverName,
      });
      socket.destroy();
      return;
    }
    let server = this.servers.get('acme');
    if (!server) {
      server = createTlsServer({
        ALPNProtocols: [ACME_TLS_ALPN_PROTOCOL],
        SNICallback: (name, cb) => cb(null, this.routing.acmeChallenge?.(name)),
      });
      server.on('secureConnection', (s: TLSSocket) => s.end());
      server.on('tlsClientError', (err: Error) =>
        this.logger.debug('TLS-ALPN-01 handshake failed', { error: err.message }),
      );
      this.servers.set('acme', server);
    }
    server.emit('connection', socket);
  }

  private server(choice: TlsChoice, withSni: boolean): TlsServer {
    const key = `${withSni ? 'sni' : 'plain'}\0${choice.optionsName}`;
    let server = this.servers.get(key);
    if (server) return server;
    const { options, store } = choice;
    if (store.contextOptions !== options.contextOptions) {
      // OpenSSL takes client CAs from the SNI-selected context but versions and ciphers from the server's
      // own: mixing two option sets would silently apply half of each.
      throw new SwitchyardError(
        'INTERNAL',
        `certificate store was not built with TLS options ${choice.optionsName}`,
      );
    }
    const settings: TlsOptions = {
      ...options.contextOptions,
      requestCert: options.requestCert,
      rejectUnauthorized: options.rejectUnauthorized,
      ALPNProtocols: [...options.alpnProtocols],
    };
    if (withSni) {
      // No certificate of its own: the one the callback returns is the only one OpenSSL can pick.
      settings.SNICallback = options.sniStrict ? store.strictSniCallback : store.sniCallback;
    } else if (!options.sniStrict) {
      Object.assign(settings, store.defaultPair);
    }
    server = createTlsServer(settings);
    server.setTicketKeys(TICKET_KEYS);
    enforceClientAuth(server, options.checkClient);
    server.on('secureConnection', (socket: TLSSocket) => {
      if (socket.destroyed) return;
      optionsNames.set(socket, choice.optionsName);
      this.onSecure(socket, choice);
    });
    server.on('tlsClientError', (err: Error) => {
      this.logger.debug('TLS handshake failed', { error: err.message, tlsOptions: choice.optionsName });
      this.options.onHandshakeError?.(err, choice);
    });
    this.servers.set(key, server);
    return server;
  }
}
