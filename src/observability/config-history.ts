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
  private previous = new Map<string, string>();

  constructor(private readonly limit = HISTORY_LENGTH) {}

  record(generation: number, runtime: RuntimeConfig, at: Date = new Date()): HistoryEntry {
    const now = fingerprints(runtime);
    const added: string[] = [];
    const changed: string[] = [];
    for (const [key, print] of now) {
      const before = this.previous.get(key);
      if (before === undefined) added.push(key);
      else if (before !== print) changed.push(key);
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

/**
 * The JSON of each frozen configuration element seen, by identity: the watcher hands the very same frozen
 * object for an element that did not change, so a change of one router of 10,000 serializes one.
 */
const configJson = new WeakMap<object, string>();

function jsonOf(config: unknown): string {
  if (typeof config !== 'object' || config === null || !Object.isFrozen(config))
    return JSON.stringify(config ?? null);
  let json = configJson.get(config);
  if (json === undefined) {
    json = JSON.stringify(config);
    configJson.set(config, json);
  }
  return json;
}

/** What identifies an element's content: its configuration and its status (`[config, status, errors]`). */
function fingerprints(runtime: RuntimeConfig): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, el] of elements(runtime))
    out.set(key, `[${jsonOf(el.config)},${JSON.stringify(el.status)},${JSON.stringify(el.errors)}]`);
  return out;
}
