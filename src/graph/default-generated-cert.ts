import type { CertificateSource } from '../tls/index.js';
import type { AcmeRequest } from './tls-builder.js';

/** `tls.stores.default.defaultGeneratedCert`: the default certificate obtained from an ACME resolver. */
export interface DefaultGeneratedCert {
  resolver?: string;
  domain?: { main?: string; sans?: string[] };
}

/** Finds a stored ACME certificate of `resolver` covering `main` and `sans` (inline PEM). */
export type AcmeCertificateLookup = (
  resolver: string,
  main: string,
  sans: string[],
) => CertificateSource | undefined;

export const DEFAULT_GENERATED_SOURCE = 'tls.stores.default.defaultGeneratedCert';

/**
 * What `defaultGeneratedCert` asks for: the certificate to order from the resolver (`request`), the one
 * to serve as default once the resolver has it (`certificate`), or why the setting is unusable (`error`).
 * `tls.stores.default.defaultCertificate` takes precedence: the resolver is then not asked.
 */
export function defaultGeneratedCertificate(
  store: { defaultCertificate?: CertificateSource; defaultGeneratedCert?: DefaultGeneratedCert } | undefined,
  lookup: AcmeCertificateLookup | undefined,
): { request?: AcmeRequest; certificate?: CertificateSource; error?: string } {
  const wanted = store?.defaultGeneratedCert;
  if (!wanted || store?.defaultCertificate) return {};
  const main = wanted.domain?.main?.trim().toLowerCase();
  if (!wanted.resolver || !main) {
    return {
      error: 'defaultGeneratedCert needs a resolver and a domain.main; the generated default is served',
    };
  }
  const sans = (wanted.domain?.sans ?? []).map((s) => s.trim().toLowerCase()).filter((s) => s && s !== main);
  const request: AcmeRequest = { resolver: wanted.resolver, router: DEFAULT_GENERATED_SOURCE, main, sans };
  const certificate = lookup?.(wanted.resolver, main, sans);
  return certificate ? { request, certificate } : { request };
}
