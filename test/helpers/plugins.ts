/**
 * Test support for plugins through the real CLI: the static configuration declaring local plugins, and
 * a dynamic one with one router a plugin middleware, written as YAML from objects.
 */
import { stringify } from 'yaml';
import { type Running, startSwitchyard, writeFile } from './cli.js';

/** How `experimental.localPlugins` names a plugin: a folder under plugins-local/src, or an npm package. */
export type LocalPlugin = { moduleName: string } | { package: string };

/**
 * Static YAML: entrypoint `web` on `web` (with `traefik` on port 0 and the insecure API when `api`), the
 * file provider on `dynamic`, and `localPlugins`.
 */
export function pluginStatic(opts: {
  dynamic: string;
  localPlugins: Record<string, LocalPlugin>;
  web?: string;
  api?: boolean;
  workers?: number;
}): string {
  return stringify({
    entryPoints: {
      web: { address: opts.web ?? '127.0.0.1:0' },
      ...(opts.api ? { traefik: { address: '127.0.0.1:0' } } : {}),
    },
    ...(opts.api ? { api: { insecure: true } } : {}),
    ...(opts.workers ? { workers: opts.workers } : {}),
    providers: { file: { filename: opts.dynamic } },
    experimental: { localPlugins: opts.localPlugins },
  });
}

/**
 * Dynamic YAML: for each `router: middleware` in `routers`, router `router` for `Host(router.test)`
 * through that middleware to service `app` at `url`; `middlewares` by name.
 */
export function pluginRoutes(
  url: string,
  routers: Record<string, string>,
  middlewares: Record<string, unknown>,
): string {
  const entries = Object.entries(routers).map(([name, middleware]) => [
    name,
    { rule: `Host(\`${name}.test\`)`, middlewares: [middleware], service: 'app' },
  ]);
  return stringify({
    http: {
      routers: Object.fromEntries(entries),
      middlewares,
      services: { app: { loadBalancer: { servers: [{ url }] } } },
    },
  });
}

/** Every name routed through the middleware of the same name (`pluginRoutes`' `routers`). */
export const sameNames = (names: string[]) => Object.fromEntries(names.map((n) => [n, n]));

/**
 * Writes `dynamic.yml` and `switchyard.yml` in `dir`, starts the CLI from `cwd` (where it looks for
 * plugins-local/ and node_modules/) and waits until the dynamic configuration is applied.
 */
export async function startWithPlugins(opts: {
  dir: string;
  cwd: string;
  url: string;
  routers: Record<string, string>;
  middlewares: Record<string, unknown>;
  localPlugins: Record<string, LocalPlugin>;
  api?: boolean;
}): Promise<Running> {
  const dynamic = writeFile(opts.dir, 'dynamic.yml', pluginRoutes(opts.url, opts.routers, opts.middlewares));
  const config = writeFile(
    opts.dir,
    'switchyard.yml',
    pluginStatic({ dynamic, localPlugins: opts.localPlugins, api: opts.api }),
  );
  const sy = await startSwitchyard([`--configFile=${config}`], {
    expectEntryPoints: opts.api ? ['web', 'traefik'] : ['web'],
    cwd: opts.cwd,
  });
  await sy.waitFor(/configuration applied.*generation=2/);
  return sy;
}
