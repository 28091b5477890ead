import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useOnce, type Version } from './api';
import { DetailPage } from './details';
import { KINDS, type Kind, protocolOf, TITLE } from './format';
import { HistoryPage } from './history';
import { ListPage } from './lists';
import { OverviewPage } from './pages';

/**
 * `#/routers/web@file` → `['routers', 'web@file']`; `#/tcp/routers/db@file` → `['tcp/routers', 'db@file']`
 * (`#/http/routers` is `routers`).
 */
function parseHash(): string[] {
  const parts = window.location.hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
  if (parts[0] === 'http') return parts.slice(1);
  if ((parts[0] === 'tcp' || parts[0] === 'udp') && parts[1])
    return [`${parts[0]}/${parts[1]}`, ...parts.slice(2)];
  return parts;
}

/** HTTP, TCP and UDP groups of links, then entrypoints; `Routers` is the HTTP one (as the title says). */
function Nav({ kind, history }: { kind: Kind | undefined; history: boolean }) {
  return (
    <nav>
      {KINDS.map((k) => {
        const proto = protocolOf(k);
        const label = k === 'entrypoints' ? 'Entrypoints' : TITLE(k).replace(/^\S+ /, '');
        const first = k === 'routers' || k === 'tcp/routers' || k === 'udp/routers';
        const start = first || k === 'entrypoints';
        return (
          <span class={`nav-item${start ? ' group-start' : ''}`} key={k}>
            {first && <span class="group">{proto.toUpperCase()}</span>}
            <a
              href={`#/${k}`}
              class={k === kind ? 'active' : ''}
              aria-label={proto === 'http' || k === 'entrypoints' ? undefined : TITLE(k)}
            >
              {label[0]!.toUpperCase() + label.slice(1)}
            </a>
          </span>
        );
      })}
      <span class="nav-item group-start">
        <a href="#/history" class={history ? 'active' : ''}>
          History
        </a>
      </span>
    </nav>
  );
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
  else if (known || search) {
    const list = known ? kind : 'routers';
    page = <ListPage key={list} kind={list} search={search} />;
  }
  return (
    <>
      <header>
        <a class="brand" href="#/">
          <img src="favicon.svg" alt="" width="20" height="20" />
          Switchyard
        </a>
        <Instance />
        <Nav kind={known ? kind : undefined} history={route[0] === 'history'} />
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
