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
  private previous = new Map<string, Fingerprint>();

  constructor(private readonly limit = HISTORY_LENGTH) {}

  record(generation: number, runtime: RuntimeConfig, at: Date = new Date()): HistoryEntry {
    const now = fingerprints(runtime, this.previous);
    const added: string[] = [];
    const changed: string[] = [];
    for (const [key, print] of now) {
      const before = this.previous.get(key);
      if (before === undefined) added.push(key);
      else if (before.json !== print.json || before.state !== print.state) changed.push(key);
    }
    const removed = [...this.previous.keys()].filter((k) => !now.has(k));
    const failed = [...elements(runtime)]
      .filter(([, el]) => el.status === 'disabled')
      .map(([key, el]) => ({ element: key, errors: [...el.errors] }));
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

/** Every element of a runtime, keyed `section.kind.name`. */
function* elements(runtime: RuntimeConfig): Generator<[string, RuntimeElement]> {
  const sections: [string, Record<string, Record<string, RuntimeElement>> | undefined][] = [
    ['http', runtime as unknown as Record<string, Record<string, RuntimeElement>>],
    ['tcp', runtime.tcp as unknown as Record<string, Record<string, RuntimeElement>> | undefined],
    ['udp', runtime.udp as unknown as Record<string, Record<string, RuntimeElement>> | undefined],
  ];
  for (const [section, kinds] of sections) {
    if (!kinds) continue;
    for (const kind of ['routers', 'services', 'middlewares']) {
      for (const [name, el] of Object.entries(kinds[kind] ?? {})) yield [`${section}.${kind}.${name}`, el];
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
 * The fingerprint of every element. The JSON of a frozen configuration that is the very same object as
 * in the previous generation is taken from there: the watcher hands the same frozen object for an
 * element that did not change, so a change of one router of 10,000 serializes one router.
 */
function fingerprints(runtime: RuntimeConfig, previous: Map<string, Fingerprint>): Map<string, Fingerprint> {
  const out = new Map<string, Fingerprint>();
  for (const [key, el] of elements(runtime)) {
    const before = previous.get(key);
    const config = el.config ?? null;
    const json =
      before &&
      before.config === config &&
      typeof config === 'object' &&
      config !== null &&
      Object.isFrozen(config)
        ? before.json
        : JSON.stringify(config);
    const state =
      el.status === 'enabled' && el.errors.length === 0 ? ENABLED : JSON.stringify([el.status, el.errors]);
    out.set(key, { config, json, state });
  }
  return out;
}
