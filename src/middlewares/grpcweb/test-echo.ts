import * as grpc from '@grpc/grpc-js';
import { decodeMsg, encodeMsg } from './test-echo-proto.js';

export { decodeMsg, EchoService, encodeMsg, MsgSchema } from './test-echo-proto.js';

/* Test support (imported by tests only): a real gRPC server (@grpc/grpc-js) for the Echo service. */

const method = (name: string, responseStream: boolean) => ({
  path: `/test.Echo/${name}`,
  requestStream: false,
  responseStream,
  requestSerialize: (text: string) => encodeMsg(text),
  requestDeserialize: (b: Buffer) => decodeMsg(b),
  responseSerialize: (text: string) => encodeMsg(text),
  responseDeserialize: (b: Buffer) => decodeMsg(b),
});
export const ECHO_DEFINITION = { unary: method('Unary', false), serverStream: method('ServerStream', true) };

/**
 * Unary answers `TEXT|<x-token metadata>` with header `x-header: h` and trailer `x-trailer: end`;
 * `missing` fails NOT_FOUND "no such thing" before any message (a trailers-only answer).
 * ServerStream sends `msg-0`…`msg-(n-1)` for `n`; for `-n` it sends n messages then fails
 * RESOURCE_EXHAUSTED "stopped after n" (the status then travels in trailers after the messages).
 */
let unaryCalls = 0;
/** How many Unary calls reached the server (in this process). */
export const unaryCallCount = (): number => unaryCalls;

const impl: grpc.UntypedServiceImplementation = {
  unary(call: grpc.ServerUnaryCall<string, string>, cb: grpc.sendUnaryData<string>) {
    unaryCalls++;
    if (call.request === 'missing') {
      cb({ code: grpc.status.NOT_FOUND, details: 'no such thing' });
      return;
    }
    const header = new grpc.Metadata();
    header.set('x-header', 'h');
    call.sendMetadata(header);
    const trailer = new grpc.Metadata();
    trailer.set('x-trailer', 'end');
    const token = String(call.metadata.get('x-token')[0] ?? '');
    cb(null, `${call.request.toUpperCase()}|${token}`, trailer);
  },
  serverStream(call: grpc.ServerWritableStream<string, string>) {
    const n = Number(call.request);
    for (let i = 0; i < Math.abs(n); i++) call.write(`msg-${i}`);
    if (n >= 0) call.end();
    else call.emit('error', { code: grpc.status.RESOURCE_EXHAUSTED, details: `stopped after ${-n}` });
  },
};

/** Starts the Echo server on 127.0.0.1, port 0 (h2c). */
export async function startEchoServer(): Promise<{ port: number; close: () => void }> {
  const server = new grpc.Server();
  server.addService(ECHO_DEFINITION, impl);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return { port, close: () => server.forceShutdown() };
}
