/**
 * TLS termination: certificate loading, the SNI certificate store, Traefik TLS options translated to Node,
 * client-certificate authentication and the generated default certificate.
 *
 * @example
 *   const generatedDefault = await generateDefaultCertificate(); // once, at startup
 *   const resolved = resolveTlsOptions(dynamic.tls.options?.default, { name: 'default' });
 *   const { store, errors } = buildCertificateStore({
 *     certificates: dynamic.tls.certificates ?? [],
 *     defaultCertificate: dynamic.tls.stores?.default?.defaultCertificate,
 *     generatedDefault,
 *     contextOptions: resolved.contextOptions,
 *   });
 *   const server = tls.createServer(createTlsServerOptions(resolved, store));
 *   enforceClientAuth(server, resolved.checkClient);
 */
export {
  type ClientAuthConfig,
  type ClientCertificateCheck,
  enforceClientAuth,
  type ResolvedClientAuth,
  resolveClientAuth,
} from './client-auth.js';
export {
  DEFAULT_CERT_COMMON_NAME,
  DEFAULT_CERT_ORGANIZATION,
  generateDefaultCertificate,
} from './generate-default.js';
export { CLIENT_AUTH_TYPES, type ClientAuthType } from './go-names.js';
export {
  type CertificateSource,
  type CertPair,
  isInlinePem,
  type LoadedCertificate,
  loadCertificate,
  normaliseName,
  parseCertificatePair,
  readFileOrContent,
} from './load.js';
export {
  createTlsServerOptions,
  type ResolvedTlsOptions,
  resolveTlsOptions,
  SERVED_ALPN_PROTOCOLS,
  type TlsOptionsConfig,
} from './options.js';
export {
  buildCertificateStore,
  type CertificateConfig,
  type CertificateInfo,
  type CertificateIssue,
  type CertificateStore,
  type CertificateStoreInput,
  createCertificateStore,
  type LoadedCertificateSet,
  loadCertificateSet,
  type SniCallback,
} from './store.js';
