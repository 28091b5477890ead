import cluster, { type Worker } from 'node:cluster';
import diagnostics from 'node:diagnostics_channel';
import type { AddressInfo } from 'node:net';
import { Instance } from '../cli/instance.js';
import type { ParentChannel } from '../cli/parent-channel.js';
import type { StaticConfig } from '../config/static/index.js';
import { errorMessage, SwitchyardError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Extensions } from '../extensions.js';
import { SERVER_HEALTH_CHANNEL, type ServerHealthEvent } from '../services/healthcheck/server-health.js';
import { LimitsOwner } from './limits-owner.js';
import { type ConfigSnapshot, isToPrimary, type ToPrimary, type ToWorker } from './messages.js';

interface Member {
  worker: Worker;
  listening: boolean;
  applied: number;
  startedAt: number;
}

/** How long a gather waits for a worker's part before answering with the others'. */
const GATHER_LIMIT_MS = 2_000;

/**
 * The primary process of an instance with worker processes: owns providers, the watcher, health
 * checks, ACME and UDP (through its `Instance` in the `primary` role), forks the workers, hands each
 * configuration generation to them, answers their limit requests, replaces a worker that dies, and
 * drains them all on shutdown.
 */
export class WorkerPool {
  private readonly members = new Map<number, Member>();
  private readonly limits = new LimitsOwner();
  private latest: ConfigSnapshot | undefined;
  private announced = 0;
  private stopping = false;
  /** Generations are announced once every first worker listens. */
  private started = false;
  private instance: Instance | undefined;
  private entryPoints: Record<string, string> = {};
  private readonly gathers = new Map<number, { parts: unknown[]; waiting: Set<number>; done(): void }>();
  private nextGather = 1;
  private fastExits = 0;
  /** TLS-ALPN-01 answers under way, for workers that start during a validation. */
  private readonly alpn = new Map<string, string>();
  private readonly onHealth = (m: unknown) => {
    const e = m as ServerHealthEvent;
    this.broadcast({ sy: 'health', service: e.service, url: e.server, up: e.up });
  };

  private constructor(
    private readonly logger: Logger,
    private readonly parent: ParentChannel | undefined,
  ) {}

  /** Starts the primary's instance and `count` workers; resolves once every worker listens. */
  static async start(
    config: StaticConfig,
    logger: Logger,
    count: number,
    parent?: ParentChannel,
    extensions?: Extensions,
  ): Promise<WorkerPool> {
    const pool = new WorkerPool(logger, parent);
    cluster.setupPrimary({ serialization: 'advanced' });
    pool.instance = await Instance.start(config, logger, {
      role: { kind: 'primary', onGeneration: (s) => pool.publish(s) },
      extensions,
    });
    diagnostics.subscribe(SERVER_HEALTH_CHANNEL, pool.onHealth);
    pool.instance.onAcmeChallenge((kind, name, answer) => {
      if (kind !== 'alpn') return;
      if (answer === undefined) pool.alpn.delete(name);
      else pool.alpn.set(name, answer);
      pool.broadcast({ sy: 'alpn', name, ...(answer === undefined ? {} : { answer }) }, true);
    });
    const ready = Array.from({ length: count }, () => pool.fork());
    try {
      await Promise.all(ready);
    } catch (err) {
      await pool.shutdown();
      throw err;
    }
    logger.info('workers started', { workers: count });
    pool.started = true;
    pool.announce();
    return pool;
  }

  /** Bound address per entrypoint (what the workers report, and the primary's UDP ones). */
  get addresses(): Map<string, AddressInfo> {
    const out = new Map<string, AddressInfo>(this.instance?.addresses);
    for (const [name, hostPort] of Object.entries(this.entryPoints)) {
      const cut = hostPort.lastIndexOf(':');
      const address = hostPort.slice(0, cut);
      out.set(name, {
        address,
        port: Number(hostPort.slice(cut + 1)),
        family: address.includes(':') ? 'IPv6' : 'IPv4',
      });
    }
    return out;
  }

  /** Workers' process ids (operations, tests). */
  get pids(): number[] {
    return [...this.members.values()].map((m) => m.worker.process.pid!);
  }

  /** SIGHUP: the providers read their sources again (in the primary, which runs them). */
  reload(): void {
    this.instance?.reload();
  }

  /** The access log files were rotated (SIGUSR1): every process reopens its own. */
  reopenLogs(): void {
    void this.instance?.accessLog?.reopen();
    this.broadcast({ sy: 'reopen' });
  }

  /** Drains every worker (in-flight requests complete), then stops the primary's own instance. */
  async shutdown(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    diagnostics.unsubscribe(SERVER_HEALTH_CHANNEL, this.onHealth);
    const exits = [...this.members.values()].map(
      (m) =>
        new Promise<void>((resolve) =>
          m.worker.isDead() ? resolve() : m.worker.once('exit', () => resolve()),
        ),
    );
    this.broadcast({ sy: 'shutdown' }, true);
    await Promise.all(exits);
    await this.instance?.shutdown();
  }

  private fork(): Promise<void> {
    const worker = cluster.fork();
    const member: Member = { worker, listening: false, applied: 0, startedAt: Date.now() };
    this.members.set(worker.id, member);
    worker.on('error', (err) => this.logger.debug('worker channel error', { error: err.message }));
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (m: unknown) => {
        if (!isToPrimary(m)) return;
        if (m.sy === 'hello') {
          for (const [name, answer] of this.alpn) this.send(member, { sy: 'alpn', name, answer });
          if (this.latest) this.send(member, { sy: 'config', snapshot: this.latest });
          return;
        }
        if (m.sy === 'listening') {
          member.listening = true;
          this.entryPoints = { ...this.entryPoints, ...m.entryPoints };
          // A generation published between its hello and now.
          if (this.latest && this.latest.number > member.applied)
            this.send(member, { sy: 'config', snapshot: this.latest });
          resolve();
          return;
        }
        this.onMessage(member, m);
      });
      worker.on('exit', (code, signal) => {
        this.members.delete(worker.id);
        this.limits.forget(worker.id);
        for (const g of this.gathers.values())
          if (g.waiting.delete(worker.id) && g.waiting.size === 0) g.done();
        if (!member.listening) {
          reject(
            new SwitchyardError(
              'LISTEN_FAILED',
              `worker ${worker.id} exited (${code ?? signal}) before listening`,
            ),
          );
        }
        if (this.stopping || !member.listening) return;
        this.logger.warn('worker exited; starting another', { pid: worker.process.pid, code, signal });
        this.replace(member);
        this.announce();
      });
    });
  }

  /** A crashed worker is replaced at once, or after a pause that grows while workers keep dying young. */
  private replace(dead: Member): void {
    this.fastExits = Date.now() - dead.startedAt < 5_000 ? this.fastExits + 1 : 0;
    const pause = Math.min(30_000, this.fastExits * 1_000);
    setTimeout(() => {
      if (this.stopping) return;
      this.fork().catch((err) =>
        this.logger.error('replacement worker failed', { error: errorMessage(err) }),
      );
    }, pause).unref();
  }

  private publish(snapshot: ConfigSnapshot): void {
    this.latest = snapshot;
    for (const m of this.members.values()) if (m.listening) this.send(m, { sy: 'config', snapshot });
    this.announce();
  }

  /** Logs `configuration applied` once every listening worker serves the newest generation. */
  private announce(): void {
    const latest = this.latest;
    if (!this.started || !latest || latest.number <= this.announced) return;
    const live = [...this.members.values()].filter((m) => m.listening);
    if (live.length === 0 || live.some((m) => m.applied < latest.number)) return;
    this.announced = latest.number;
    this.logger.info('configuration applied', {
      generation: latest.number,
      routers: latest.routers,
      workers: live.length,
    });
    this.parent?.extras.onApplied?.(latest.number);
  }

  private onMessage(member: Member, m: ToPrimary): void {
    const id = member.worker.id;
    switch (m.sy) {
      case 'applied':
        member.applied = Math.max(member.applied, m.number);
        this.announce();
        break;
      case 'take': {
        const value = this.limits.take(m.bucket, m, m.key);
        this.send(member, { sy: 'reply', id: m.id, value });
        break;
      }
      case 'acquire':
        this.send(member, {
          sy: 'reply',
          id: m.id,
          value: this.limits.acquire(id, m.counter, m.amount, m.key),
        });
        break;
      case 'release':
        this.limits.release(id, m.counter, m.key);
        break;
      case 'acme-http':
        void this.instance?.acmeHttpAnswer(m.token).then(
          (value) => this.send(member, { sy: 'reply', id: m.id, value }),
          () => this.send(member, { sy: 'reply', id: m.id }),
        );
        break;
      case 'bench':
        for (const other of this.members.values())
          if (other !== member && other.listening) this.send(other, m);
        break;
      case 'gather':
        this.gather(m.what, (parts) => this.send(member, { sy: 'reply', id: m.id, value: parts }));
        break;
      case 'collected': {
        const g = this.gathers.get(m.id);
        if (g?.waiting.delete(id)) {
          g.parts.push(m.value);
          if (g.waiting.size === 0) g.done();
        }
        break;
      }
    }
  }

  /** Asks every listening worker for its part; answers with what came within GATHER_LIMIT_MS. */
  private gather(what: 'metrics' | 'stats', answer: (parts: unknown[]) => void): void {
    const id = this.nextGather++;
    const live = [...this.members.values()].filter((m) => m.listening);
    let finished = false;
    const g = {
      parts: [] as unknown[],
      waiting: new Set(live.map((m) => m.worker.id)),
      done: () => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        this.gathers.delete(id);
        answer(g.parts);
      },
    };
    const timer = setTimeout(g.done, GATHER_LIMIT_MS);
    this.gathers.set(id, g);
    for (const m of live) this.send(m, { sy: 'collect', id, what });
    if (live.length === 0) g.done();
  }

  private broadcast(m: ToWorker, all = false): void {
    for (const member of this.members.values()) if (all || member.listening) this.send(member, m);
  }

  private send(member: Member, m: ToWorker): void {
    if (member.worker.isConnected()) member.worker.send(m);
  }
}
