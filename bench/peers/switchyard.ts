import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { freePort } from '../lib/net.js';
import { hostName, type Launch, type PeerContext, type ProxyPeer, type SwitchyardVariant } from './peer.js';

/** One router of Switchyard's dynamic configuration: a name and a Traefik rule. */
export interface BenchRouter {
  name: string;
  rule: string;
}

/** The routers of a scenario: one catch-all, or one `Host(...)` router per host. */
export function scenarioRouters(hosts: number): BenchRouter[] {
  if (hosts === 0) return [{ name: 'all', rule: 'PathPrefix(`/`)' }];
  return Array.from({ length: hosts }, (_, i) => ({ name: `h${i}`, rule: `Host(\`${hostName(i)}\`)` }));
}

/**
 * Writes the file provider's dynamic configuration: every router to the one service. The file is
 * replaced atomically (write aside, then rename), as configuration tools do, so the provider never reads
 * half a file. `file` must sit in a folder of its own.
 */
export async function writeSwitchyardDynamic(
  file: string,
  backendUrl: string,
  routers: BenchRouter[],
  variant?: SwitchyardVariant,
): Promise<void> {
  const lines = ['http:', '  routers:'];
  const withMiddlewares = variant === 'middlewares';
  for (const r of routers) {
    lines.push(
      `    ${r.name}:`,
      `      rule: ${JSON.stringify(r.rule)}`,
      '      service: backend',
      '      entryPoints: [web]',
      ...(withMiddlewares ? ['      middlewares: [headers, strip]'] : []),
    );
  }
  if (withMiddlewares) {
    lines.push(
      '  middlewares:',
      '    headers:',
      '      headers:',
      '        customRequestHeaders: { X-Bench: "1" }',
      '        customResponseHeaders: { X-Served-By: switchyard }',
      '    strip:',
      '      stripPrefix:',
      '        prefixes: [/api]',
    );
  }
  lines.push(
    '  services:',
    '    backend:',
    '      loadBalancer:',
    '        servers:',
    `          - url: ${backendUrl}`,
  );
  // Written beside the watched folder, not in it, so the watcher sees only the finished file arrive.
  const aside = path.join(path.dirname(path.dirname(file)), `${path.basename(file)}.next`);
  await writeFile(aside, `${lines.join('\n')}\n`);
  await rename(aside, file);
}

/** What a variant adds to the static configuration: more entry points, more sections. */
interface StaticExtra {
  entryPoints: string[];
  sections: string[];
}

/** The access log (JSON, to a file in `dir`), or Prometheus on an entry point of its own. */
async function variantStatic(variant: SwitchyardVariant | undefined, dir: string): Promise<StaticExtra> {
  if (variant === 'access-log') {
    const file = JSON.stringify(path.join(dir, 'access.log'));
    return { entryPoints: [], sections: ['accessLog:', `  filePath: ${file}`, '  format: json'] };
  }
  if (variant === 'middlewares') {
    return {
      entryPoints: ['  metrics:', `    address: "127.0.0.1:${await freePort()}"`],
      sections: ['metrics:', '  prometheus:', '    entryPoint: metrics'],
    };
  }
  return { entryPoints: [], sections: [] };
}

/** The static configuration: entry point `web` on `port`, the file provider reading `dynamicFile`. */
export function switchyardStatic(
  port: number,
  dynamicFile: string,
  watch: boolean,
  workers = 1,
  extra: StaticExtra = { entryPoints: [], sections: [] },
): string[] {
  return [
    'entryPoints:',
    '  web:',
    `    address: "127.0.0.1:${port}"`,
    ...extra.entryPoints,
    'providers:',
    '  file:',
    `    filename: ${JSON.stringify(dynamicFile)}`,
    ...(watch ? ['    watch: true'] : []),
    'log:',
    '  level: ERROR',
    // One process unless a scenario asks for more, as nginx runs one worker: the figures are per core
    // (workers default to every core).
    `workers: ${workers}`,
    ...extra.sections,
  ];
}

/** Switchyard itself, from this checkout's CLI, with a Traefik-style static and dynamic file. */
export const switchyardPeer: ProxyPeer = {
  name: 'switchyard',
  executable: process.execPath,
  async prepare(ctx: PeerContext): Promise<Launch> {
    // The provider watches the file's folder: give it one of its own, away from logs and load output.
    await mkdir(path.join(ctx.dir, 'dynamic'), { recursive: true });
    const dynamicFile = path.join(ctx.dir, 'dynamic', 'dynamic.yml');
    const staticFile = path.join(ctx.dir, 'switchyard.yml');
    await writeSwitchyardDynamic(
      dynamicFile,
      `http://${ctx.backend.host}:${ctx.backend.port}`,
      scenarioRouters(ctx.hosts),
      ctx.variant,
    );
    const extra = await variantStatic(ctx.variant, ctx.dir);
    const lines = switchyardStatic(ctx.port, dynamicFile, true, ctx.workers, extra);
    await writeFile(staticFile, `${lines.join('\n')}\n`);
    const bin = path.join(ctx.repoRoot, 'bin', 'switchyard.js');
    return { command: process.execPath, args: [bin, `--configFile=${staticFile}`], rss: 'tree', dynamicFile };
  },
};
