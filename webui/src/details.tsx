import { type Item, usePoll } from './api';
import { LiveCharts } from './charts';
import {
  baseOf,
  ENDPOINT,
  Errors,
  type Kind,
  link,
  type Obj,
  Options,
  Panel,
  protocolOf,
  qualify,
  Row,
  Status,
  sibling,
  strings,
  TITLE,
  UsedBy,
} from './format';
import { ServiceDetail } from './service-detail';
import { RouterTrafficView } from './traffic';

/** The options of a middleware as the API serves them: under the key named like its type. */
function middlewareOptions(mw: Item): [string, Obj] | undefined {
  const type = String(mw.type ?? '');
  const key = Object.keys(mw).find((k) => k.toLowerCase() === type);
  return key ? [key, (mw[key] as Obj | undefined) ?? {}] : undefined;
}

function Chain({ router, kind }: { router: Item; kind: Kind }) {
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
          <a href={link(sibling(kind, 'middlewares'), qualify(m, router))}>{m}</a>
        </li>
      ))}
      <li class="node svc">
        <a href={link(sibling(kind, 'services'), qualify(String(router.service ?? ''), router))}>
          {String(router.service ?? '')}
        </a>
      </li>
    </ol>
  );
}

/** Each middleware of the chain, in order, with its options. */
function ChainMiddlewares({ router, kind }: { router: Item; kind: Kind }) {
  const middlewares = sibling(kind, 'middlewares');
  const all = usePoll<Item[]>(`${ENDPOINT(middlewares)}?per_page=1000`).data ?? [];
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
              {i + 1}. <a href={link(middlewares, n)}>{n}</a> {opts && <span class="pill">{opts[0]}</span>}{' '}
              {mw && <Status status={mw.status} />}
            </h3>
            {mw ? opts && <Options options={opts[1]} /> : <span class="muted">not found</span>}
          </div>
        );
      })}
    </Panel>
  );
}

/** The certificate served for the router's host: subject, names, expiry, resolver. */
function Certificate({ cert }: { cert: Obj | undefined }) {
  if (!cert) return null;
  const notAfter = new Date(String(cert.notAfter));
  const days = Math.floor((notAfter.getTime() - Date.now()) / 86_400_000);
  return (
    <div data-testid="tls-certificate">
      <Row label="Certificate">{String(cert.subject || '(no subject)')}</Row>
      <Row label="Names">{strings(cert.sans).join(', ')}</Row>
      <Row label="Expires">{`${notAfter.toISOString().slice(0, 10)} (${days} days)`}</Row>
      <Row label="Resolver">
        {cert.resolver ? String(cert.resolver) : cert.default ? 'default certificate' : 'file'}
      </Row>
    </div>
  );
}

/** The TLS of a router: HTTPS or TCP termination, TCP passthrough, or none. */
function RouterTls({ data, protocol }: { data: Item; protocol: 'http' | 'tcp' }) {
  const tls = data.tls as Obj | undefined;
  if (!tls) return <p class="muted">No TLS: this router serves plain {protocol.toUpperCase()}.</p>;
  if (Object.keys(tls).length > 0) return <Options options={tls} />;
  return protocol === 'http' ? (
    <p>HTTPS only, default TLS options and certificates.</p>
  ) : (
    <p>TLS terminated here, default TLS options and certificates.</p>
  );
}

function RouterDetail({ data, kind }: { data: Item; kind: Kind }) {
  const protocol = protocolOf(kind);
  const service = qualify(String(data.service ?? ''), data);
  return (
    <>
      <Chain router={data} kind={kind} />
      <div class="panels">
        <Panel title="Router" testid="router-panel">
          {protocol !== 'udp' && (
            <>
              <Row label="Rule">
                <span class="mono">{String(data.rule ?? '')}</span>
              </Row>
              <Row label="Priority">{String(data.priority ?? '')}</Row>
            </>
          )}
          <Row label="Entrypoints">
            {strings(data.using).map((ep) => (
              <a class="tag" href={link('entrypoints', ep)} key={ep}>
                {ep}
              </a>
            ))}
          </Row>
          <Row label="Service">
            <a href={link(sibling(kind, 'services'), service)}>{service}</a>
          </Row>
          <Row label="Provider">{data.provider ?? ''}</Row>
          {data.ruleSyntax !== undefined && <Row label="Rule syntax">{String(data.ruleSyntax)}</Row>}
        </Panel>
        {protocol !== 'udp' && (
          <Panel title="TLS" testid="tls-panel">
            <RouterTls data={data} protocol={protocol === 'tcp' ? 'tcp' : 'http'} />
            <Certificate cert={data.tlsCertificate as Obj | undefined} />
          </Panel>
        )}
      </div>
      {protocol !== 'udp' && <ChainMiddlewares router={data} kind={kind} />}
      {protocol === 'http' && (
        <>
          <h2>Traffic</h2>
          <RouterTrafficView name={data.name} />
        </>
      )}
    </>
  );
}

/** What a plugin middleware came from (`pluginInfo` of the API): name, display name, runtime, package. */
function PluginRow({ info }: { info: Obj | undefined }) {
  if (!info) return null;
  const pkg = info.package ? `, package ${String(info.package)}` : '';
  return (
    <Row label="Plugin">
      <span class="mono">{String(info.name ?? '')}</span> {String(info.displayName ?? '')}{' '}
      <span class="pill">{`runtime ${String(info.runtime ?? '')}${pkg}`}</span>
    </Row>
  );
}

function MiddlewareDetail({ data, kind }: { data: Item; kind: Kind }) {
  const opts = middlewareOptions(data);
  return (
    <>
      <Panel title="Middleware" testid="middleware-panel">
        <Row label="Type">{opts?.[0] ?? String(data.type ?? '')}</Row>
        <PluginRow info={data.pluginInfo as Obj | undefined} />
        <Row label="Provider">{data.provider ?? ''}</Row>
        <Row label="Used by">
          <UsedBy users={strings(data.usedBy)} kind={sibling(kind, 'routers')} />
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
  const { data, error } = usePoll<Item>(`${ENDPOINT(kind)}/${encodeURIComponent(name)}`);
  const base = baseOf(kind);
  if (!data) return <p class="muted">{error ?? 'Loading…'}</p>;
  return (
    <section>
      <p>
        <a href={`#/${kind}`}>← {TITLE(kind)}</a>
      </p>
      <h1>
        {data.name} <Status status={data.status} />
      </h1>
      <Errors item={data} />
      {base === 'routers' && <RouterDetail data={data} kind={kind} />}
      {base === 'services' && <ServiceDetail data={data} kind={kind} />}
      {base === 'middlewares' && <MiddlewareDetail data={data} kind={kind} />}
      {base === 'entrypoints' && <EntryPointDetail data={data} />}
      <details class="raw">
        <summary>Raw JSON</summary>
        <pre class="config">{JSON.stringify(data, null, 2)}</pre>
      </details>
    </section>
  );
}
