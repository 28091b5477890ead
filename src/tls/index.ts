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
 *   const terminator = new TlsTerminator(
 *     singleChoiceRouting({ optionsName: 'default', options: resolved, store }),
 *     (tlsSocket) => httpServer.emit('connection', tlsSocket),
 *     logger,
 *   );
 *   terminator.accept(rawSocket, firstChunk); // for each connection whose first byte is 0x16
 */
export {
  type ClientAuthConfig,
  type ClientCertificateCheck,
  enforceClientAuth,
  type ResolvedClientAuth,
  resolveClientAuth,
} from './client-auth.js';
export {
  type ClientHelloInfo,
  type ClientHelloParse,
  MAX_CLIENT_HELLO_BYTES,
  parseClientHello,
  readClientHello,
} from './client-hello.js';
export { TlsFileWatcher } from './file-watch.js';
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
  parseSubjectAltName,
  readFileOrContent,
  type SubjectAltNames,
} from './load.js';
export {
  type ResolvedTlsOptions,
  resolveTlsOptions,
  SERVED_ALPN_PROTOCOLS,
  type TlsOptionsConfig,
} from './options.js';
export { SniOptionsTable } from './sni-options.js';
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
export {
  certificateFor,
  singleChoiceRouting,
  type TlsChoice,
  type TlsRouting,
  TlsTerminator,
  tlsOptionsNameOf,
} from './terminator.js';
export {
  DEFAULT_TLS_OPTIONS,
  TlsGeneration,
  type TlsIssue,
  type TlsSection,
} from './tls-generation.js';
