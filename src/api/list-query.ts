import type { ApiObject } from './present.js';

/** The answer of a list endpoint: a page of items, the next page number, or a 400 message. */
export type ListResult = { items: ApiObject[]; nextPage: number } | { error: string };

const SORTABLE = new Set([
  'name',
  'status',
  'provider',
  'priority',
  'rule',
  'type',
  'address',
  'service',
  'tls',
  'entryPoints',
  'servers',
]);

/** What a column sorts by: the field itself, or for lists and objects something comparable. */
function sortValue(item: ApiObject, key: string): unknown {
  if (key === 'tls') return item.tls ? 1 : 0;
  if (key === 'entryPoints') return ((item.entryPoints as string[] | undefined) ?? []).join(',');
  if (key === 'servers') {
    const lb = item.loadBalancer as { servers?: unknown[] } | undefined;
    return lb?.servers?.length ?? 0;
  }
  return item[key];
}

/**
 * Filters, sorts and paginates a list as Traefik does: `search` (case-insensitive, in the name and for
 * routers the rule), `status`, `serviceName` and `middlewareName` (routers), `sortBy`/`direction`, then
 * `page` (from 1) and `per_page` (100). `nextPage` is 1 when there is no next page.
 */
export function queryList(items: ApiObject[], params: URLSearchParams): ListResult {
  const search = params.get('search')?.toLowerCase() ?? '';
  const status = params.get('status') ?? '';
  const serviceName = params.get('serviceName') ?? '';
  const middlewareName = params.get('middlewareName') ?? '';
  let out = items.filter((item) => {
    if (status !== '' && item.status !== status) return false;
    if (search !== '') {
      const hay = `${item.name} ${typeof item.rule === 'string' ? item.rule : ''}`.toLowerCase();
      if (!hay.includes(search)) return false;
    }
    if (serviceName !== '' && !sameService(String(item.service ?? ''), serviceName)) return false;
    if (middlewareName !== '') {
      const mws = (item.middlewares as string[] | undefined) ?? [];
      if (!mws.some((m) => m === middlewareName || m.startsWith(`${middlewareName}@`))) return false;
    }
    return true;
  });
  const sortBy = SORTABLE.has(params.get('sortBy') ?? '') ? params.get('sortBy')! : 'name';
  const dir = params.get('direction') === 'desc' ? -1 : 1;
  out = out.sort(
    (a, b) => dir * compare(sortValue(a, sortBy), sortValue(b, sortBy)) || compare(a.name, b.name),
  );

  const page = intParam(params.get('page'), 1);
  const perPage = intParam(params.get('per_page'), 100);
  if (page === undefined || perPage === undefined || page < 1 || perPage < 1)
    return { error: `invalid request: page: ${params.get('page')}, per_page: ${params.get('per_page')}` };
  const start = (page - 1) * perPage;
  if (start >= out.length && out.length > 0)
    return { error: `invalid request: page: ${page}, per_page: ${perPage}` };
  const end = start + perPage;
  return { items: out.slice(start, end), nextPage: end < out.length ? page + 1 : 1 };
}

/**
 * Traefik's `serviceName` filter: a qualified service matches exactly, an unqualified one (as written in
 * a router) matches the name before `@`; also `app` finds `app@file` here.
 */
function sameService(service: string, wanted: string): boolean {
  if (service === wanted || service.startsWith(`${wanted}@`)) return true;
  return !service.includes('@') && service === wanted.split('@')[0];
}

function intParam(value: string | null, fallback: number): number | undefined {
  if (value === null || value === '') return fallback;
  return /^\d+$/.test(value) ? Number(value) : undefined;
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a ?? '').localeCompare(String(b ?? ''));
}
