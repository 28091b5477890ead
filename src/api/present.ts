import type { TSchema } from '@sinclair/typebox';
import type { ExtensionSchemas } from '../config/dynamic/builtin-schemas.js';
import { HttpRouter, HttpService, type MiddlewareConfig } from '../config/dynamic/index.js';
import type {
  RuntimeConfig,
  RuntimeElement,
  RuntimeRouter,
  RuntimeService,
  RuntimeTls,
} from '../config/runtime/runtime-config.js';
import { type RedactOptions, redact } from '../config/schema/redact.js';
import { type EntryPointConfig, EntryPointSchema } from '../config/static/index.js';
import { pluginOf } from '../plugins/info.js';
import { goDuration } from './go-duration.js';
import { routerTlsView } from './tls-view.js';

/** Traefik-shaped JSON objects of the API, built from the RuntimeConfig with every secret redacted. */
export type ApiObject = Record<string, unknown> & { name: string; status?: string };

/** `error` (when there are errors) and `status`, as every element of Traefik's API carries them. */
export function statusFields(el: RuntimeElement): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (el.errors.length > 0) out.error = [...el.errors];
  out.status = el.status;
  return out;
}

/** Secrets become `xxxx`; durations are shown as Traefik shows them, in Go syntax (`10s`, `1m30s`). */
const API_VIEW: RedactOptions = { duration: goDuration };

export function redacted(schema: TSchema, value: unknown): Record<string, unknown> {
  if (value === undefined || value === null || typeof value !== 'object') return {};
  return redact(schema, value, API_VIEW) as Record<string, unknown>;
}

/** A router as Traefik's API shows it (`schema`: TCP routers pass theirs). */
export function presentRouter(r: RuntimeRouter, schema: TSchema = HttpRouter, tls?: RuntimeTls): ApiObject {
  const config = redacted(schema, r.config);
  return {
    ...config,
    ...routerTlsView(r, config.tls, tls),
    entryPoints: (config.entryPoints as string[] | undefined) ?? r.entryPoints,
    priority: config.priority || r.priority,
    // Traefik ≥ 3.6 adds the priority as a string (a uint64 may exceed what JSON numbers hold exactly).
    priorityStr: String(config.priority || r.priority),
    ...statusFields(r),
    using: [...r.entryPoints],
    name: r.name,
    provider: r.provider,
  };
}

export function presentService(s: RuntimeService, schema: TSchema = HttpService): ApiObject {
  const config = redacted(schema, s.config);
  const type = Object.keys(config)[0]?.toLowerCase();
  const out: ApiObject = {
    ...config,
    ...statusFields(s),
    usedBy: [...s.usedBy],
    name: s.name,
    provider: s.provider,
  };
  if (s.serverStatus) out.serverStatus = { ...s.serverStatus };
  if (type) out.type = type;
  return out;
}

export function presentMiddleware(
  m: RuntimeElement,
  types: { get(type: string): { schema: TSchema } | undefined },
): ApiObject {
  const mc = m.config as MiddlewareConfig | undefined;
  const out: ApiObject = { name: m.name };
  if (mc?.type) {
    const def = types.get(mc.type);
    const options = def?.schema ? redact(def.schema, mc.options, API_VIEW) : {};
    const plugin = pluginOf(def);
    if (plugin) {
      // As Traefik: `plugin: { <name>: options }`, type `plugin`; Switchyard adds where it came from.
      out.plugin = { [plugin.name]: options };
      out.type = 'plugin';
      out.pluginInfo = { ...plugin };
    } else {
      out[mc.type] = options;
      out.type = mc.type.toLowerCase();
    }
  }
  return { ...out, ...statusFields(m), usedBy: [...m.usedBy], name: m.name, provider: m.provider };
}

export function presentEntryPoint(name: string, ep: EntryPointConfig): ApiObject {
  return { ...(redact(EntryPointSchema, ep, API_VIEW) as Record<string, unknown>), name };
}

/** The three HTTP element kinds, presented. */
export function presentHttp(runtime: RuntimeConfig | undefined, schemas: ExtensionSchemas) {
  return {
    routers: Object.values(runtime?.routers ?? {}).map((r) => presentRouter(r, HttpRouter, runtime?.tls)),
    services: Object.values(runtime?.services ?? {}).map((s) => presentService(s)),
    middlewares: Object.values(runtime?.middlewares ?? {}).map((m) =>
      presentMiddleware(m, schemas.middlewares),
    ),
  };
}

/** `{ total, warnings, errors }` of one kind, as `/api/overview` counts it. */
export function countStatus(items: readonly { status?: string }[]) {
  let warnings = 0;
  let errors = 0;
  for (const i of items) {
    if (i.status === 'warning') warnings++;
    else if (i.status === 'disabled') errors++;
  }
  return { total: items.length, warnings, errors };
}
