import type { ObtainedCertificate } from '../tls/acme/challenge-routes.js';
import type { CertPair } from '../tls/index.js';
import type { MergedConfig } from '../watcher/index.js';

/** One configuration generation as the primary built it: what a worker rebuilds its graph from. */
export interface ConfigSnapshot {
  number: number;
  merged: MergedConfig;
  /** Certificates obtained by the primary's ACME resolvers, inline PEM. */
  certificates: ObtainedCertificate[];
  /** The generated default certificate: one for the whole instance, so every worker serves the same. */
  defaultCertificate: CertPair;
  /** Every server's last active health result: `[service, url, up]`. */
  health: [string, string, boolean][];
  routers: number;
}

/** Primary → worker. */
export type ToWorker =
  | { sy: 'config'; snapshot: ConfigSnapshot }
  | { sy: 'health'; service: string; url: string; up: boolean }
  /** Another worker benched this server (passive health check) until `until` (ms since epoch). */
  | { sy: 'bench'; service: string; url: string; until: number }
  | { sy: 'reply'; id: number; value?: unknown; error?: string }
  | { sy: 'collect'; id: number; what: 'metrics' | 'stats' }
  /** A TLS-ALPN-01 challenge answer of the primary's ACME resolvers (`answer` absent: it is over). */
  | { sy: 'alpn'; name: string; answer?: string }
  | { sy: 'reopen' }
  | { sy: 'shutdown' };

/** Worker → primary. */
export type ToPrimary =
  /** Started: asks for the newest generation, applied before listening. */
  | { sy: 'hello' }
  | { sy: 'listening'; entryPoints: Record<string, string> }
  | { sy: 'applied'; number: number }
  | { sy: 'take'; id: number; bucket: string; rate: number; burst: number; maxDelay: number; key: string }
  | { sy: 'acquire'; id: number; counter: string; amount: number; key: string }
  | { sy: 'release'; counter: string; key: string }
  /** This worker benched a server (passive health check): every other worker does the same. */
  | { sy: 'bench'; service: string; url: string; until: number }
  | { sy: 'gather'; id: number; what: 'metrics' | 'stats' }
  /** The key authorization of an HTTP-01 token (replied `undefined` when unknown). */
  | { sy: 'acme-http'; id: number; token: string }
  | { sy: 'collected'; id: number; value: unknown };

export function isToPrimary(m: unknown): m is ToPrimary {
  return typeof m === 'object' && m !== null && typeof (m as { sy?: unknown }).sy === 'string';
}

export const isToWorker = isToPrimary as unknown as (m: unknown) => m is ToWorker;
