import { type Item, usePoll } from './api';
import { LiveCharts } from './charts';

export type Kind = 'routers' | 'services' | 'middlewares' | 'entrypoints';

const ENDPOINT: Record<Kind, string> = {
  routers: 'http/routers',
  services: 'http/services',
  middlewares: 'http/middlewares',
  entrypoints: 'entrypoints',
};
const TITLE: Record<Kind, string> = {
  routers: 'HTTP routers',
  services: 'HTTP services',
  middlewares: 'HTTP middlewares',
  entrypoints: 'Entrypoints',
};

const link = (kind: Kind, name: string) => `#/${kind}/${encodeURIComponent(name)}`;

export function Status({ status }: { status?: string }) {
  if (!status) return null;
  return <span class={`status ${status}`}>{status}</span>;
}

function Errors({ item }: { item: Item }) {
  if (!item.error?.length) return null;
  return (
    <ul class="errors">
      {item.error.map((e) => (
        <li key={e}>{e}</li>
      ))}
    </ul>
  );
}

interface Overview {
  http: Record<string, { total: number; warnings: number; errors: number }>;
  features: { tracing: string; metrics: string; accessLog: boolean };
  providers: string[];
}

export function OverviewPage() {
  const { data, error } = usePoll<Overview>('overview');
  const eps = usePoll<Item[]>('entrypoints').data ?? [];
  if (!data) return <p class="muted">{error ?? 'Loading…'}</p>;
  return (
    <section>
      <h1>Overview</h1>
      <div class="cards">
        {(['routers', 'services', 'middlewares'] as const).map((k) => {
          const c = data.http[k] ?? { total: 0, warnings: 0, errors: 0 };
          return (
            <a class="card" href={`#/${k}`} key={k} data-testid={`card-${k}`}>
              <h2>{TITLE[k]}</h2>
              <p class="big">{c.total}</p>
              <p>
                <span class="status enabled">{c.total - c.warnings - c.errors} ok</span>{' '}
                <span class="status warning">{c.warnings} warnings</span>{' '}
                <span class="status disabled">{c.errors} errors</span>
              </p>
            </a>
          );
        })}
      </div>
      <h2>Traffic per entrypoint</h2>
      {eps.map((ep) => (
        <div class="traffic" key={ep.name}>
          <h3>
            <a href={link('entrypoints', ep.name)}>{ep.name}</a>{' '}
            <span class="muted">{String(ep.address)}</span>
          </h3>
          <LiveCharts kind="entryPoints" name={ep.name} />
        </div>
      ))}
      <h2>Features</h2>
      <p>
        Metrics: {data.features.metrics || 'off'} · Tracing: {data.features.tracing || 'off'} · Access log:{' '}
        {data.features.accessLog ? 'on' : 'off'} · Providers: {data.providers.join(', ') || 'none'}
      </p>
    </section>
  );
}

function summary(kind: Kind, item: Item): string {
  if (kind === 'routers') return String(item.rule ?? '');
  if (kind === 'services') return String(item.type ?? '');
  if (kind === 'middlewares') return String(item.type ?? '');
  return String(item.address ?? '');
}

export function ListPage({ kind, search }: { kind: Kind; search: string }) {
  const q = search ? `?search=${encodeURIComponent(search)}` : '';
  const { data, error } = usePoll<Item[]>(`${ENDPOINT[kind]}${q}`);
  return (
    <section>
      <h1>{TITLE[kind]}</h1>
      {error && <p class="errors">{error}</p>}
      <table class="list" data-testid={`list-${kind}`}>
        <thead>
          <tr>
            <th>Status</th>
            <th>Name</th>
            <th>{kind === 'routers' ? 'Rule' : kind === 'entrypoints' ? 'Address' : 'Type'}</th>
            <th>Provider</th>
          </tr>
        </thead>
        <tbody>
          {(data ?? []).map((item) => (
            <tr key={item.name}>
              <td>
                <Status status={item.status} />
              </td>
              <td>
                <a href={link(kind, item.name)}>{item.name}</a>
              </td>
              <td class="mono">{summary(kind, item)}</td>
              <td>{item.provider ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {data && data.length === 0 && <p class="muted">Nothing here{search ? ` matches “${search}”` : ''}.</p>}
    </section>
  );
}

function Chain({ router }: { router: Item }) {
  const mws = (router.middlewares as string[] | undefined) ?? [];
  return (
    <ol class="chain" data-testid="chain">
      {((router.using as string[] | undefined) ?? []).map((ep) => (
        <li class="node ep" key={`ep-${ep}`}>
          <a href={link('entrypoints', ep)}>{ep}</a>
        </li>
      ))}
      <li class="node router">{router.name}</li>
      {mws.map((m, i) => (
        <li class="node mw" key={`${m}-${i}`}>
          <a href={link('middlewares', qualify(m, router))}>{m}</a>
        </li>
      ))}
      <li class="node svc">
        <a href={link('services', qualify(String(router.service ?? ''), router))}>
          {String(router.service ?? '')}
        </a>
      </li>
    </ol>
  );
}

const qualify = (name: string, owner: Item) =>
  name.includes('@') || !owner.provider ? name : `${name}@${owner.provider}`;

function Servers({ service }: { service: Item }) {
  const status = (service.serverStatus as Record<string, string> | undefined) ?? {};
  const lb = service.loadBalancer as { servers?: { url: string; weight?: number }[] } | undefined;
  const urls = lb?.servers?.map((s) => s.url) ?? Object.keys(status);
  if (urls.length === 0) return null;
  return (
    <table class="list" data-testid="servers">
      <thead>
        <tr>
          <th>Server</th>
          <th>Health</th>
        </tr>
      </thead>
      <tbody>
        {urls.map((u) => (
          <tr key={u}>
            <td class="mono">{u}</td>
            <td>
              <span class={`status ${status[u] === 'DOWN' ? 'disabled' : 'enabled'}`}>
                {status[u] ?? 'UP'}
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function DetailPage({ kind, name }: { kind: Kind; name: string }) {
  const { data, error } = usePoll<Item>(`${ENDPOINT[kind]}/${encodeURIComponent(name)}`);
  if (!data) return <p class="muted">{error ?? 'Loading…'}</p>;
  const users = (data.usedBy as string[] | undefined) ?? [];
  return (
    <section>
      <p>
        <a href={`#/${kind}`}>← {TITLE[kind]}</a>
      </p>
      <h1>
        {data.name} <Status status={data.status} />
      </h1>
      <Errors item={data} />
      {kind === 'routers' && <Chain router={data} />}
      {kind === 'services' && <Servers service={data} />}
      {kind === 'routers' && <LiveCharts kind="routers" name={data.name} />}
      {kind === 'services' && <LiveCharts kind="services" name={data.name} />}
      {kind === 'entrypoints' && <LiveCharts kind="entryPoints" name={data.name} />}
      {users.length > 0 && (
        <p>
          Used by:{' '}
          {users.map((u) => (
            <a class="tag" href={link('routers', u)} key={u}>
              {u}
            </a>
          ))}
        </p>
      )}
      <h2>Configuration</h2>
      <pre class="config">{JSON.stringify(data, null, 2)}</pre>
    </section>
  );
}
