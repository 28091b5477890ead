import http2 from 'node:http2';
import type { ProbeRequest } from './probe-http.js';

/** `grpc.health.v1.Health/Check` with an empty `HealthCheckRequest` (whole server), length-prefixed. */
const CHECK_PATH = '/grpc.health.v1.Health/Check';
const EMPTY_REQUEST = Buffer.from([0, 0, 0, 0, 0]);
/** `HealthCheckResponse.ServingStatus.SERVING`. */
const SERVING = 1;

/**
 * Sends one gRPC health check (over h2c for http://, TLS for https://); resolves true when the server
 * answers `SERVING` with grpc-status 0.
 */
export function probeGrpc(probe: ProbeRequest, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const origin = `${probe.url.protocol === 'https:' ? 'https' : 'http'}://${probe.url.host}`;
    const tls = probe.url.protocol === 'https:' ? { ...probe.tls, ALPNProtocols: ['h2'] } : {};
    const session = http2.connect(origin, tls);
    let settled = false;
    const finish = (ok: boolean) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      session.close();
      session.destroy();
      resolve(ok);
    };
    const onAbort = () => finish(false);
    signal.addEventListener('abort', onAbort, { once: true });
    session.on('error', () => finish(false));
    const stream = session.request({
      ...probe.headers,
      ':method': 'POST',
      ':path': CHECK_PATH,
      ':authority': probe.host,
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    const chunks: Buffer[] = [];
    let grpcStatus: string | undefined;
    stream.on('response', (headers) => {
      if (headers['grpc-status'] !== undefined) grpcStatus = String(headers['grpc-status']);
    });
    stream.on('trailers', (trailers) => {
      if (trailers['grpc-status'] !== undefined) grpcStatus = String(trailers['grpc-status']);
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => finish(grpcStatus === '0' && servingStatus(Buffer.concat(chunks)) === SERVING));
    stream.on('error', () => finish(false));
    stream.end(EMPTY_REQUEST);
  });
}

/**
 * The `status` field (1, varint) of a length-prefixed `HealthCheckResponse`; 0 (UNKNOWN) when absent.
 *
 * @example servingStatus(Buffer.from([0, 0, 0, 0, 2, 0x08, 0x01])) // 1
 */
export function servingStatus(frame: Buffer): number {
  if (frame.length < 5 || frame[0] !== 0) return 0;
  const end = Math.min(frame.length, 5 + frame.readUInt32BE(1));
  let i = 5;
  while (i < end) {
    const tag = frame[i++]!;
    const wire = tag & 7;
    let value = 0;
    let shift = 0;
    if (wire === 0) {
      let byte: number;
      do {
        byte = frame[i++] ?? 0;
        value += (byte & 0x7f) * 2 ** shift;
        shift += 7;
      } while (byte & 0x80 && i < end);
      if (tag >> 3 === 1) return value;
    } else if (wire === 2) {
      let len = 0;
      let byte: number;
      do {
        byte = frame[i++] ?? 0;
        len += (byte & 0x7f) * 2 ** shift;
        shift += 7;
      } while (byte & 0x80 && i < end);
      i += len;
    } else return 0;
  }
  return 0;
}
