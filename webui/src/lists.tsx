import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { type Item, usePoll } from './api';
import { ENDPOINT, type Kind, link, qualify, Status, sibling, strings, TITLE } from './format';

interface Column {
  label: string;
  /** The API's `sortBy` for this column; absent: not sortable. */
  sort?: string;
  cell: (item: Item) => JSX.Element | string;
}

const nameCell = (kind: Kind) => (item: Item) => <a href={link(kind, item.name)}>{item.name}</a>;
const statusCol: Column = { label: 'Status', sort: 'status', cell: (i) => <Status status={i.status} /> };
const providerCol: Column = { label: 'Provider', sort: 'provider', cell: (i) => i.provider ?? '' };
const typeCol: Column = { label: 'Type', sort: 'type', cell: (i) => String(i.type ?? '') };

const tlsCol: Column = {
  label: 'TLS',
  sort: 'tls',
  cell: (i) => (i.tls ? <span class="tls on">TLS</span> : <span class="muted">—</span>),
};
const ruleCol: Column = {
  label: 'Rule',
  sort: 'rule',
  cell: (i) => <span class="mono">{String(i.rule ?? '')}</span>,
};
const entryPointsCol: Column = {
  label: 'Entrypoints',
  sort: 'entryPoints',
  cell: (i) => strings(i.using ?? i.entryPoints).join(', '),
};
const serviceCol = (services: Kind): Column => ({
  label: 'Service',
  sort: 'service',
  cell: (i) =>
    i.service ? <a href={link(services, qualify(String(i.service), i))}>{String(i.service)}</a> : '',
});
const priorityCol: Column = { label: 'Priority', sort: 'priority', cell: (i) => String(i.priority ?? '') };
const serversCol: Column = {
  label: 'Servers',
  sort: 'servers',
  cell: (i) => {
    const lb = i.loadBalancer as { servers?: unknown[] } | undefined;
    return lb?.servers ? String(lb.servers.length) : '';
  },
};

const routers = (kind: Kind, withRule: boolean): Column[] => [
  statusCol,
  ...(withRule ? [tlsCol, ruleCol] : []),
  entryPointsCol,
  { label: 'Name', sort: 'name', cell: nameCell(kind) },
  serviceCol(sibling(kind, 'services')),
  providerCol,
  ...(withRule ? [priorityCol] : []),
];
const services = (kind: Kind): Column[] => [
  statusCol,
  { label: 'Name', sort: 'name', cell: nameCell(kind) },
  typeCol,
  serversCol,
  providerCol,
];
const middlewares = (kind: Kind): Column[] => [
  statusCol,
  { label: 'Name', sort: 'name', cell: nameCell(kind) },
  typeCol,
  providerCol,
];

/** The columns Traefik's dashboard shows for each list (UDP routers have no rule, TLS or priority). */
const COLUMNS: Record<Kind, Column[]> = {
  routers: routers('routers', true),
  services: services('services'),
  middlewares: middlewares('middlewares'),
  'tcp/routers': routers('tcp/routers', true),
  'tcp/services': services('tcp/services'),
  'tcp/middlewares': middlewares('tcp/middlewares'),
  'udp/routers': routers('udp/routers', false),
  'udp/services': services('udp/services'),
  entrypoints: [
    { label: 'Name', sort: 'name', cell: nameCell('entrypoints') },
    { label: 'Address', sort: 'address', cell: (i) => <span class="mono">{String(i.address ?? '')}</span> },
    {
      label: 'Redirects to',
      cell: (i) => {
        const http = i.http as
          | { redirections?: { entryPoint?: { to?: string; scheme?: string } } }
          | undefined;
        const r = http?.redirections?.entryPoint;
        return r?.to ? `${r.to} (${r.scheme ?? 'https'})` : '';
      },
    },
    {
      label: 'TLS',
      cell: (i) => ((i.http as { tls?: unknown } | undefined)?.tls ? <span class="tls on">TLS</span> : ''),
    },
  ],
};

const TABS = [
  { label: 'All', status: '' },
  { label: 'Success', status: 'enabled' },
  { label: 'Warnings', status: 'warning' },
  { label: 'Errors', status: 'disabled' },
];

/** A list with status filter tabs and sortable columns; filtering and sorting are done by the API. */
export function ListPage({ kind, search }: { kind: Kind; search: string }) {
  const [status, setStatus] = useState('');
  const [sort, setSort] = useState({ by: 'name', desc: false });
  const params = new URLSearchParams();
  if (search) params.set('search', search);
  if (status) params.set('status', status);
  params.set('sortBy', sort.by);
  params.set('direction', sort.desc ? 'desc' : 'asc');
  const { data, error } = usePoll<Item[]>(`${ENDPOINT(kind)}?${params}`);
  const columns = COLUMNS[kind];
  const toggle = (by: string) => setSort((s) => ({ by, desc: s.by === by ? !s.desc : false }));
  return (
    <section>
      <h1>{TITLE(kind)}</h1>
      {kind !== 'entrypoints' && (
        <div class="tabs" role="tablist" data-testid="status-tabs">
          {TABS.map((t) => (
            <button
              type="button"
              role="tab"
              key={t.label}
              aria-selected={status === t.status}
              class={status === t.status ? 'active' : ''}
              onClick={() => setStatus(t.status)}
            >
              {t.label}
            </button>
          ))}
        </div>
      )}
      {error && <p class="errors">{error}</p>}
      <table class="list" data-testid={`list-${kind.replace('/', '-')}`}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th
                key={c.label}
                aria-sort={sort.by === c.sort ? (sort.desc ? 'descending' : 'ascending') : undefined}
              >
                {c.sort ? (
                  <button type="button" class="sort" onClick={() => toggle(c.sort!)}>
                    {c.label}
                    <span class="arrow">{sort.by === c.sort ? (sort.desc ? ' ▼' : ' ▲') : ''}</span>
                  </button>
                ) : (
                  c.label
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {(data ?? []).map((item) => (
            <tr key={item.name}>
              {columns.map((c) => (
                <td key={c.label}>{c.cell(item)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {data && data.length === 0 && <p class="muted">Nothing here{search ? ` matches “${search}”` : ''}.</p>}
    </section>
  );
}
