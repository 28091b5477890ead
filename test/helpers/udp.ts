import { createSocket, type Socket } from 'node:dgram';

/** A real UDP echo server on 127.0.0.1 port 0 that prefixes each reply with its tag (`a:hello`). */
export function udpEchoServer(tag: string): Promise<{ socket: Socket; port: number }> {
  const socket = createSocket('udp4');
  socket.on('message', (msg, r) => socket.send(Buffer.from(`${tag}:${msg}`), r.port, r.address));
  return new Promise((resolve) =>
    socket.bind(0, '127.0.0.1', () => resolve({ socket, port: socket.address().port })),
  );
}

/** A UDP socket bound to 127.0.0.1 port 0 (its own source port, so its own session). */
export function udpClient(): Promise<Socket> {
  const socket = createSocket('udp4');
  return new Promise((resolve) => socket.bind(0, '127.0.0.1', () => resolve(socket)));
}

/** Sends one datagram to 127.0.0.1:`port` and resolves with the first reply (a 10 s guard). */
export function udpAsk(socket: Socket, port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no UDP reply to ${text}`)), 10_000);
    socket.once('message', (m) => {
      clearTimeout(timer);
      resolve(m.toString());
    });
    socket.send(text, port, '127.0.0.1');
  });
}
