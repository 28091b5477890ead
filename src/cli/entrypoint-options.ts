import type { EntryPointConfig } from '../config/static/index.js';
import { originalDestinationHeader } from '../connection/original-dst/header.js';
import { makeTransparent, originalDestinationStage } from '../connection/original-dst/index.js';
import { compileProxyProtocol, proxyProtocolStage } from '../connection/proxy-protocol/index.js';
import type { HttpContext } from '../core/http-context.js';
import { parseAddress } from '../entrypoints/address.js';
import type { ConnectionStage, EntryPointOptions } from '../entrypoints/http-entrypoint.js';
import { compileForwardedTrust, sanitizeForwardedHeaders } from '../proxy/forwarded-headers.js';

/** Maps a static `entryPoints.<name>` section to the listener's options (durations are already in ms). */
export function entryPointOptions(name: string, ep: EntryPointConfig): EntryPointOptions {
  const t = ep.transport;
  const trust = compileForwardedTrust({
    insecure: ep.forwardedHeaders.insecure,
    trustedIPs: ep.forwardedHeaders.trustedIPs,
    notAppendXForwardedFor: ep.forwardedHeaders.notAppendXForwardedFor,
  });
  const sanitize = (ctx: HttpContext) => sanitizeForwardedHeaders(ctx, trust);
  const header = ep.transparent?.header ? originalDestinationHeader(ep.transparent.header) : undefined;
  return {
    name,
    address: ep.address,
    readTimeoutMs: t.respondingTimeouts.readTimeout,
    writeTimeoutMs: t.respondingTimeouts.writeTimeout,
    idleTimeoutMs: t.respondingTimeouts.idleTimeout,
    maxHeaderBytes: ep.http.maxHeaderBytes,
    requestAcceptGraceTimeoutMs: t.lifeCycle.requestAcceptGraceTimeout,
    graceTimeOutMs: t.lifeCycle.graceTimeOut,
    sanitizePath: ep.http.sanitizePath,
    http2: ep.http2,
    prepare: header
      ? (ctx) => {
          sanitize(ctx);
          header(ctx);
        }
      : sanitize,
    stages: connectionStages(ep),
    detectTimeoutMs: ep.transparent?.detectTimeout,
    onListening: ep.transparent?.mode === 'tproxy' ? makeTransparent : undefined,
  };
}

/**
 * The pre-dispatch stages of an entrypoint, in order: the PROXY header first (it names the client), then
 * the original destination of transparent mode (which wins over the header's destination).
 */
export function connectionStages(ep: EntryPointConfig): ConnectionStage[] {
  const stages: ConnectionStage[] = [];
  if (ep.proxyProtocol) {
    const policy = compileProxyProtocol(ep.proxyProtocol, ep.transport.respondingTimeouts.readTimeout);
    stages.push(proxyProtocolStage(policy));
  }
  if (ep.transparent) {
    stages.push(originalDestinationStage(ep.transparent.mode, parseAddress(ep.address).port));
  }
  return stages;
}
