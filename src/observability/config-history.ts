import type { RuntimeConfig, RuntimeElement } from '../config/runtime/runtime-config.js';

/** One applied configuration generation, as the dashboard's history shows it (`/api/history`). */
export interface HistoryEntry {
  generation: number;
  /** When it was swapped in (ISO 8601). */
  appliedAt: string;
  /** Elements as `http.routers.api@file`, compared with the previous generation. */
  added: string[];
  removed: string[];
  changed: string[];
  /** Elements left out or disabled in this generation, with why. */
  failed: { element: string; errors: string[] }[];
  /** Problems not tied to one element (a provider source, a certificate). */
  other: string[];
  routers: number;
  services: number;
  middlewares: number;
}

/** How many generations are kept. */
export const HISTORY_LENGTH = 30;

/**
 * The last generations applied, newest first, with what changed from one to the next. Fed once per
 * swap: the cost (a JSON form of each element) is paid at reload, never per request.
 */
export class ConfigHistory {
  private readonly list: HistoryEntry[] = [];
  /** The last generation's fingerprints, per `section.kind` (`http.routers`), then per element name. */
  private previous: Prints = new Map();

  constructor(private readonly limit = HISTORY_LENGTH) {}

  record(generation: number, runtime: RuntimeConfig, at: Date = new Date()): HistoryEntry {
    // One pass over the elements, keyed without building a `section.kind.name` string for each: the
    // strings are made only for what is listed (added, changed, removed, failed).
    const now: Prints = new Map();
    const added: string[] = [];
    const changed: string[] = [];
    const removed: string[] = [];
    const failed: HistoryEntry['failed'] = [];
    for (const [group, kind] of kinds(runtime)) {
      const before = this.previous.get(group) ?? new Map<string, Fingerprint>();
      const prints = new Map<string, Fingerprint>();
      now.set(group, prints);
      for (const name in kind) {
        const el = kind[name]!;
        const old = before.get(name);
        const print = fingerprint(el, old);
        prints.set(name, print);
        if (old === undefined) added.push(`${group}.${name}`);
        else if (old !== print && (old.json !== print.json || old.state !== print.state))
          changed.push(`${group}.${name}`);
        if (el.status === 'disabled') failed.push({ element: `${group}.${name}`, errors: [...el.errors] });
      }
    }
    for (const [group, before] of this.previous) {
      const prints = now.get(group);
      for (const name of before.keys()) if (!prints?.has(name)) removed.push(`${group}.${name}`);
    }
    const entry: HistoryEntry = {
      generation,
      appliedAt: at.toISOString(),
      added: added.sort(),
      removed: removed.sort(),
      changed: changed.sort(),
      failed,
      other: runtime.other.map((o) => `${o.source}: ${o.message}`),
      routers: Object.keys(runtime.routers).length,
      services: Object.keys(runtime.services).length,
      middlewares: Object.keys(runtime.middlewares).length,
    };
    this.previous = now;
    this.list.unshift(entry);
    if (this.list.length > this.limit) this.list.length = this.limit;
    return entry;
  }

  /** Newest first. */
  entries(): HistoryEntry[] {
    return [...this.list];
  }
}

type Prints = Map<string, Map<string, Fingerprint>>;

/** Every kind of element of a runtime, as `section.kind` (`http.routers`) and its elements by name. */
function* kinds(runtime: RuntimeConfig): Generator<[string, Record<string, RuntimeElement>]> {
  const sections: [string, Record<string, Record<string, RuntimeElement>> | undefined][] = [
    ['http', runtime as unknown as Record<string, Record<string, RuntimeElement>>],
    ['tcp', runtime.tcp as unknown as Record<string, Record<string, RuntimeElement>> | undefined],
    ['udp', runtime.udp as unknown as Record<string, Record<string, RuntimeElement>> | undefined],
  ];
  for (const [section, byKind] of sections) {
    if (!byKind) continue;
    for (const kind of ['routers', 'services', 'middlewares']) {
      const elements = byKind[kind];
      if (elements) yield [`${section}.${kind}`, elements];
    }
  }
}

/** What identifies an element's content: its configuration's JSON, and its status and errors. */
interface Fingerprint {
  config: unknown;
  json: string;
  state: string;
}

const ENABLED = JSON.stringify(['enabled', []]);

/**
 * An element's fingerprint. The JSON of a frozen configuration that is the very same object as in the
 * previous generation is taken from there (the previous fingerprint itself when the state is the same
 * too): the watcher hands the same frozen object for an element that did not change, so a change of
 * one router of 10,000 serializes one router.
 */
function fingerprint(el: RuntimeElement, before: Fingerprint | undefined): Fingerprint {
  const config = el.config ?? null;
  const state =
    el.status === 'enabled' && el.errors.length === 0 ? ENABLED : JSON.stringify([el.status, el.errors]);
  const same =
    before !== undefined &&
    before.config === config &&
    typeof config === 'object' &&
    config !== null &&
    Object.isFrozen(config);
  if (same && before.state === state) return before;
  return { config, json: same ? before.json : JSON.stringify(config), state };
}
