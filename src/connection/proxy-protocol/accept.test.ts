import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import { errorMessage } from '../../core/errors.js';
import { compileProxyProtocol, type ProxyRead, readProxyHeader } from './accept.js';

/** Accepts one connection on 127.0.0.1, runs readProxyHeader on it and resolves with the result and the bytes after. */
async function readFrom(
  send: (s: net.Socket) => void,
  timeoutMs = 0,
  onResult: () => void = () => {},
): Promise<{ result: ProxyRead; after: string }> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const accepted = new Promise<{ result: ProxyRead; after: string }>((resolve) => {
    server.once('connection', (socket) => {
      readProxyHeader(socket, timeoutMs, (result) => {
        onResult();
        if (result.kind !== 'header' && result.kind !== 'none') {
          socket.destroy();
          resolve({ result, after: '' });
          return;
        }
        let after = '';
        socket.setEncoding('latin1');
        socket.on('data', (c) => {
          after += c;
        });
        socket.on('end', () => {
          socket.end();
          resolve({ result, after });
        });
      });
    });
  });
  const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1', () => send(client));
  client.on('error', () => {});
  try {
    return await accepted;
  } finally {
    client.destroy();
    server.close();
  }
}

describe('readProxyHeader on a real socket', () => {
  it('takes the header off a stream sent in small pieces and hands the rest on intact', async () => {
    const text = 'PROXY TCP4 192.0.2.1 192.0.2.2 1000 80\r\nhello';
    const { result, after } = await readFrom((s) => {
      let i = 0;
      const step = () => {
        if (i >= text.length) return s.end();
        s.write(text.slice(i, i + 3), step);
        i += 3;
      };
      step();
    });
    assert.equal(result.kind, 'header');
    assert.equal(after, 'hello');
  });

  it('passes plain traffic through untouched', async () => {
    const { result, after } = await readFrom((s) => s.end('GET / HTTP/1.1\r\n\r\n'));
    assert.equal(result.kind, 'none');
    assert.equal(after, 'GET / HTTP/1.1\r\n\r\n');
  });

  it('goes on without a header when the client sends nothing in time, refuses a header left half-sent', async () => {
    // The client stays silent until the reader has given up waiting (then it closes, ending the exchange).
    let client: net.Socket | undefined;
    const silent = await readFrom(
      (s) => {
        client = s;
      },
      50,
      () => client?.end(),
    );
    assert.equal(silent.result.kind, 'none');
    const half = await readFrom((s) => s.write('PROXY TCP4 1'), 50);
    assert.equal(half.result.kind, 'error');
    assert.match(half.result.kind === 'error' ? half.result.reason : '', /incomplete header after 50 ms/);
  });
});

describe('compileProxyProtocol', () => {
  it('needs trustedIPs or insecure, and names a bad trusted address', () => {
    assert.throws(() => compileProxyProtocol({}, 0), /set trustedIPs .* or insecure: true/);
    assert.doesNotThrow(() => compileProxyProtocol({ insecure: true }, 0));
    try {
      compileProxyProtocol({ trustedIPs: ['10.0.0.0/33'] }, 0);
      assert.fail('no error');
    } catch (err) {
      assert.match(
        errorMessage(err),
        /proxyProtocol\.trustedIPs: "10\.0\.0\.0\/33" is not an IP address or CIDR/,
      );
    }
  });
});
