import type { StoredAccount, StoredCertificate } from './acme-json.js';

/** Challenge answers kept for every instance: HTTP-01 by token, TLS-ALPN-01 by domain. */
export type ChallengeKind = 'http' | 'alpn';

/** A challenge answer appeared (`value`) or went away (`undefined`). */
export type ChallengeListener = (kind: ChallengeKind, key: string, value: string | undefined) => void;

/**
 * Where a resolver keeps its account, certificates and pending challenge answers: Traefik's `acme.json`
 * (`AcmeStorage`), or etcd/Redis shared by several instances (`SharedAcmeStorage`). Reads are synchronous
 * (what the instance serves); writes may go over the network.
 */
export interface AcmeStore {
  /** Where it is, for messages. */
  readonly description: string;
  /** False until the store has been read (nothing is ordered before: it may already be there). */
  readonly loaded: boolean;
  account(resolver: string): StoredAccount | undefined;
  certificates(resolver: string): StoredCertificate[];
  /** @throws SwitchyardError `PROVIDER_READ` when it cannot be written (nothing is lost in memory). */
  saveAccount(resolver: string, account: StoredAccount): void | Promise<void>;
  /** Adds or replaces (same main domain) a certificate. @throws SwitchyardError `PROVIDER_READ` */
  saveCertificate(resolver: string, cert: StoredCertificate): void | Promise<void>;
  /**
   * Runs `fn` holding the lock `name` among every instance sharing the store; `{ done: false }` without
   * running it when another instance holds it.
   */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<{ done: true; value: T } | { done: false }>;
  putChallenge(kind: ChallengeKind, key: string, value: string): Promise<void>;
  deleteChallenge(kind: ChallengeKind, key: string): Promise<void>;
  /** A challenge answer known here now. */
  challenge(kind: ChallengeKind, key: string): string | undefined;
  /** A challenge answer, asking the store itself when this instance has not seen it yet. */
  freshChallenge(kind: ChallengeKind, key: string): Promise<string | undefined>;
  /** Called when another instance changed the certificates (or the store was read again). */
  onChange(listener: () => void): void;
  /** Called for each challenge answer put or deleted, by this instance or (shared store) another one. */
  onChallenge(listener: ChallengeListener): void;
  close(): Promise<void>;
}
