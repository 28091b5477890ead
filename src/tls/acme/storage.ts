import { createPrivateKey } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { errorMessage, SwitchyardError } from '../../core/errors.js';

/**
 * ACME storage in Traefik's `acme.json` layout, so a Traefik user can point Switchyard at their file:
 *
 * ```json
 * { "<resolver>": {
 *     "Account": { "Email": "…", "Registration": { "body": { "status": "valid", "contact": […] },
 *                  "uri": "<account URL>" }, "PrivateKey": "<base64 PKCS#1 DER>" },
 *     "Certificates": [ { "domain": { "main": "a.com", "sans": ["b.com"] },
 *                         "certificate": "<base64 PEM chain>", "key": "<base64 PEM key>", "Store": "default" } ] } }
 * ```
 *
 * (Go encodes `[]byte` as base64, hence the base64 around PEM and DER.)
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

interface RawAccount {
  Email?: string;
  Registration?: { body?: Record<string, unknown>; uri?: string } | null;
  PrivateKey?: string;
  KeyType?: string;
}
interface RawCertificate {
  domain?: { main?: string; sans?: string[] };
  certificate?: string;
  key?: string;
  Store?: string;
}
type RawFile = Record<string, { Account?: RawAccount | null; Certificates?: RawCertificate[] | null } | null>;

const b64 = (text: string) => Buffer.from(text).toString('base64');
const unb64 = (text: string) => Buffer.from(text, 'base64');

/**
 * One `acme.json` file, read once and written back (atomically, mode 0600) on every change. Entries with an
 * empty certificate or key are dropped on read, as Traefik does.
 *
 * @throws SwitchyardError `CONFIG_INVALID` (constructor) when the file exists but is not an acme.json.
 */
export class AcmeStorage {
  private data: RawFile;

  constructor(readonly path: string) {
    this.data = existsSync(path) ? parse(path) : {};
  }

  account(resolver: string): StoredAccount | undefined {
    const raw = this.data[resolver]?.Account;
    if (!raw?.PrivateKey) return undefined;
    return {
      email: raw.Email ?? '',
      url: raw.Registration?.uri || undefined,
      keyPem: decodeKey(raw.PrivateKey),
      registration: raw.Registration?.body,
    };
  }

  certificates(resolver: string): StoredCertificate[] {
    const out: StoredCertificate[] = [];
    for (const c of this.data[resolver]?.Certificates ?? []) {
      if (!c.certificate || !c.key || !c.domain?.main) continue;
      out.push({
        main: c.domain.main,
        sans: c.domain.sans ?? [],
        certificate: unb64(c.certificate).toString('utf8'),
        key: unb64(c.key).toString('utf8'),
        store: c.Store || 'default',
      });
    }
    return out;
  }

  /** @throws SwitchyardError `PROVIDER_READ` when the file cannot be written (nothing is lost in memory). */
  saveAccount(resolver: string, account: StoredAccount): void {
    const entry = this.entry(resolver);
    entry.Account = {
      Email: account.email,
      Registration: account.url ? { body: account.registration ?? {}, uri: account.url } : null,
      PrivateKey: encodeKey(account.keyPem),
    };
    this.write();
  }

  /** Adds or replaces (same main domain) a certificate. @throws SwitchyardError `PROVIDER_READ` */
  saveCertificate(resolver: string, cert: StoredCertificate): void {
    const entry = this.entry(resolver);
    const kept = (entry.Certificates ?? []).filter((c) => c.domain?.main !== cert.main);
    kept.push({
      domain: { main: cert.main, ...(cert.sans.length > 0 ? { sans: cert.sans } : {}) },
      certificate: b64(cert.certificate),
      key: b64(cert.key),
      Store: cert.store,
    });
    entry.Certificates = kept;
    this.write();
  }

  private entry(resolver: string) {
    let entry = this.data[resolver];
    if (!entry) {
      entry = { Account: null, Certificates: [] };
      this.data[resolver] = entry;
    }
    return entry;
  }

  private write(): void {
    const tmp = `${this.path}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, `${JSON.stringify(this.data, null, 2)}\n`, { mode: 0o600 });
      renameSync(tmp, this.path);
    } catch (err) {
      throw new SwitchyardError(
        'PROVIDER_READ',
        `ACME storage ${this.path} cannot be written: ${errorMessage(err)}`,
        {
          cause: err,
        },
      );
    }
  }
}

function parse(path: string): RawFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new SwitchyardError('CONFIG_INVALID', `ACME storage ${path} cannot be read: ${errorMessage(err)}`);
  }
  if (text.trim() === '') return {};
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new SwitchyardError(
      'CONFIG_INVALID',
      `ACME storage ${path} is not valid JSON: ${errorMessage(err)}`,
    );
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new SwitchyardError('CONFIG_INVALID', `ACME storage ${path}: expected an object of resolvers`);
  }
  for (const [name, entry] of Object.entries(data)) {
    if (entry !== null && (typeof entry !== 'object' || Array.isArray(entry))) {
      throw new SwitchyardError(
        'CONFIG_INVALID',
        `ACME storage ${path}: resolver "${name}" is not an object`,
      );
    }
    const certs = (entry as { Certificates?: unknown } | null)?.Certificates;
    if (certs !== undefined && certs !== null && !Array.isArray(certs)) {
      throw new SwitchyardError('CONFIG_INVALID', `ACME storage ${path}: ${name}.Certificates is not a list`);
    }
  }
  return data as RawFile;
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
