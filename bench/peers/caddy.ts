import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { hostName, type Launch, type PeerContext, type ProxyPeer } from './peer.js';

/**
 * Caddy on one Go thread (`GOMAXPROCS=1`), configured in JSON so nothing is adapted or guessed: plain
 * HTTP, no admin endpoint, no automatic HTTPS, storage and config folders inside `dir`.
 */
export const caddyPeer: ProxyPeer = {
  name: 'caddy',
  executable: 'caddy',
  async prepare(ctx: PeerContext): Promise<Launch> {
    const home = path.join(ctx.dir, 'home');
    await mkdir(home, { recursive: true });
    const handle = [
      {
        handler: 'reverse_proxy',
        upstreams: [{ dial: `${ctx.backend.host}:${ctx.backend.port}` }],
        transport: { protocol: 'http', keep_alive: { max_idle_conns_per_host: ctx.poolSize } },
      },
    ];
    // Many hosts: one route whose host matcher lists them all (Caddy looks a long list up by binary
    // search), then a 404 for the rest. One route per host, as a Caddyfile with a site block per host
    // gives, is matched route by route and measured far slower (README).
    const routes =
      ctx.hosts === 0
        ? [{ handle }]
        : [
            {
              match: [{ host: Array.from({ length: ctx.hosts }, (_, i) => hostName(i)) }],
              handle,
              terminal: true,
            },
            { handle: [{ handler: 'static_response', status_code: 404 }] },
          ];
    const config = {
      admin: { disabled: true, config: { persist: false } },
      logging: { logs: { default: { level: 'ERROR' } } },
      storage: { module: 'file_system', root: path.join(ctx.dir, 'storage') },
      apps: {
        http: {
          servers: {
            bench: { listen: [`127.0.0.1:${ctx.port}`], automatic_https: { disable: true }, routes },
          },
        },
      },
    };
    const file = path.join(ctx.dir, 'caddy.json');
    await writeFile(file, JSON.stringify(config));
    const env = { ...process.env, GOMAXPROCS: '1', HOME: home, XDG_DATA_HOME: home, XDG_CONFIG_HOME: home };
    return { command: 'caddy', args: ['run', '--config', file], env, rss: 'tree' };
  },
};
