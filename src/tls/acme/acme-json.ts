import { createPrivateKey } from 'node:crypto';
import { SwitchyardError } from '../../core/errors.js';

/**
 * The entries of Traefik's `acme.json`, shared by the file storage and the etcd/Redis storage (one entry
 * per key there). Go encodes `[]byte` as base64, hence the base64 around PEM and DER.
 */

/** An ACME account, decoded. */
export interface StoredAccount {
  email: string;
  /** Account URL at the CA (`Registration.uri`); absent before registration. */
  url: string | undefined;
  /** Account key, PEM (PKCS#1 for RSA keys, as Traefik stores them; PKCS#8 otherwise). */
  keyPem: string;
  /** What the CA returned at registration (`Registration.body`), kept as is. */
  registration: Record<string, unknown> | undefined;
}

/** A certificate obtained from the CA, decoded. */
export interface StoredCertificate {
  main: string;
  sans: string[];
  /** Leaf followed by the chain, PEM. */
  certificate: string;
  key: string;
  store: string;
}

export interface RawAccount {
  Email?: string;
  Registration?: { body?: Record<string, unknown>; uri?: string } | null;
  PrivateKey?: string;
  KeyType?: string;
}

export interface RawCertificate {
  domain?: { main?: string; sans?: string[] };
  certificate?: string;
  key?: string;
  Store?: string;
}

const b64 = (text: string) => Buffer.from(text).toString('base64');
const unb64 = (text: string) => Buffer.from(text, 'base64');

export function decodeAccount(raw: RawAccount | null | undefined): StoredAccount | undefined {
  if (!raw?.PrivateKey) return undefined;
  return {
    email: raw.Email ?? '',
    url: raw.Registration?.uri || undefined,
    keyPem: decodeKey(raw.PrivateKey),
    registration: raw.Registration?.body,
  };
}

export function encodeAccount(account: StoredAccount): RawAccount {
  return {
    Email: account.email,
    Registration: account.url ? { body: account.registration ?? {}, uri: account.url } : null,
    PrivateKey: encodeKey(account.keyPem),
  };
}

/** The certificate of an entry, or undefined for an entry with an empty certificate or key (as Traefik). */
export function decodeCertificate(c: RawCertificate | null | undefined): StoredCertificate | undefined {
  if (!c?.certificate || !c.key || !c.domain?.main) return undefined;
  return {
    main: c.domain.main,
    sans: c.domain.sans ?? [],
    certificate: unb64(c.certificate).toString('utf8'),
    key: unb64(c.key).toString('utf8'),
    store: c.Store || 'default',
  };
}

export function encodeCertificate(cert: StoredCertificate): RawCertificate {
  return {
    domain: { main: cert.main, ...(cert.sans.length > 0 ? { sans: cert.sans } : {}) },
    certificate: b64(cert.certificate),
    key: b64(cert.key),
    Store: cert.store,
  };
}

/** Traefik stores the account key as base64 DER, PKCS#1 for its RSA keys. */
function decodeKey(base64: string): string {
  const der = unb64(base64);
  for (const type of ['pkcs1', 'pkcs8', 'sec1'] as const) {
    try {
      const key = createPrivateKey({ key: der, format: 'der', type });
      return key.asymmetricKeyType === 'rsa'
        ? key.export({ type: 'pkcs1', format: 'pem' }).toString()
        : key.export({ type: 'pkcs8', format: 'pem' }).toString();
    } catch {
      // try the next encoding
    }
  }
  throw new SwitchyardError('CONFIG_INVALID', 'ACME storage: the account private key cannot be read');
}

function encodeKey(pem: string): string {
  const key = createPrivateKey(pem);
  const der =
    key.asymmetricKeyType === 'rsa'
      ? key.export({ type: 'pkcs1', format: 'der' })
      : key.export({ type: 'pkcs8', format: 'der' });
  return der.toString('base64');
}
