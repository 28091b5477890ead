import { createSocket, type Socket } from 'node:dgram';

/** A UDP server on 127.0.0.1 port 0 answering each datagram with `<tag>:<datagram>`. */
export function startUdpEcho(tag: string): Promise<{ socket: Socket; port: number }> {
  const socket = createSocket('udp4');
  socket.on('message', (m, r) => socket.send(Buffer.from(`${tag}:${m}`), r.port, r.address));
  return new Promise((resolve) =>
    socket.bind(0, '127.0.0.1', () => resolve({ socket, port: socket.address().port })),
  );
}

/**
 * Sends `text` from `client` to 127.0.0.1:`port` and resolves with the first answer, or undefined after
 * `ms` (UDP has no refusal: silence is the only "no").
 */
export function askUdp(client: Socket, port: number, text: string, ms = 1_000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const done = (answer: string | undefined) => {
      clearTimeout(timer);
      client.off('message', onMessage);
      resolve(answer);
    };
    const onMessage = (m: Buffer) => done(m.toString());
    const timer = setTimeout(() => done(undefined), ms);
    client.on('message', onMessage);
    client.send(text, port, '127.0.0.1');
  });
}

/** A UDP socket bound to 127.0.0.1 port 0 (its own source port, so its own session). */
export function udpClient(): Promise<Socket> {
  const socket = createSocket('udp4');
  return new Promise((resolve) => socket.bind(0, '127.0.0.1', () => resolve(socket)));
}
