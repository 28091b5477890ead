import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { type Running, startSwitchyard, tempDir, writeFile } from '../helpers/cli.js';
import { freePort } from '../helpers/free-port.js';

/**
 * The proxies the client vectors run against, each in front of the recording server on `backendPort`
 * with the same limits: a read timeout of 5 s and an idle timeout of 6 s (requests never finished end with
 * 408 within seconds),
 * a 1 MiB head limit (Traefik's default `maxHeaderBytes`).
 */

/** Switchyard through the real CLI, one router for every path. */
export async function startVectorSwitchyard(backendPort: number): Promise<Running> {
  const dir = tempDir();
  const dynamic = writeFile(
    dir,
    'dynamic.yml',
    `http:
  routers:
    all:
      rule: "PathPrefix(\`/\`)"
      service: s
  services:
    s:
      loadBalancer:
        servers: [{ url: "http://127.0.0.1:${backendPort}" }]
`,
  );
  const config = writeFile(
    dir,
    'switchyard.yml',
    `entryPoints:
  web:
    address: "127.0.0.1:0"
    transport:
      respondingTimeouts:
        # Long enough for a 2 MiB head to arrive on a loaded machine (24 vectors at once): a size vector
        # must meet the size limit (431), not the deadline (408). The idle timeout stays above it, so that half
        # a request after a keep-alive response meets the read deadline (408), not the idle close.
        readTimeout: 5s
        idleTimeout: 6s
providers:
  file:
    filename: ${dynamic}
`,
  );
  const sy = await startSwitchyard([`--configFile=${config}`], { expectEntryPoints: ['web'] });
  await sy.waitFor(/configuration applied.*generation=2/);
  return sy;
}

/** A running nginx (the Debian package) and its port. */
export interface Nginx {
  readonly port: number;
  stop(): Promise<void>;
}

/** Starts nginx in the foreground with a generated configuration; resolves once it accepts connections. */
export async function startVectorNginx(backendPort: number, binary = 'nginx'): Promise<Nginx> {
  const dir = tempDir('switchyard-nginx-');
  for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, sub));
  const port = await freePort();
  const conf = writeFile(
    dir,
    'nginx.conf',
    `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
${process.getuid?.() === 0 ? 'user root;' : ''}
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  client_header_timeout 5s;
  client_body_timeout 5s;
  keepalive_timeout 6s;
  large_client_header_buffers 4 1m;
  client_max_body_size 0;
  upstream recording { server 127.0.0.1:${backendPort}; keepalive 16; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://recording;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Real-Ip $remote_addr;
    }
  }
}
`,
  );
  const proc: ChildProcess = spawn(binary, ['-p', dir, '-e', `${dir}/error.log`, '-c', conf], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr?.on('data', (c) => {
    stderr += c;
  });
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`nginx exited (${proc.exitCode}): ${stderr}`);
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (up) break;
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`nginx did not listen within 10 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}
