import { X509Certificate } from 'node:crypto';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';
import type { HttpContext } from '../../core/http-context.js';
import { parseSubjectAltName } from '../../tls/index.js';
import type { Middleware } from '../contract.js';
import type { PassTlsClientCertOptions, SubjectDnOptions } from './schema.js';

const PEM_HEADER = 'x-forwarded-tls-client-cert';
const INFO_HEADER = 'x-forwarded-tls-client-cert-info';

/** Node's parsed distinguished name: one string per attribute, or an array when it repeats. */
type NodeDn = Record<string, string | string[] | undefined>;

/** The certificates the client sent, leaf first, as Node exposes them. */
function clientChain(ctx: HttpContext): DetailedPeerCertificate[] {
  const socket = ctx.req.socket as TLSSocket;
  if (!socket.encrypted || typeof socket.getPeerCertificate !== 'function') return [];
  const leaf = socket.getPeerCertificate(true);
  if (!leaf?.raw) return [];
  const chain: DetailedPeerCertificate[] = [];
  const seen = new Set<string>();
  for (let c: DetailedPeerCertificate | undefined = leaf; c?.raw; c = c.issuerCertificate) {
    if (seen.has(c.fingerprint256)) break; // a root points at itself
    seen.add(c.fingerprint256);
    chain.push(c);
  }
  // Node completes the chain with the trusted root from the server's CA list; Go's PeerCertificates (what
  // Traefik passes) holds only what the client sent, which never needs to include the self-signed root.
  while (chain.length > 1 && selfSigned(chain[chain.length - 1]!)) chain.pop();
  return chain;
}

function selfSigned(c: DetailedPeerCertificate): boolean {
  const x509 = new X509Certificate(c.raw);
  return x509.checkIssued(x509);
}

function values(dn: NodeDn | undefined, key: string): string[] {
  const v = dn?.[key];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** Traefik's DN rendering: DC, C, ST, L, O, OU, SN, CN in that order, each `K=v,`, empty values skipped. */
function distinguishedName(dn: NodeDn | undefined, want: SubjectDnOptions | undefined): string {
  if (!want) return '';
  const parts: string[] = [];
  const add = (prefix: string, list: string[]) => {
    for (const v of list) if (v !== '') parts.push(`${prefix}=${v}`);
  };
  if (want.domainComponent) add('DC', values(dn, 'DC'));
  if (want.country) add('C', values(dn, 'C'));
  if (want.province) add('ST', values(dn, 'ST'));
  if (want.locality) add('L', values(dn, 'L'));
  if (want.organization) add('O', values(dn, 'O'));
  if (want.organizationalUnit) add('OU', values(dn, 'OU'));
  // Go keeps the last serialNumber and CN of a name.
  if (want.serialNumber) add('SN', values(dn, 'serialNumber').slice(-1));
  if (want.commonName) add('CN', values(dn, 'CN').slice(-1));
  return parts.join(',');
}

function certificateInfo(
  c: DetailedPeerCertificate,
  info: NonNullable<PassTlsClientCertOptions['info']>,
): string {
  const fields: string[] = [];
  const subject = distinguishedName(c.subject as unknown as NodeDn, info.subject);
  if (subject) fields.push(`Subject="${subject}"`);
  const issuer = distinguishedName(c.issuer as unknown as NodeDn, info.issuer);
  if (issuer) fields.push(`Issuer="${issuer}"`);
  if (info.serialNumber && c.serialNumber) fields.push(`SerialNumber="${BigInt(`0x${c.serialNumber}`)}"`);
  if (info.notBefore) fields.push(`NB="${Math.floor(Date.parse(c.valid_from) / 1000)}"`);
  if (info.notAfter) fields.push(`NA="${Math.floor(Date.parse(c.valid_to) / 1000)}"`);
  if (info.sans) {
    const san = parseSubjectAltName(c.subjectaltname);
    const all = [...san.dns, ...san.email, ...san.ip, ...san.uri];
    if (all.length > 0) fields.push(`SAN="${all.join(',')}"`);
  }
  return fields.join(';');
}

/** Go's `url.QueryEscape`: everything but `A-Za-z0-9-_.~` percent-encoded, spaces as `+`. */
export function queryEscape(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/**
 * Sets `X-Forwarded-Tls-Client-Cert` (with `pem`: each client certificate as base64 DER, without PEM
 * armour or newlines, comma-separated, leaf first) and `X-Forwarded-Tls-Client-Cert-Info` (with `info`: the
 * chosen fields of each certificate, `;`-separated, certificates `,`-separated, the whole URL-escaped), as
 * Traefik does. Without a client certificate the headers are removed, so a client cannot forge them.
 */
export function createPassTlsClientCert(options: PassTlsClientCertOptions): Middleware {
  const { pem, info } = options;
  const computed = new WeakMap<object, { pem: string; info: string } | null>();
  const headersFor = (ctx: HttpContext) => {
    const socket = ctx.req.socket;
    let cached = computed.get(socket);
    if (cached === undefined) {
      const chain = clientChain(ctx);
      cached =
        chain.length === 0
          ? null
          : {
              pem: chain.map((c) => c.raw.toString('base64')).join(','),
              info: info ? queryEscape(chain.map((c) => certificateInfo(c, info)).join(',')) : '',
            };
      // The certificate cannot change on a connection: keep-alive requests reuse the result.
      computed.set(socket, cached);
    }
    return cached;
  };
  return (next) => (ctx) => {
    if (pem || info) {
      const headers = ctx.req.headers;
      const found = headersFor(ctx);
      if (pem) {
        if (found) headers[PEM_HEADER] = found.pem;
        else delete headers[PEM_HEADER];
      }
      if (info) {
        if (found) headers[INFO_HEADER] = found.info;
        else delete headers[INFO_HEADER];
      }
    }
    next(ctx);
  };
}
