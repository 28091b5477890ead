import { type Item, usePoll } from './api';
import { LiveCharts } from './charts';
import { type Kind, link, TITLE } from './format';

type Counts = Record<string, { total: number; warnings: number; errors: number }>;

interface Overview {
  http: Counts;
  tcp?: Counts;
  udp?: Counts;
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
      <h2>HTTP</h2>
      <Cards counts={data.http} kinds={['routers', 'services', 'middlewares']} />
      <h2>TCP</h2>
      <Cards counts={data.tcp ?? {}} kinds={['tcp/routers', 'tcp/services', 'tcp/middlewares']} />
      <h2>UDP</h2>
      <Cards counts={data.udp ?? {}} kinds={['udp/routers', 'udp/services']} />
      <h2>Traffic per entrypoint</h2>
      {eps
        .filter((ep) => !String(ep.address).toLowerCase().endsWith('/udp'))
        .map((ep) => (
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

/** One card per kind with its total and how many are ok, in warning or in error; each links to its list. */
function Cards({ counts, kinds }: { counts: Counts; kinds: Kind[] }) {
  return (
    <div class="cards">
      {kinds.map((k) => {
        const c = counts[k.replace(/^(tcp|udp)\//, '')] ?? { total: 0, warnings: 0, errors: 0 };
        return (
          <a class="card" href={`#/${k}`} key={k} data-testid={`card-${k.replace('/', '-')}`}>
            <h2>{TITLE(k)}</h2>
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
  );
}
