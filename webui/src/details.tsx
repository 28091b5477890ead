import { type Item, usePoll } from './api';
import { LiveCharts } from './charts';
import {
  ENDPOINT,
  Errors,
  type Kind,
  link,
  Options,
  Panel,
  qualify,
  Row,
  Status,
  TITLE,
  UsedBy,
  Value,
} from './format';
import { RouterTrafficView } from './traffic';

const strings = (v: unknown) => (Array.isArray(v) ? (v as string[]) : []);
type Obj = Record<string, unknown>;

/** The options of a middleware as the API serves them: under the key named like its type. */
function middlewareOptions(mw: Item): [string, Obj] | undefined {
  const type = String(mw.type ?? '');
  const key = Object.keys(mw).find((k) => k.toLowerCase() === type);
  return key ? [key, (mw[key] as Obj | undefined) ?? {}] : undefined;
}

function Chain({ router }: { router: Item }) {
  const mws = strings(router.middlewares);
  return (
    <ol class="chain" data-testid="chain">
      {strings(router.using).map((ep) => (
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

/** Each middleware of the chain, in order, with its options. */
function ChainMiddlewares({ router }: { router: Item }) {
  const all = usePoll<Item[]>('http/middlewares?per_page=1000').data ?? [];
  const names = strings(router.middlewares).map((m) => qualify(m, router));
  if (names.length === 0) return null;
  return (
    <Panel title="Middlewares" testid="chain-middlewares">
      {names.map((n, i) => {
        const mw = all.find((m) => m.name === n);
        const opts = mw && middlewareOptions(mw);
        return (
          <div class="mw-step" key={`${n}-${i}`}>
            <h3>
              {i + 1}. <a href={link('middlewares', n)}>{n}</a> {opts && <span class="pill">{opts[0]}</span>}{' '}
              {mw && <Status status={mw.status} />}
            </h3>
            {mw ? opts && <Options options={opts[1]} /> : <span class="muted">not found</span>}
          </div>
        );
      })}
    </Panel>
  );
}

function RouterDetail({ data }: { data: Item }) {
  const service = qualify(String(data.service ?? ''), data);
  return (
    <>
      <Chain router={data} />
      <div class="panels">
        <Panel title="Router" testid="router-panel">
          <Row label="Rule">
            <span class="mono">{String(data.rule ?? '')}</span>
          </Row>
          <Row label="Priority">{String(data.priority ?? '')}</Row>
          <Row label="Entrypoints">
            {strings(data.using).map((ep) => (
              <a class="tag" href={link('entrypoints', ep)} key={ep}>
                {ep}
              </a>
            ))}
          </Row>
          <Row label="Service">
            <a href={link('services', service)}>{service}</a>
          </Row>
          <Row label="Provider">{data.provider ?? ''}</Row>
          {data.ruleSyntax !== undefined && <Row label="Rule syntax">{String(data.ruleSyntax)}</Row>}
        </Panel>
        <Panel title="TLS" testid="tls-panel">
          {data.tls ? (
            Object.keys(data.tls as Obj).length > 0 ? (
              <Options options={data.tls as Obj} />
            ) : (
              <p>HTTPS only, default TLS options and certificates.</p>
            )
          ) : (
            <p class="muted">No TLS: this router serves plain HTTP.</p>
          )}
        </Panel>
      </div>
      <ChainMiddlewares router={data} />
      <h2>Traffic</h2>
      <RouterTrafficView name={data.name} />
    </>
  );
}

function Servers({ service }: { service: Item }) {
  const status = (service.serverStatus as Record<string, string> | undefined) ?? {};
  const lb = service.loadBalancer as { servers?: { url: string; weight?: number }[] } | undefined;
  const servers = lb?.servers ?? Object.keys(status).map((url) => ({ url, weight: undefined }));
  if (servers.length === 0) return null;
  return (
    <table class="list" data-testid="servers">
      <thead>
        <tr>
          <th>Server</th>
          <th>Weight</th>
          <th>Health</th>
        </tr>
      </thead>
      <tbody>
        {servers.map((s) => (
          <tr key={s.url}>
            <td class="mono">{s.url}</td>
            <td>{s.weight ?? 1}</td>
            <td>
              <span class={`status ${status[s.url] === 'DOWN' ? 'disabled' : 'enabled'}`}>
                {status[s.url] ?? 'UP'}
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function LoadBalancer({ lb }: { lb: Obj }) {
  const sticky = (lb.sticky as { cookie?: Obj } | undefined)?.cookie;
  return (
    <div class="panels">
      <Panel title="Load balancer" testid="lb-panel">
        <Row label="Strategy">{String(lb.strategy ?? 'wrr')}</Row>
        <Row label="Pass host header">
          <Value value={lb.passHostHeader ?? true} />
        </Row>
        {lb.serversTransport !== undefined && (
          <Row label="Servers transport">{String(lb.serversTransport)}</Row>
        )}
        <Row label="Sticky sessions">{sticky ? <Options options={sticky} /> : 'off'}</Row>
      </Panel>
      <Panel title="Health check" testid="health-panel">
        {lb.healthCheck ? <Options options={lb.healthCheck as Obj} /> : <p class="muted">No active check.</p>}
        {lb.passiveHealthCheck !== undefined && (
          <>
            <h3>Passive</h3>
            <Options options={lb.passiveHealthCheck as Obj} />
          </>
        )}
      </Panel>
    </div>
  );
}

/** weighted, failover, mirroring: the services they use, each a link. */
function Composite({ service }: { service: Item }) {
  const weighted = service.weighted as { services?: { name: string; weight?: number }[] } | undefined;
  const mirroring = service.mirroring as
    | { service?: string; mirrors?: { name: string; percent?: number }[] }
    | undefined;
  const failover = service.failover as { service?: string; fallback?: string } | undefined;
  const ref = (n: string | undefined) =>
    n ? <a href={link('services', qualify(n, service))}>{n}</a> : <span class="muted">—</span>;
  if (weighted)
    return (
      <Panel title="Weighted services">
        {(weighted.services ?? []).map((s) => (
          <Row label={`weight ${s.weight ?? 1}`} key={s.name}>
            {ref(s.name)}
          </Row>
        ))}
      </Panel>
    );
  if (mirroring)
    return (
      <Panel title="Mirroring">
        <Row label="Main service">{ref(mirroring.service)}</Row>
        {(mirroring.mirrors ?? []).map((m) => (
          <Row label={`mirror ${m.percent ?? 0}%`} key={m.name}>
            {ref(m.name)}
          </Row>
        ))}
      </Panel>
    );
  if (failover)
    return (
      <Panel title="Failover">
        <Row label="Service">{ref(failover.service)}</Row>
        <Row label="Fallback">{ref(failover.fallback)}</Row>
      </Panel>
    );
  return null;
}

function ServiceDetail({ data }: { data: Item }) {
  const lb = data.loadBalancer as Obj | undefined;
  return (
    <>
      <Panel title="Service" testid="service-panel">
        <Row label="Type">{String(data.type ?? '')}</Row>
        <Row label="Provider">{data.provider ?? ''}</Row>
        <Row label="Used by">
          <UsedBy users={strings(data.usedBy)} />
        </Row>
      </Panel>
      {lb && <LoadBalancer lb={lb} />}
      {lb && (
        <>
          <h2>Servers</h2>
          <Servers service={data} />
        </>
      )}
      <Composite service={data} />
      <h2>Traffic</h2>
      <LiveCharts kind="services" name={data.name} />
    </>
  );
}

function MiddlewareDetail({ data }: { data: Item }) {
  const opts = middlewareOptions(data);
  return (
    <>
      <Panel title="Middleware" testid="middleware-panel">
        <Row label="Type">{opts?.[0] ?? String(data.type ?? '')}</Row>
        <Row label="Provider">{data.provider ?? ''}</Row>
        <Row label="Used by">
          <UsedBy users={strings(data.usedBy)} />
        </Row>
      </Panel>
      <Panel title="Options">
        {opts ? <Options options={opts[1]} testid="options" /> : <p class="muted">No options.</p>}
      </Panel>
    </>
  );
}

function EntryPointDetail({ data }: { data: Item }) {
  const { name: _n, address, ...rest } = data;
  return (
    <>
      <Panel title="Entrypoint">
        <Row label="Address">
          <span class="mono">{String(address ?? '')}</span>
        </Row>
      </Panel>
      <Panel title="Settings">
        <Options options={rest} />
      </Panel>
      <h2>Traffic</h2>
      <LiveCharts kind="entryPoints" name={data.name} />
    </>
  );
}

export function DetailPage({ kind, name }: { kind: Kind; name: string }) {
  const { data, error } = usePoll<Item>(`${ENDPOINT[kind]}/${encodeURIComponent(name)}`);
  if (!data) return <p class="muted">{error ?? 'Loading…'}</p>;
  return (
    <section>
      <p>
        <a href={`#/${kind}`}>← {TITLE[kind]}</a>
      </p>
      <h1>
        {data.name} <Status status={data.status} />
      </h1>
      <Errors item={data} />
      {kind === 'routers' && <RouterDetail data={data} />}
      {kind === 'services' && <ServiceDetail data={data} />}
      {kind === 'middlewares' && <MiddlewareDetail data={data} />}
      {kind === 'entrypoints' && <EntryPointDetail data={data} />}
      <details class="raw">
        <summary>Raw JSON</summary>
        <pre class="config">{JSON.stringify(data, null, 2)}</pre>
      </details>
    </section>
  );
}
