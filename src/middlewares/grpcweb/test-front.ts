import { selfSignedCert } from '../../../test/helpers/certs.js';
import { ConfigProvider, type Switchyard, start } from '../../index.js';

/*
 * Test support (imported by tests only): Switchyard in process with a plain entrypoint `web` (HTTP/1.1)
 * and a TLS entrypoint `websecure`, whose router `secure` offers only `h2` by ALPN (so an HTTP/2 client
 * cannot fall back to HTTP/1.1). The certificate is self-signed for localhost and 127.0.0.1.
 */

type HttpSection = NonNullable<NonNullable<Parameters<ConfigProvider['set']>[0]>['http']>;

export interface GrpcWebFront {
  sy: Switchyard;
  /** `http://127.0.0.1:<web port>` */
  plainUrl: string;
  /** `https://localhost:<websecure port>` */
  tlsUrl: string;
  /** The certificate's PEM, to trust it. */
  cert: string;
}

/**
 * Starts Switchyard with `http` (routers, middlewares, services) plus a router `secure` on `websecure`
 * for Host `localhost` through `secureMiddlewares` to `secureService`.
 */
export async function startGrpcWebFront(
  http: HttpSection,
  secureService: string,
  secureMiddlewares: string[],
): Promise<GrpcWebFront> {
  const leaf = await selfSignedCert({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
  const routes = new ConfigProvider('app');
  const secure = {
    rule: 'Host(`localhost`)',
    entryPoints: ['websecure'],
    service: secureService,
    middlewares: secureMiddlewares,
    tls: { options: 'h2only' },
  };
  routes.set({
    http: { ...http, routers: { ...http.routers, secure } },
    tls: {
      certificates: [{ certFile: leaf.cert, keyFile: leaf.key }],
      options: { h2only: { alpnProtocols: ['h2'] } },
    },
  });
  const sy = await start({
    static: {
      entryPoints: { web: { address: '127.0.0.1:0' }, websecure: { address: '127.0.0.1:0' } },
      providers: { providersThrottleDuration: '0s' },
      log: { level: 'ERROR' },
    },
    providers: [routes],
  });
  await sy.configured((rt) => rt.routers['secure@app']?.status === 'enabled');
  return {
    sy,
    plainUrl: `http://127.0.0.1:${new URL(sy.url('web')).port}`,
    tlsUrl: `https://localhost:${new URL(sy.url('websecure')).port}`,
    cert: leaf.cert,
  };
}
