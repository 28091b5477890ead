import type { ConnectionOptions, PeerCertificate } from 'node:tls';
import type { ServersTransport } from '../config/dynamic/index.js';
import { SwitchyardError } from '../core/errors.js';
import { CIPHER_SUITES, IGNORED_CIPHER_SUITES, TLS13_SUITES } from '../tls/go-names.js';

/**
 * The parts of a serversTransport's TLS client settings beyond trust and versions: `cipherSuites`
 * (Go names, TLS 1.2 and below; TLS 1.3 suites stay enabled as in Go) and the extra peer certificate
 * checks `peerCertSANs` / `peerCertURI` (a SAN of the given type must equal the value, on top of the
 * chain verification, which `insecureSkipVerify` turns off altogether).
 */
export function applyTlsChecks(opts: ConnectionOptions, cfg: ServersTransport): void {
  if (cfg.cipherSuites && cfg.cipherSuites.length > 0) {
    const names: string[] = [];
    for (const suite of cfg.cipherSuites) {
      const openssl = CIPHER_SUITES.get(suite);
      if (openssl) names.push(openssl);
      else if (!IGNORED_CIPHER_SUITES.has(suite)) {
        throw new SwitchyardError(
          'CONFIG_INVALID',
          `serversTransport cipherSuites: unknown suite "${suite}"`,
        );
      }
    }
    opts.ciphers = [...names, ...TLS13_SUITES.split(':')].join(':');
  }
  const wanted: string[] = (cfg.peerCertSANs ?? []).map(
    (s) => `${s.type === 'URI' ? 'URI' : 'DNS'}:${s.value}`,
  );
  if (cfg.peerCertURI) wanted.push(`URI:${cfg.peerCertURI}`);
  if (wanted.length === 0 || cfg.insecureSkipVerify) return;
  opts.checkServerIdentity = (host: string, cert: PeerCertificate) => {
    const sans = (cert.subjectaltname ?? '').split(',').map((s) => s.trim());
    // As Traefik: the chain is still verified; a matching SAN replaces the host name check.
    if (wanted.some((w) => sans.includes(w))) return undefined;
    return new Error(`peer certificate for ${host} has none of the SANs ${wanted.join(', ')}`);
  };
}
