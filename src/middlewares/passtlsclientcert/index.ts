import { defineMiddleware } from '../contract.js';
import { createPassTlsClientCert } from './pass-tls-client-cert.js';
import { passTLSClientCertDeclaration } from './schema.js';

/**
 * `passTLSClientCert`: passes the client certificate of a mutual-TLS connection to the server, as PEM
 * (`X-Forwarded-Tls-Client-Cert`) and/or selected fields (`X-Forwarded-Tls-Client-Cert-Info`).
 *
 * @example http.middlewares.mtls.passTLSClientCert: { pem: true, info: { subject: { commonName: true } } }
 */
export default defineMiddleware({
  ...passTLSClientCertDeclaration,
  create: (options) => createPassTlsClientCert(options),
});
