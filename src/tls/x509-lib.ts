/**
 * Loads `@peculiar/x509` (certificate generation) on first use.
 *
 * Why the indirection: the library registers its algorithms through `tsyringe`, which refuses to load unless
 * a `Reflect` metadata API exists (normally supplied by the `reflect-metadata` package, which Switchyard does
 * not ship). We install the few functions `tsyringe` calls, only when nothing else has, and then import the
 * library dynamically so the order is guaranteed whatever the caller's import order.
 */
import type * as X509 from '@peculiar/x509';

type MetadataTable = Map<unknown, unknown>;
type ReflectWithMetadata = typeof Reflect & {
  getMetadata?: (key: unknown, target: object) => unknown;
  getOwnMetadata?: (key: unknown, target: object) => unknown;
  defineMetadata?: (key: unknown, value: unknown, target: object) => void;
  hasMetadata?: (key: unknown, target: object) => boolean;
  metadata?: (key: unknown, value: unknown) => (target: object) => void;
};

function installReflectMetadata(): void {
  const reflect = Reflect as ReflectWithMetadata;
  if (typeof reflect.getMetadata === 'function') return;
  const tables = new WeakMap<object, MetadataTable>();
  const own = (target: object): MetadataTable | undefined => tables.get(target);
  const lookup = (key: unknown, target: object): { found: boolean; value: unknown } => {
    for (let t: object | null = target; t !== null; t = Object.getPrototypeOf(t)) {
      const table = own(t);
      if (table?.has(key)) return { found: true, value: table.get(key) };
    }
    return { found: false, value: undefined };
  };
  reflect.getOwnMetadata = (key, target) => own(target)?.get(key);
  reflect.getMetadata = (key, target) => lookup(key, target).value;
  reflect.hasMetadata = (key, target) => lookup(key, target).found;
  reflect.defineMetadata = (key, value, target) => {
    let table = own(target);
    if (!table) {
      table = new Map();
      tables.set(target, table);
    }
    table.set(key, value);
  };
  reflect.metadata = (key, value) => (target) => reflect.defineMetadata?.(key, value, target);
}

let loading: Promise<typeof X509> | undefined;

/** The `@peculiar/x509` module, loaded once (with the metadata shim it needs). */
export function loadX509(): Promise<typeof X509> {
  if (!loading) {
    installReflectMetadata();
    loading = import('@peculiar/x509');
  }
  return loading;
}
