import type { HistoryEntry } from '../../src/observability/config-history';
import { usePoll } from './api';

/** `http.routers.api@file` → a link to the element's page (`#/routers/…`, `#/tcp/routers/…`). */
function Element({ id }: { id: string }) {
  const [section, kind, ...rest] = id.split('.');
  const name = rest.join('.');
  if (section && kind && ['routers', 'services', 'middlewares'].includes(kind)) {
    const page = section === 'http' ? kind : `${section}/${kind}`;
    return (
      <a class="mono" href={`#/${page}/${encodeURIComponent(name)}`}>
        {id}
      </a>
    );
  }
  return <span class="mono">{id}</span>;
}

function Changes({ label, ids, cls }: { label: string; ids: string[]; cls: string }) {
  if (ids.length === 0) return null;
  return (
    <div class={`change ${cls}`}>
      <strong>
        {label} ({ids.length})
      </strong>
      <ul>
        {ids.map((id) => (
          <li key={id}>
            <Element id={id} />
          </li>
        ))}
      </ul>
    </div>
  );
}

function Generation({ entry }: { entry: HistoryEntry }) {
  const at = new Date(entry.appliedAt);
  const problems = entry.failed.length + entry.other.length;
  const unchanged = entry.added.length + entry.removed.length + entry.changed.length === 0;
  return (
    <article class="generation panel" data-testid={`generation-${entry.generation}`}>
      <h2>
        Generation {entry.generation}{' '}
        <span class={`status ${problems ? 'disabled' : 'enabled'}`}>
          {problems ? `${problems} failed` : 'applied'}
        </span>
      </h2>
      <p class="muted">
        <time dateTime={entry.appliedAt} title={entry.appliedAt}>
          {at.toLocaleString()}
        </time>{' '}
        · {entry.routers} routers, {entry.services} services, {entry.middlewares} middlewares
      </p>
      {unchanged && <p class="muted">No element changed.</p>}
      <Changes label="Added" ids={entry.added} cls="added" />
      <Changes label="Changed" ids={entry.changed} cls="changed" />
      <Changes label="Removed" ids={entry.removed} cls="removed" />
      {problems > 0 && (
        <div class="change failed" data-testid="failed">
          <strong>Failed</strong>
          <ul class="errors">
            {entry.failed.map((f) => (
              <li key={f.element}>
                <Element id={f.element} />: {f.errors.join('; ')}
              </li>
            ))}
            {entry.other.map((o) => (
              <li key={o}>{o}</li>
            ))}
          </ul>
        </div>
      )}
    </article>
  );
}

/**
 * Beyond Traefik: the last configuration generations Switchyard applied, newest first — when, what
 * changed from the one before, and which elements failed.
 */
export function HistoryPage() {
  const { data, error } = usePoll<HistoryEntry[]>('history');
  return (
    <>
      <h1>Configuration history</h1>
      {error && <p class="errors">Cannot reach the API: {error}</p>}
      {data?.length === 0 && <p class="muted">No configuration applied yet.</p>}
      <div class="history" data-testid="history">
        {data?.map((e) => (
          <Generation key={e.generation} entry={e} />
        ))}
      </div>
    </>
  );
}
