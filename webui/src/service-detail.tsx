import type { Item } from './api';
import { LiveCharts } from './charts';
import {
  type Kind,
  link,
  type Obj,
  Options,
  Panel,
  protocolOf,
  qualify,
  Row,
  sibling,
  strings,
  UsedBy,
  Value,
} from './format';

function Servers({ service }: { service: Item }) {
  const status = (service.serverStatus as Record<string, string> | undefined) ?? {};
  const lb = service.loadBalancer as
    | { servers?: { url?: string; address?: string; weight?: number }[] }
    | undefined;
  // HTTP servers have a URL, TCP and UDP ones an address.
  type Server = { url?: string; address?: string; weight?: number };
  const listed: Server[] = lb?.servers ?? Object.keys(status).map((url) => ({ url }));
  const servers = listed.map((s) => ({ url: s.url ?? s.address ?? '', weight: s.weight }));
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
function Composite({ service, kind }: { service: Item; kind: Kind }) {
  const weighted = service.weighted as { services?: { name: string; weight?: number }[] } | undefined;
  const mirroring = service.mirroring as
    | { service?: string; mirrors?: { name: string; percent?: number }[] }
    | undefined;
  const failover = service.failover as { service?: string; fallback?: string } | undefined;
  const ref = (n: string | undefined) =>
    n ? <a href={link(kind, qualify(n, service))}>{n}</a> : <span class="muted">—</span>;
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

/** A TCP or UDP load balancer: its options besides the servers (transport, PROXY protocol, health check). */
function StreamLoadBalancer({ lb }: { lb: Obj }) {
  const { servers: _servers, ...rest } = lb;
  if (Object.keys(rest).length === 0) return null;
  return (
    <Panel title="Load balancer" testid="lb-panel">
      <Options options={rest} />
    </Panel>
  );
}

export function ServiceDetail({ data, kind }: { data: Item; kind: Kind }) {
  const lb = data.loadBalancer as Obj | undefined;
  const http = protocolOf(kind) === 'http';
  return (
    <>
      <Panel title="Service" testid="service-panel">
        <Row label="Type">{String(data.type ?? '')}</Row>
        <Row label="Provider">{data.provider ?? ''}</Row>
        <Row label="Used by">
          <UsedBy users={strings(data.usedBy)} kind={sibling(kind, 'routers')} />
        </Row>
      </Panel>
      {lb && (http ? <LoadBalancer lb={lb} /> : <StreamLoadBalancer lb={lb} />)}
      {lb && (
        <>
          <h2>Servers</h2>
          <Servers service={data} />
        </>
      )}
      <Composite service={data} kind={kind} />
      {http && (
        <>
          <h2>Traffic</h2>
          <LiveCharts kind="services" name={data.name} />
        </>
      )}
    </>
  );
}
