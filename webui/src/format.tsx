import type { ComponentChildren } from 'preact';
import type { Item } from './api';

/** What a page lists: HTTP elements (`routers`…), TCP and UDP ones (`tcp/routers`…) or entrypoints. */
export type Kind =
  | 'routers'
  | 'services'
  | 'middlewares'
  | 'tcp/routers'
  | 'tcp/services'
  | 'tcp/middlewares'
  | 'udp/routers'
  | 'udp/services'
  | 'entrypoints';

export const KINDS: Kind[] = [
  'routers',
  'services',
  'middlewares',
  'tcp/routers',
  'tcp/services',
  'tcp/middlewares',
  'udp/routers',
  'udp/services',
  'entrypoints',
];

export type Protocol = 'http' | 'tcp' | 'udp';
export type BaseKind = 'routers' | 'services' | 'middlewares' | 'entrypoints';

/** `tcp/routers` → `tcp`; HTTP kinds and entrypoints → `http`. */
export const protocolOf = (kind: Kind): Protocol =>
  kind.startsWith('tcp/') ? 'tcp' : kind.startsWith('udp/') ? 'udp' : 'http';
/** `tcp/routers` → `routers`. */
export const baseOf = (kind: Kind): BaseKind => kind.replace(/^(tcp|udp)\//, '') as BaseKind;
/** The kind `base` of the same protocol: `sibling('tcp/routers', 'services')` → `tcp/services`. */
export const sibling = (kind: Kind, base: BaseKind): Kind => {
  const proto = protocolOf(kind);
  return (proto === 'http' || base === 'entrypoints' ? base : `${proto}/${base}`) as Kind;
};

export const ENDPOINT = (kind: Kind): string =>
  kind === 'entrypoints' ? 'entrypoints' : kind.includes('/') ? kind : `http/${kind}`;

const BASE_TITLE: Record<BaseKind, string> = {
  routers: 'routers',
  services: 'services',
  middlewares: 'middlewares',
  entrypoints: 'Entrypoints',
};
/** `TCP routers`, `HTTP services`, `Entrypoints`. */
export const TITLE = (kind: Kind): string =>
  kind === 'entrypoints' ? 'Entrypoints' : `${protocolOf(kind).toUpperCase()} ${BASE_TITLE[baseOf(kind)]}`;

/** A list field of an API object, or `[]`. */
export const strings = (v: unknown) => (Array.isArray(v) ? (v as string[]) : []);
/** An object field of an API object. */
export type Obj = Record<string, unknown>;

export const link = (kind: Kind, name: string) => `#/${kind}/${encodeURIComponent(name)}`;

/** `app` used by a router of provider `file` → `app@file`; qualified names stay as they are. */
export const qualify = (name: string, owner: Item) =>
  name.includes('@') || !owner.provider ? name : `${name}@${owner.provider}`;

const STATUS_TEXT: Record<string, string> = { enabled: 'success', warning: 'warning', disabled: 'error' };

export function Status({ status }: { status?: string }) {
  if (!status) return null;
  return (
    <span class={`status ${status}`} title={status}>
      {STATUS_TEXT[status] ?? status}
    </span>
  );
}

export function Errors({ item }: { item: Item }) {
  if (!item.error?.length) return null;
  return (
    <ul class="errors">
      {item.error.map((e) => (
        <li key={e}>{e}</li>
      ))}
    </ul>
  );
}

/** `passHostHeader` → `Pass host header`. */
export function humanKey(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Any configuration value, readable: scalars as text, lists inline, objects as nested key/value lists. */
export function Value({ value }: { value: unknown }) {
  if (value === null || value === undefined || value === '') return <span class="muted">—</span>;
  if (typeof value === 'boolean') return <span class={`bool ${value}`}>{value ? 'yes' : 'no'}</span>;
  if (typeof value !== 'object') return <span class="mono">{String(value)}</span>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span class="muted">none</span>;
    if (value.every((v) => typeof v !== 'object'))
      return (
        <span class="mono">
          {value.map((v, i) => (
            <span class="pill" key={`${i}-${String(v)}`}>
              {String(v)}
            </span>
          ))}
        </span>
      );
    return (
      <ol class="values">
        {value.map((v, i) => (
          <li key={i}>
            <Value value={v} />
          </li>
        ))}
      </ol>
    );
  }
  return <Options options={value as Record<string, unknown>} />;
}

/** An object's fields as a two-column list. */
export function Options({ options, testid }: { options: Record<string, unknown>; testid?: string }) {
  const entries = Object.entries(options);
  if (entries.length === 0) return <span class="muted">no options</span>;
  return (
    <dl class="kv" data-testid={testid}>
      {entries.map(([k, v]) => (
        <div key={k}>
          <dt>{humanKey(k)}</dt>
          <dd>
            <Value value={v} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** A titled box of label/value rows. */
export function Panel({
  title,
  children,
  testid,
}: {
  title: string;
  children: ComponentChildren;
  testid?: string;
}) {
  return (
    <section class="panel" data-testid={testid}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

export function Row({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="row">
      <span class="label">{label}</span>
      <span class="value">{children}</span>
    </div>
  );
}

/** Links to the routers (or services) that use an element. */
export function UsedBy({ users, kind = 'routers' }: { users: string[]; kind?: Kind }) {
  if (users.length === 0) return <span class="muted">nothing</span>;
  return (
    <span data-testid="used-by">
      {users.map((u) => (
        <a class="tag" href={link(kind, u)} key={u}>
          {u}
        </a>
      ))}
    </span>
  );
}
