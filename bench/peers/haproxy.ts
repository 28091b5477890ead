import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { hostName, type Launch, type PeerContext, type ProxyPeer } from './peer.js';

/** The global and defaults sections every HAProxy instance shares. */
export const HAPROXY_HEAD = [
  'global',
  '  nbthread 1',
  '  maxconn 4096',
  'defaults',
  '  mode http',
  '  timeout connect 5s',
  '  timeout client 60s',
  '  timeout server 60s',
  '  option http-keep-alive',
];

/** HAProxy with one thread, in the foreground (`-db`), reusing upstream connections. */
export const haproxyPeer: ProxyPeer = {
  name: 'haproxy',
  executable: 'haproxy',
  async prepare(ctx: PeerContext): Promise<Launch> {
    const conf = path.join(ctx.dir, 'haproxy.cfg');
    const lines = [...HAPROXY_HEAD, 'frontend web', `  bind 127.0.0.1:${ctx.port}`];
    if (ctx.hosts === 0) {
      lines.push('  default_backend upstream');
    } else {
      // Host routes come from a map file (one hashed lookup), the idiomatic way to hold thousands of hosts.
      const map = path.join(ctx.dir, 'hosts.map');
      const entries: string[] = [];
      for (let i = 0; i < ctx.hosts; i++) entries.push(`${hostName(i)} upstream`);
      await writeFile(map, `${entries.join('\n')}\n`);
      lines.push(`  use_backend %[req.hdr(host),lower,map(${map})]`, '  default_backend not_found');
      lines.push('backend not_found', '  http-request return status 404');
    }
    lines.push(
      'backend upstream',
      '  http-reuse always',
      `  server s1 ${ctx.backend.host}:${ctx.backend.port} maxconn ${ctx.poolSize * 4}`,
    );
    await writeFile(conf, `${lines.join('\n')}\n`);
    return { command: 'haproxy', args: ['-db', '-f', conf], rss: 'tree' };
  },
};
