/**
 * The node-http-proxy peer: a `node:http` server forwarding through http-proxy 1.18 with a keep-alive
 * agent. With `--hosts N` it routes `h0.example.test` … by a Map lookup and answers 404 otherwise, the
 * least a Node proxy must do to serve many hosts.
 *
 * Usage: node http-proxy-server.js --port P --target http://127.0.0.1:B [--hosts N] [--pool N]
 */
import http from 'node:http';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { hostName } from './peer.js';

interface HttpProxyServer {
  web(req: http.IncomingMessage, res: http.ServerResponse, opts?: object): void;
  on(event: 'error', listener: (err: Error, req: http.IncomingMessage, res: unknown) => void): void;
}
interface HttpProxyModule {
  createProxyServer(opts: { target: string; agent: http.Agent; xfwd?: boolean }): HttpProxyServer;
}

// http-proxy ships no types; load it through require with the small surface used here.
const httpProxy = createRequire(import.meta.url)('http-proxy') as HttpProxyModule;

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    target: { type: 'string' },
    hosts: { type: 'string', default: '0' },
    pool: { type: 'string', default: '256' },
  },
});
const port = Number(values.port);
const hosts = Number(values.hosts);
const agent = new http.Agent({ keepAlive: true, maxFreeSockets: Number(values.pool) });
const proxy = httpProxy.createProxyServer({ target: String(values.target), agent });
// A failed upstream exchange answers 502 (or drops the connection mid-response), never crashes the peer.
proxy.on('error', (_err, _req, res) => {
  const out = res as http.ServerResponse;
  if (out.headersSent) out.destroy();
  else out.writeHead(502).end();
});

const known = new Set<string>();
for (let i = 0; i < hosts; i++) known.add(hostName(i));

const server = http.createServer((req, res) => {
  if (hosts > 0 && !known.has(req.headers.host ?? '')) {
    res.writeHead(404, { 'Content-Length': 0 });
    res.end();
    return;
  }
  proxy.web(req, res);
});
server.keepAliveTimeout = 75_000;
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
