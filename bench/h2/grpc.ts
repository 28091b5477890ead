import * as grpc from '@grpc/grpc-js';
import { percentile } from './load.js';

// A unary method on raw bytes: no .proto needed, the payload is echoed as is.
const identity = (b: Buffer): Buffer => b;
const ECHO: grpc.ServiceDefinition = {
  Echo: {
    path: '/bench.Echo/Echo',
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  },
};

/** A real grpc-js server on 127.0.0.1 answering Echo. */
export async function startGrpcServer(): Promise<{ port: number; stop(): Promise<void> }> {
  const server = new grpc.Server();
  server.addService(ECHO, {
    Echo: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) =>
      cb(null, call.request),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return { port, stop: () => new Promise((resolve) => server.tryShutdown(() => resolve())) };
}

const EchoClient = grpc.makeGenericClientConstructor(ECHO, 'Echo');
type Echo = grpc.Client & {
  Echo(req: Buffer, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: Buffer) => void): void;
};

export function grpcClient(port: number): Echo {
  return new EchoClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as unknown as Echo;
}

function call(client: Echo, payload: Buffer, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    client.Echo(payload, { deadline: Date.now() + timeoutMs }, (err, res) =>
      resolve(!err && res !== undefined && res.equals(payload)),
    );
  });
}

export async function grpcReady(client: Echo): Promise<boolean> {
  return call(client, Buffer.from('ready'), 1000);
}

export interface GrpcLoadResult {
  rps: number;
  ok: number;
  failed: number;
  p50Ms: number;
  p99Ms: number;
}

/** `inFlight` loops of unary calls on one channel, until `maxCalls` are done or `durationS` is over. */
export async function grpcLoad(
  client: Echo,
  opts: { inFlight: number; maxCalls: number; durationS: number },
): Promise<GrpcLoadResult> {
  const payload = Buffer.alloc(64, 'x');
  const latencies: number[] = [];
  let issued = 0;
  let failed = 0;
  const start = performance.now();
  const end = start + opts.durationS * 1000;
  const worker = async (): Promise<void> => {
    while (issued < opts.maxCalls && performance.now() < end) {
      issued++;
      const t0 = performance.now();
      if (await call(client, payload, 5000)) latencies.push(performance.now() - t0);
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: opts.inFlight }, worker));
  const elapsedS = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / elapsedS,
    ok: latencies.length,
    failed,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
  };
}
