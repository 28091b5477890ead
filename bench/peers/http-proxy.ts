import { fileURLToPath } from 'node:url';
import type { Launch, PeerContext, ProxyPeer } from './peer.js';

/** node-http-proxy 1.18 behind `node:http`, with a keep-alive agent (script: http-proxy-server). */
export const httpProxyPeer: ProxyPeer = {
  name: 'http-proxy',
  executable: process.execPath,
  async prepare(ctx: PeerContext): Promise<Launch> {
    // Run the sibling script in the form this module runs in: compiled .js, or .ts under tsx.
    const fromSource = import.meta.url.endsWith('.ts');
    const script = fileURLToPath(new URL(`./http-proxy-server.${fromSource ? 'ts' : 'js'}`, import.meta.url));
    const args = [
      ...(fromSource ? ['--import', 'tsx'] : []),
      script,
      '--port',
      String(ctx.port),
      '--target',
      `http://${ctx.backend.host}:${ctx.backend.port}`,
      '--hosts',
      String(ctx.hosts),
      '--pool',
      String(ctx.poolSize),
    ];
    return { command: process.execPath, args, rss: 'tree' };
  },
};
