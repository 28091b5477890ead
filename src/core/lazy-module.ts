import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);

/**
 * A CommonJS dependency loaded on first use instead of at start. The clients of optional features (etcd,
 * Redis, ZooKeeper, undici, the ACME library) each cost 15–30 MiB of memory once loaded; a proxy that does
 * not use them should not pay for them. Libraries only some configurations use load the same way: RE2 (a
 * Go regular expression), the htpasswd hash libraries (a basicAuth user list). The load is synchronous, so constructors stay synchronous; it
 * happens once, when a configuration first uses the feature.
 */
export function lazyModule<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= requireHere(name) as T;
    return loaded;
  };
}
