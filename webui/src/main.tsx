import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useOnce, type Version } from './api';
import { DetailPage } from './details';
import type { Kind } from './format';
import { HistoryPage } from './history';
import { ListPage } from './lists';
import { OverviewPage } from './pages';

const KINDS: Kind[] = ['routers', 'services', 'middlewares', 'entrypoints'];

/** `#/routers/web@file` → `['routers', 'web@file']`. */
function parseHash(): string[] {
  return window.location.hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
}

/** Version, and which instance this is: `api.dashboardName` when set, else the address it is served from. */
function Instance() {
  const v = useOnce<Version>('version');
  if (!v) return null;
  const since = new Date(v.startDate);
  return (
    <span class="instance" data-testid="instance">
      <span class="version">v{v.Version}</span>
      <span class="name">{v.dashboardName || window.location.host}</span>
      <span class="since" title={`started ${since.toISOString()}`}>
        up since {since.toLocaleString()}
      </span>
    </span>
  );
}

function App() {
  const [route, setRoute] = useState(parseHash());
  const [search, setSearch] = useState('');
  useEffect(() => {
    const on = () => setRoute(parseHash());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  const [kind, name] = route as [Kind | undefined, string | undefined];
  const known = kind !== undefined && KINDS.includes(kind);
  let page = <OverviewPage />;
  if (route[0] === 'history') page = <HistoryPage />;
  else if (known && name) page = <DetailPage kind={kind} name={name} />;
  else if (known || search) page = <ListPage kind={known ? kind : 'routers'} search={search} />;
  return (
    <>
      <header>
        <a class="brand" href="#/">
          <img src="favicon.svg" alt="" width="20" height="20" />
          Switchyard
        </a>
        <Instance />
        <nav>
          {KINDS.map((k) => (
            <a key={k} href={`#/${k}`} class={k === kind ? 'active' : ''}>
              {k[0]!.toUpperCase() + k.slice(1)}
            </a>
          ))}
          <a href="#/history" class={route[0] === 'history' ? 'active' : ''}>
            History
          </a>
        </nav>
        <input
          type="search"
          placeholder="Search by name or rule"
          aria-label="Search"
          value={search}
          onInput={(e) => setSearch((e.target as HTMLInputElement).value)}
        />
      </header>
      <main>{page}</main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
