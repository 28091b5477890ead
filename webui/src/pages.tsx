import { type Item, usePoll } from './api';
import { LiveCharts } from './charts';
import { link, TITLE } from './format';

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
