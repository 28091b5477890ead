import { UdpRouter, UdpService } from '../config/dynamic/index.js';
import type { RuntimeConfig, RuntimeRouter } from '../config/runtime/runtime-config.js';
import { type ApiObject, presentService, redacted, statusFields } from './present.js';

/** A UDP router as Traefik's `UDPRouterInfo`: no rule, priority or TLS. */
function presentUdpRouter(r: RuntimeRouter): ApiObject {
  const config = redacted(UdpRouter, r.config);
  return {
    ...config,
    entryPoints: (config.entryPoints as string[] | undefined) ?? r.entryPoints,
    ...statusFields(r),
    using: [...r.entryPoints],
    name: r.name,
    provider: r.provider,
  };
}

/** The two UDP element kinds as `/api/udp/*` serves them, each with status and errors. */
export function presentUdp(runtime: RuntimeConfig | undefined) {
  const udp = runtime?.udp;
  return {
    routers: Object.values(udp?.routers ?? {}).map(presentUdpRouter),
    services: Object.values(udp?.services ?? {}).map((s) => presentService(s, UdpService)),
  };
}
