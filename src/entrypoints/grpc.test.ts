import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { startTestEntryPoint } from '../observability/test-entrypoint.js';
import { forward } from '../proxy/forward.js';
import { createUpstreamTarget, type UpstreamTarget } from '../proxy/target.js';

// A service without .proto files: messages are raw bytes (grpc-js takes any serializer).
const bytes = (b: Buffer) => b;
const method = (name: string, requestStream: boolean, responseStream: boolean) => ({
  path: `/test.Echo/${name}`,
  requestStream,
  responseStream,
  requestSerialize: bytes,
  requestDeserialize: bytes,
  responseSerialize: bytes,
  responseDeserialize: bytes,
});
const ECHO = {
  unary: method('Unary', false, false),
  serverStream: method('ServerStream', false, true),
  clientStream: method('ClientStream', true, false),
  bidi: method('Bidi', true, true),
} as const;
const EchoClient = grpc.makeGenericClientConstructor(ECHO, 'Echo');

type Client = InstanceType<typeof EchoClient> & Record<string, (...args: unknown[]) => unknown>;

let cancelledCalls = 0;
const impl: grpc.UntypedServiceImplementation = {
  unary(call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) {
    const text = call.request.toString();
    if (text === 'missing') {
      cb({ code: grpc.status.NOT_FOUND, details: 'no such thing' });
      return;
    }
    if (text === 'never') {
      call.on('cancelled', () => cancelledCalls++);
      return;
    }
    const trailer = new grpc.Metadata();
    trailer.set('x-trailer', 'end');
    const echoed = call.metadata.get('x-token')[0] ?? '';
    cb(null, Buffer.from(`${text.toUpperCase()}|${echoed}`), trailer);
  },
  serverStream(call: grpc.ServerWritableStream<Buffer, Buffer>) {
    const n = Number(call.request.toString());
    if (n < 0) {
      // The server dies after the first message.
      call.write(Buffer.from('first'));
      setTimeout(() => backend.forceShutdown(), 50);
      return;
    }
    for (let i = 0; i < n; i++) call.write(Buffer.from(`msg-${i}`));
    call.end();
  },
  clientStream(call: grpc.ServerReadableStream<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) {
    const parts: string[] = [];
    call.on('data', (m: Buffer) => parts.push(m.toString()));
    call.on('end', () => cb(null, Buffer.from(parts.join('+'))));
  },
  bidi(call: grpc.ServerDuplexStream<Buffer, Buffer>) {
    call.on('data', (m: Buffer) => call.write(Buffer.from(`pong:${m.toString()}`)));
    call.on('end', () => call.end());
  },
};

let backend: grpc.Server;
let target: UpstreamTarget;
let front: Awaited<ReturnType<typeof startTestEntryPoint>>;
let client: Client;

async function startBackend(): Promise<number> {
  backend = new grpc.Server();
  backend.addService(ECHO, impl);
  return new Promise((resolve, reject) =>
    backend.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) =>
      err ? reject(err) : resolve(port),
    ),
  );
}

before(async () => {
  const port = await startBackend();
  target = createUpstreamTarget(
    { url: `h2c://127.0.0.1:${port}` },
    { name: 'grpc-test', config: {} },
    { passHostHeader: true, generation: 7300 },
  );
  front = await startTestEntryPoint((ctx) => forward(ctx, target));
  client = new EchoClient(`127.0.0.1:${front.port}`, grpc.credentials.createInsecure()) as Client;
});
after(async () => {
  client.close();
  backend.forceShutdown();
  target.h2?.close();
  await front.close();
});

function unary(text: string, opts: { deadlineMs?: number; token?: string } = {}) {
  return new Promise<{ err: grpc.ServiceError | null; value?: Buffer; trailers?: grpc.Metadata }>(
    (resolve) => {
      const md = new grpc.Metadata();
      if (opts.token) md.set('x-token', opts.token);
      const options = opts.deadlineMs ? { deadline: Date.now() + opts.deadlineMs } : {};
      let result: { err: grpc.ServiceError | null; value?: Buffer } | undefined;
      let trailers: grpc.Metadata | undefined;
      const settle = () => {
        if (result && trailers) resolve({ ...result, trailers });
      };
      const call = client.unary(
        Buffer.from(text),
        md,
        options,
        (err: grpc.ServiceError | null, value?: Buffer) => {
          result = { err, value };
          settle();
        },
      ) as grpc.ClientUnaryCall;
      call.on('status', (s: grpc.StatusObject) => {
        trailers = s.metadata;
        settle();
      });
    },
  );
}

function collect(stream: grpc.ClientReadableStream<Buffer>) {
  return new Promise<{ messages: string[]; status?: grpc.StatusObject; err?: grpc.ServiceError }>(
    (resolve) => {
      const messages: string[] = [];
      let err: grpc.ServiceError | undefined;
      stream.on('data', (m: Buffer) => messages.push(m.toString()));
      stream.on('error', (e: grpc.ServiceError) => {
        err = e;
      });
      stream.on('status', (status: grpc.StatusObject) => {
        // 'status' comes last; give a pending 'error' its turn.
        setImmediate(() => resolve({ messages, status, err }));
      });
    },
  );
}

describe('gRPC through Switchyard (grpc-js client and server, h2c)', () => {
  it('unary: request metadata in, reply and trailing metadata out', async () => {
    const { err, value, trailers } = await unary('hello', { token: 'abc' });
    assert.equal(err, null);
    assert.equal(value?.toString(), 'HELLO|abc');
    assert.deepEqual(trailers?.get('x-trailer'), ['end']);
  });

  it('passes grpc-status and grpc-message through', async () => {
    const { err } = await unary('missing');
    assert.equal(err?.code, grpc.status.NOT_FOUND, err?.details);
    assert.equal(err?.details, 'no such thing');
  });

  it('server streaming', async () => {
    const got = await collect(client.serverStream(Buffer.from('5')) as grpc.ClientReadableStream<Buffer>);
    assert.deepEqual(got.messages, ['msg-0', 'msg-1', 'msg-2', 'msg-3', 'msg-4']);
    assert.equal(got.status?.code, grpc.status.OK);
  });

  it('server streaming with no message: the status arrives in trailers', async () => {
    const got = await collect(client.serverStream(Buffer.from('0')) as grpc.ClientReadableStream<Buffer>);
    assert.deepEqual(got.messages, []);
    assert.equal(got.status?.code, grpc.status.OK);
    assert.equal(got.err, undefined);
  });

  it('client streaming', async () => {
    const reply = await new Promise<Buffer | undefined>((resolve, reject) => {
      const call = client.clientStream((err: grpc.ServiceError | null, value?: Buffer) =>
        err ? reject(err) : resolve(value),
      ) as grpc.ClientWritableStream<Buffer>;
      for (const part of ['a', 'b', 'c', 'd']) call.write(Buffer.from(part));
      call.end();
    });
    assert.equal(reply?.toString(), 'a+b+c+d');
  });

  it('bidirectional streaming, message by message', async () => {
    const call = client.bidi() as grpc.ClientDuplexStream<Buffer, Buffer>;
    const got: string[] = [];
    for (const word of ['one', 'two', 'three']) {
      const answer = new Promise<string>((resolve) =>
        call.once('data', (m: Buffer) => resolve(m.toString())),
      );
      call.write(Buffer.from(word));
      got.push(await answer); // the next message is sent only once this one came back
    }
    call.end();
    assert.deepEqual(got, ['pong:one', 'pong:two', 'pong:three']);
  });

  it('a deadline ends the call with DEADLINE_EXCEEDED and cancels it upstream', async () => {
    const before = cancelledCalls;
    const { err } = await unary('never', { deadlineMs: 300 });
    assert.equal(err?.code, grpc.status.DEADLINE_EXCEEDED);
    for (let i = 0; i < 500 && cancelledCalls === before; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(cancelledCalls, before + 1, 'the backend saw the call cancelled');
  });

  it('a backend dying mid-stream gives the client a gRPC error, not a hang', async () => {
    const got = await collect(client.serverStream(Buffer.from('-1')) as grpc.ClientReadableStream<Buffer>);
    assert.deepEqual(got.messages, ['first']);
    assert.notEqual(got.status?.code, grpc.status.OK);
    assert.ok(got.err, 'the stream ended with an error');
  });
});
