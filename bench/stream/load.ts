/**
 * The backends and loads of the stream benchmark, in this process: a TCP sink (counts bytes until the
 * client's FIN, then answers the count), a TCP echo and a UDP echo, all on 127.0.0.1 port 0; and three
 * loads, each bounded in count and in time.
 */
import dgram from 'node:dgram';
import net from 'node:net';

export interface Backends {
  sink: number;
  echo: number;
  udpEcho: number;
  close(): Promise<void>;
}

export async function startBackends(): Promise<Backends> {
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  };
  const sink = net.createServer({ allowHalfOpen: true }, (s) => {
    track(s);
    let n = 0;
    s.on('data', (c: Buffer) => {
      n += c.length;
    });
    s.on('end', () => s.end(`${n}\n`));
  });
  const echo = net.createServer((s) => {
    track(s);
    s.pipe(s);
  });
  const udp = dgram.createSocket('udp4');
  udp.on('message', (msg, from) => udp.send(msg, from.port, from.address));
  const listen = (server: net.Server) =>
    new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
    );
  const udpPort = await new Promise<number>((resolve) =>
    udp.bind(0, '127.0.0.1', () => resolve(udp.address().port)),
  );
  return {
    sink: await listen(sink),
    echo: await listen(echo),
    udpEcho: udpPort,
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all([sink, echo].map((srv) => new Promise((resolve) => srv.close(resolve))));
      udp.close();
    },
  };
}

/** Whether one line sent to `port` comes back (the proxy forwards to the echo backend). */
export function echoes(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let got = '';
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.on('connect', () => s.write('ready?\n'));
    s.on('data', (d: Buffer) => {
      got += d.toString();
      if (got.includes('ready?\n')) done(true);
    });
    s.on('error', () => done(false));
    s.on('close', () => resolve(false));
  });
}

export interface ThroughputResult {
  bytes: number;
  seconds: number;
  mibPerSecond: number;
  /** The sink's count matched what was sent. */
  intact: boolean;
}

/** One connection sending `totalBytes` (or what `limitMs` allows) to the sink through `port`. */
export function throughput(port: number, totalBytes: number, limitMs: number): Promise<ThroughputResult> {
  const chunk = Buffer.alloc(256 * 1024, 0x61);
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let sent = 0;
    let start = 0;
    let answer = '';
    const deadline = setTimeout(
      () => s.destroy(new Error(`no answer within ${limitMs * 2} ms`)),
      limitMs * 2,
    );
    const pump = () => {
      while (sent < totalBytes && Date.now() - start < limitMs) {
        sent += chunk.length;
        if (!s.write(chunk)) return;
      }
      s.end();
    };
    s.on('connect', () => {
      start = Date.now();
      pump();
    });
    s.on('drain', pump);
    s.on('data', (d: Buffer) => {
      answer += d.toString();
    });
    s.on('error', (err) => {
      clearTimeout(deadline);
      reject(err);
    });
    s.on('end', () => {
      clearTimeout(deadline);
      const seconds = (Date.now() - start) / 1000;
      resolve({
        bytes: sent,
        seconds,
        mibPerSecond: sent / 1024 / 1024 / seconds,
        intact: Number(answer.trim()) === sent,
      });
      s.destroy();
    });
  });
}

export interface RateResult {
  done: number;
  errors: number;
  seconds: number;
  perSecond: number;
}

/**
 * New connections through `port`, `concurrency` at a time, until `count` are done or `limitMs` passed:
 * each connects, sends one byte, waits for its echo and closes.
 */
export async function connectionRate(
  port: number,
  count: number,
  concurrency: number,
  limitMs: number,
): Promise<RateResult> {
  let started = 0;
  let done = 0;
  let errors = 0;
  const t0 = Date.now();
  const one = () =>
    new Promise<void>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.setTimeout(5000, () => s.destroy(new Error('timeout')));
      s.on('connect', () => s.write('x'));
      s.on('data', () => {
        done++;
        s.end();
      });
      s.on('error', () => {
        errors++;
      });
      s.on('close', () => resolve());
    });
  const worker = async () => {
    while (started < count && Date.now() - t0 < limitMs) {
      started++;
      await one();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (Date.now() - t0) / 1000;
  return { done, errors, seconds, perSecond: done / seconds };
}

/**
 * Datagram round trips through `port`, one in flight at a time, until `count` or `limitMs`: each sends 64
 * bytes and waits for their echo (a datagram lost for 1 s counts as an error and the next one goes).
 */
export function udpRoundTrips(port: number, count: number, limitMs: number): Promise<RateResult> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    const payload = Buffer.alloc(64, 0x62);
    let done = 0;
    let errors = 0;
    let seq = 0;
    let timer: NodeJS.Timeout | undefined;
    const t0 = Date.now();
    const finish = () => {
      clearTimeout(timer);
      s.close();
      const seconds = (Date.now() - t0) / 1000;
      resolve({ done, errors, seconds, perSecond: done / seconds });
    };
    const next = () => {
      clearTimeout(timer);
      if (done + errors >= count || Date.now() - t0 >= limitMs) return finish();
      seq++;
      payload.writeUInt32BE(seq, 0);
      timer = setTimeout(() => {
        errors++;
        next();
      }, 1000);
      s.send(payload);
    };
    s.on('message', (msg) => {
      if (msg.readUInt32BE(0) !== seq) return; // a late echo of a datagram already counted lost
      done++;
      next();
    });
    s.on('error', () => {
      errors++;
    });
    s.connect(port, '127.0.0.1', next);
  });
}
