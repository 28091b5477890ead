import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { selfSignedCert } from '../../test/helpers/certs.js';
import { HAPROXY_HEAD } from '../peers/haproxy.js';
import { commonHead } from '../peers/nginx.js';
import type { Launch } from '../peers/peer.js';
import { switchyardStatic } from '../peers/switchyard.js';

/** The self-signed certificate every proxy serves, made once per run with openssl. */
export interface BenchCert {
  certFile: string;
  keyFile: string;
  /** Certificate then key in one file, as HAProxy's `crt` wants it. */
  pemFile: string;
}

export async function makeCert(dir: string): Promise<BenchCert> {
  await mkdir(dir, { recursive: true });
  const { cert, key } = await selfSignedCert({
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
    validDays: 1,
  });
  const certFile = path.join(dir, 'bench.crt');
  const keyFile = path.join(dir, 'bench.key');
  const pemFile = path.join(dir, 'bench.pem');
  await writeFile(certFile, cert);
  await writeFile(keyFile, key);
  await writeFile(pemFile, cert + key);
  return { certFile, keyFile, pemFile };
}

/** What an HTTP/2 proxy under test is given: its folder and port, the backend, and how it is reached. */
export interface H2Context {
  dir: string;
  port: number;
  /** `http://host:port` (HTTP/1.1 backend) or `h2c://host:port` (gRPC backend). */
  backend: { host: string; port: number; h2c: boolean };
  /** TLS with `cert` and ALPN h2, or plain h2c with prior knowledge (gRPC). */
  cert: BenchCert | undefined;
  repoRoot: string;
}

export type H2Peer = (ctx: H2Context) => Promise<Launch>;

export const switchyardH2: H2Peer = async (ctx) => {
  const dynDir = path.join(ctx.dir, 'dynamic');
  await mkdir(dynDir, { recursive: true });
  const dynamicFile = path.join(dynDir, 'dynamic.yml');
  const scheme = ctx.backend.h2c ? 'h2c' : 'http';
  const dyn = [
    'http:',
    '  routers:',
    '    all:',
    '      rule: "PathPrefix(`/`)"',
    '      service: backend',
    '      entryPoints: [web]',
    ...(ctx.cert ? ['      tls: {}'] : []),
    '  services:',
    '    backend:',
    '      loadBalancer:',
    '        servers:',
    `          - url: ${scheme}://${ctx.backend.host}:${ctx.backend.port}`,
    ...(ctx.cert
      ? [
          'tls:',
          '  stores:',
          '    default:',
          '      defaultCertificate:',
          `        certFile: ${JSON.stringify(ctx.cert.certFile)}`,
          `        keyFile: ${JSON.stringify(ctx.cert.keyFile)}`,
        ]
      : []),
  ];
  await writeFile(dynamicFile, `${dyn.join('\n')}\n`);
  const staticFile = path.join(ctx.dir, 'switchyard.yml');
  const st = switchyardStatic(ctx.port, dynamicFile, false);
  await writeFile(staticFile, `${st.join('\n')}\n`);
  const bin = path.join(ctx.repoRoot, 'bin', 'switchyard.js');
  return { command: process.execPath, args: [bin, `--configFile=${staticFile}`], rss: 'tree' };
};

export const nginxH2: H2Peer = async (ctx) => {
  if (!ctx.cert) throw new Error('nginx is measured over TLS only');
  const conf = path.join(ctx.dir, 'h2.conf');
  const lines = [
    await commonHead(ctx.dir, 1024),
    '  http2_max_requests 1000000;',
    `  upstream backend { server ${ctx.backend.host}:${ctx.backend.port}; keepalive 256; }`,
    '  server {',
    `    listen 127.0.0.1:${ctx.port} ssl http2 backlog=4096;`,
    `    ssl_certificate ${ctx.cert.certFile};`,
    `    ssl_certificate_key ${ctx.cert.keyFile};`,
    '    location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; }',
    '  }',
    '}',
  ];
  await writeFile(conf, `${lines.join('\n')}\n`);
  const args = ['-p', ctx.dir, '-e', path.join(ctx.dir, 'error.log'), '-c', conf];
  return { command: 'nginx', args, rss: 'children' };
};

export const haproxyH2: H2Peer = async (ctx) => {
  if (!ctx.cert) throw new Error('HAProxy is measured over TLS only');
  const conf = path.join(ctx.dir, 'h2.cfg');
  const lines = [
    ...HAPROXY_HEAD,
    'frontend web',
    `  bind 127.0.0.1:${ctx.port} ssl crt ${ctx.cert.pemFile} alpn h2,http/1.1`,
    '  default_backend upstream',
    'backend upstream',
    '  http-reuse always',
    `  server s1 ${ctx.backend.host}:${ctx.backend.port} maxconn 1024`,
  ];
  await writeFile(conf, `${lines.join('\n')}\n`);
  return { command: 'haproxy', args: ['-db', '-f', conf], rss: 'tree' };
};

export const caddyH2: H2Peer = async (ctx) => {
  const home = path.join(ctx.dir, 'home');
  await mkdir(home, { recursive: true });
  const transport = ctx.backend.h2c
    ? { protocol: 'http', versions: ['h2c', '2'] }
    : { protocol: 'http', keep_alive: { max_idle_conns_per_host: 256 } };
  const server: Record<string, unknown> = {
    listen: [`127.0.0.1:${ctx.port}`],
    automatic_https: { disable: true },
    protocols: ctx.cert ? ['h1', 'h2'] : ['h1', 'h2', 'h2c'],
    routes: [
      {
        handle: [
          {
            handler: 'reverse_proxy',
            upstreams: [{ dial: `${ctx.backend.host}:${ctx.backend.port}` }],
            transport,
          },
        ],
      },
    ],
  };
  const apps: Record<string, unknown> = { http: { servers: { bench: server } } };
  if (ctx.cert) {
    server.tls_connection_policies = [{}];
    apps.tls = { certificates: { load_files: [{ certificate: ctx.cert.certFile, key: ctx.cert.keyFile }] } };
  }
  const config = {
    admin: { disabled: true, config: { persist: false } },
    logging: { logs: { default: { level: 'ERROR' } } },
    storage: { module: 'file_system', root: path.join(ctx.dir, 'storage') },
    apps,
  };
  const file = path.join(ctx.dir, 'caddy.json');
  await writeFile(file, JSON.stringify(config));
  const env = { ...process.env, GOMAXPROCS: '1', HOME: home, XDG_DATA_HOME: home, XDG_CONFIG_HOME: home };
  return { command: 'caddy', args: ['run', '--config', file], env, rss: 'tree' };
};
