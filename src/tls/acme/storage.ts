import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { errorMessage, SwitchyardError } from '../../core/errors.js';
import {
  decodeAccount,
  decodeCertificate,
  encodeAccount,
  encodeCertificate,
  type RawAccount,
  type RawCertificate,
  type StoredAccount,
  type StoredCertificate,
} from './acme-json.js';
import type { AcmeStore, ChallengeKind, ChallengeListener } from './store-contract.js';

export type { StoredAccount, StoredCertificate } from './acme-json.js';

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
type RawFile = Record<string, { Account?: RawAccount | null; Certificates?: RawCertificate[] | null } | null>;

/**
 * One `acme.json` file, read once and written back (atomically, mode 0600) on every change. Entries with an
 * empty certificate or key are dropped on read, as Traefik does.
 *
 * @throws SwitchyardError `CONFIG_INVALID` (constructor) when the file exists but is not an acme.json.
 */
export class AcmeStorage implements AcmeStore {
  private data: RawFile;
  /** Challenge answers: only this instance answers for its own orders. */
  private readonly challenges = new Map<string, string>();
  private readonly challengeListeners: ChallengeListener[] = [];

  constructor(readonly path: string) {
    this.data = existsSync(path) ? parse(path) : {};
  }

  readonly loaded = true;

  get description(): string {
    return this.path;
  }

  /** One instance per file: nobody else orders, the lock is always free. */
  async exclusive<T>(_name: string, fn: () => Promise<T>): Promise<{ done: true; value: T }> {
    return { done: true, value: await fn() };
  }

  async putChallenge(kind: ChallengeKind, key: string, value: string): Promise<void> {
    this.challenges.set(`${kind}\0${key}`, value);
    for (const l of this.challengeListeners) l(kind, key, value);
  }

  async deleteChallenge(kind: ChallengeKind, key: string): Promise<void> {
    if (this.challenges.delete(`${kind}\0${key}`))
      for (const l of this.challengeListeners) l(kind, key, undefined);
  }

  challenge(kind: ChallengeKind, key: string): string | undefined {
    return this.challenges.get(`${kind}\0${key}`);
  }

  async freshChallenge(kind: ChallengeKind, key: string): Promise<string | undefined> {
    return this.challenge(kind, key);
  }

  /** Nobody else writes the file while it is in use. */
  onChange(): void {}

  onChallenge(listener: ChallengeListener): void {
    this.challengeListeners.push(listener);
  }

  async close(): Promise<void> {}

  account(resolver: string): StoredAccount | undefined {
    return decodeAccount(this.data[resolver]?.Account);
  }

  certificates(resolver: string): StoredCertificate[] {
    const out: StoredCertificate[] = [];
    for (const raw of this.data[resolver]?.Certificates ?? []) {
      const c = decodeCertificate(raw);
      if (c) out.push(c);
    }
    return out;
  }

  /** @throws SwitchyardError `PROVIDER_READ` when the file cannot be written (nothing is lost in memory). */
  saveAccount(resolver: string, account: StoredAccount): void {
    const entry = this.entry(resolver);
    entry.Account = encodeAccount(account);
    this.write();
  }

  /** Adds or replaces (same main domain) a certificate. @throws SwitchyardError `PROVIDER_READ` */
  saveCertificate(resolver: string, cert: StoredCertificate): void {
    const entry = this.entry(resolver);
    const kept = (entry.Certificates ?? []).filter((c) => c.domain?.main !== cert.main);
    kept.push(encodeCertificate(cert));
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
