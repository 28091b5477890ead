import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { hostName, type Launch, type PeerContext, type ProxyPeer } from './peer.js';

/**
 * The part every nginx instance shares: one worker (or `workers`), in the foreground, with every path nginx may write
 * inside `dir` (the packaged defaults point at /var and would clash between instances).
 */
export async function commonHead(dir: string, connections: number, workers = 1): Promise<string> {
  const temp = path.join(dir, 'temp');
  await mkdir(temp, { recursive: true });
  const lines = [
    // As root, nginx would hand the worker to `nobody`, which cannot enter our private temp folder.
    process.getuid?.() === 0 ? 'user root;' : '',
    `worker_processes ${workers};`,
    'daemon off;',
    `pid ${path.join(dir, 'nginx.pid')};`,
    `error_log ${path.join(dir, 'error.log')} warn;`,
    `events { worker_connections ${Math.max(1024, connections * 4)}; }`,
    'http {',
    '  access_log off;',
    `  client_body_temp_path ${temp}/body;`,
    `  proxy_temp_path ${temp}/proxy;`,
    `  fastcgi_temp_path ${temp}/fastcgi;`,
    `  uwsgi_temp_path ${temp}/uwsgi;`,
    `  scgi_temp_path ${temp}/scgi;`,
    '  keepalive_requests 1000000;',
  ];
  return `${lines.filter(Boolean).join('\n')}\n`;
}

function launch(dir: string, conf: string): Launch {
  // `-e` moves the start-up error log away from /var/log before the configuration is read.
  return {
    command: 'nginx',
    args: ['-p', dir, '-e', path.join(dir, 'error.log'), '-c', conf],
    rss: 'children',
  };
}

/** The backend every proxy forwards to: nginx answering `200 ok` itself, as the reference figures were. */
export async function nginxBackend(dir: string, port: number): Promise<Launch> {
  await mkdir(dir, { recursive: true });
  const conf = path.join(dir, 'backend.conf');
  const body = [
    await commonHead(dir, 1024),
    '  server {',
    `    listen 127.0.0.1:${port} backlog=4096;`,
    '    default_type text/plain;',
    "    location / { return 200 'ok'; }",
    '  }',
    '}',
  ];
  await writeFile(conf, `${body.join('\n')}\n`);
  return launch(dir, conf);
}

const PROXY_LOCATION =
  'location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; }';

export const nginxPeer: ProxyPeer = {
  name: 'nginx',
  executable: 'nginx',
  async prepare(ctx: PeerContext): Promise<Launch> {
    const conf = path.join(ctx.dir, 'proxy.conf');
    const out: string[] = [await commonHead(ctx.dir, ctx.poolSize, ctx.workers)];
    out.push(
      '  server_names_hash_max_size 65536;',
      '  server_names_hash_bucket_size 128;',
      '  upstream backend {',
      `    server ${ctx.backend.host}:${ctx.backend.port};`,
      `    keepalive ${ctx.poolSize};`,
      '    keepalive_requests 1000000;',
      '  }',
    );
    const listen = `listen 127.0.0.1:${ctx.port}`;
    if (ctx.hosts === 0) {
      out.push(`  server { ${listen} backlog=4096; ${PROXY_LOCATION} }`);
    } else {
      // Unknown hosts get a 404, as in every other proxy; each host is its own server block.
      out.push(`  server { ${listen} backlog=4096 default_server; return 404; }`);
      for (let i = 0; i < ctx.hosts; i++) {
        out.push(`  server { ${listen}; server_name ${hostName(i)}; ${PROXY_LOCATION} }`);
      }
    }
    out.push('}');
    await writeFile(conf, `${out.join('\n')}\n`);
    return launch(ctx.dir, conf);
  },
};
