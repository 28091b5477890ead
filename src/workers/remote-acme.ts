import { createSecureContext, type SecureContext } from 'node:tls';
import type { StaticConfig } from '../config/static/index.js';
import {
  type ChallengeRoute,
  httpChallengeRoutes,
  type ObtainedCertificate,
} from '../tls/acme/challenge-routes.js';

/**
 * ACME as a worker process sees it: the primary orders and renews; the worker answers HTTP-01 challenges
 * by asking the primary for the token's key authorization, serves the TLS-ALPN-01 challenge certificates
 * the primary pushes (a handshake cannot wait for a round trip), and serves the certificates of each
 * snapshot. The same face as `AcmeManager` towards the instance.
 */
export class RemoteAcme {
  private readonly sections: { httpChallenge?: { entryPoint: string } }[];
  private readonly alpn = new Map<string, SecureContext>();
  private obtainedList: ObtainedCertificate[] = [];

  constructor(
    resolvers: StaticConfig['certificatesResolvers'],
    private readonly askHttp: (token: string) => Promise<string | undefined>,
  ) {
    this.sections = Object.values(resolvers).flatMap((r) => {
      const acme = r?.acme;
      return acme && (acme.httpChallenge || acme.tlsChallenge || acme.dnsChallenge) ? [acme] : [];
    });
  }

  get enabled(): boolean {
    return this.sections.length > 0;
  }

  challengeRoutes(): ChallengeRoute[] {
    return httpChallengeRoutes(this.sections, (token) =>
      /^[A-Za-z0-9_-]+$/.test(token) ? this.askHttp(token) : Promise.resolve(undefined),
    );
  }

  /** A TLS-ALPN-01 challenge answer the primary pushed (`undefined`: the validation is over). */
  setAlpn(serverName: string, answer: string | undefined): void {
    const name = serverName.toLowerCase();
    if (answer === undefined) {
      this.alpn.delete(name);
      return;
    }
    try {
      const { cert, key } = JSON.parse(answer) as { cert: string; key: string };
      this.alpn.set(name, createSecureContext({ cert, key }));
    } catch {
      this.alpn.delete(name);
    }
  }

  alpnChallenge(serverName: string): SecureContext | undefined {
    return this.alpn.get(serverName.toLowerCase());
  }

  /** The certificates of the newest snapshot. */
  update(obtained: ObtainedCertificate[]): void {
    this.obtainedList = obtained;
  }

  certificates(): { certFile: string; keyFile: string }[] {
    return this.obtainedList.map(({ certFile, keyFile }) => ({ certFile, keyFile }));
  }

  find(resolver: string, main: string, sans: string[]): { certFile: string; keyFile: string } | undefined {
    const found = this.obtainedList.find(
      (c) => c.resolver === resolver && c.main === main && sans.every((s) => c.sans.includes(s)),
    );
    return found && { certFile: found.certFile, keyFile: found.keyFile };
  }

  /** Ordering is the primary's. */
  want(): void {}

  close(): void {}
}
