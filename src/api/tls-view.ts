import type { RuntimeCertificate, RuntimeRouter, RuntimeTls } from '../config/runtime/runtime-config.js';

/** The certificate a client asking for `host` gets: exact name, then one-label wildcard, then the default. */
function certificateFor(tls: RuntimeTls, host: string | undefined): RuntimeCertificate | undefined {
  const name = host?.toLowerCase();
  const certs = tls.certificates;
  if (name) {
    const exact = certs.find((c) => c.role === 'certificate' && c.names.includes(name));
    if (exact) return exact;
    const wildcard = `*.${name.split('.').slice(1).join('.')}`;
    const wild = certs.find((c) => c.role === 'certificate' && c.names.includes(wildcard));
    if (wild) return wild;
  }
  return certs.find((c) => c.role === 'default') ?? certs.find((c) => c.role === 'generated-default');
}

/**
 * A HTTPS router's TLS as the API shows it: `tls` with the options set served (after conflicts) and the
 * resolver (also when they come from the entrypoint), and `tlsCertificate`, the certificate served for
 * the first host of its rule (subject, expiry, names, resolver), for the dashboard's TLS panel.
 */
export function routerTlsView(r: RuntimeRouter, configured: unknown, tls: RuntimeTls | undefined) {
  const info = r.tlsInfo;
  if (!info) return {};
  const own = configured && typeof configured === 'object' ? (configured as Record<string, unknown>) : {};
  const view: Record<string, unknown> = {
    tls: {
      ...own,
      options: info.slot.name,
      ...(info.certResolver ? { certResolver: info.certResolver } : {}),
    },
  };
  const cert = tls && certificateFor(tls, info.hosts[0]);
  if (cert) {
    view.tlsCertificate = {
      subject: cert.commonName ? `CN=${cert.commonName}` : '',
      sans: cert.names,
      notAfter: cert.notAfter.toISOString(),
      serial: cert.serial,
      ...(cert.role === 'certificate' ? {} : { default: true }),
      ...(info.certResolver ? { resolver: info.certResolver } : {}),
    };
  }
  return view;
}

/** `/api/overview`'s `tls`: how many certificates are served, the options sets, the ACME resolvers. */
export function overviewTls(tls: RuntimeTls | undefined) {
  return {
    certificates: tls?.certificates.filter((c) => c.role === 'certificate').length ?? 0,
    options: tls?.options ?? [],
    certResolvers: tls?.certResolvers ?? [],
  };
}
