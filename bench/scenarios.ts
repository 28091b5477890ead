import type { BenchOptions, ProxyName, ScenarioName } from './lib/options.js';
import { hostName, type SwitchyardVariant } from './peers/peer.js';

export interface Scenario {
  name: ScenarioName;
  /** One line on what the scenario measures, printed above its table. */
  title: string;
  /** Host routes to configure (0: one catch-all route). */
  hosts(opts: BenchOptions): number;
  /** The Host header the load sends (undefined: wrk's default, 127.0.0.1:port). */
  hostHeader(opts: BenchOptions): string | undefined;
  /** Rewrite Switchyard's dynamic configuration every second during the load. */
  reload: boolean;
  /** Only Switchyard takes part. */
  switchyardOnly: boolean;
  /**
   * Several worker processes (`--workers`, default 2) for Switchyard and nginx, only those two take part,
   * nothing is pinned (both proxies compete for the same cores as the load), and each process's CPU time
   * over the run is read from /proc/PID/stat.
   */
  workers?: boolean;
  /** Only these proxies take part (of those selected). */
  peers?: ProxyName[];
  /** Switchyard's configuration besides the routers (access log, middlewares). */
  variant?: SwitchyardVariant;
  /** Put before the backend's path in the load's requests (the `middlewares` scenario strips it). */
  pathPrefix?: string;
  /** No load: the proxy starts, answers once, settles for a few seconds, and its memory is read. */
  idle?: boolean;
  /** Printed as a ratio to Switchyard's own figures in this scenario of the same run. */
  compareTo?: ScenarioName;
}

export const SCENARIO_LIST: Scenario[] = [
  {
    name: 'small-get',
    title: 'GET of a tiny response over keep-alive, one catch-all route',
    hosts: () => 0,
    hostHeader: () => undefined,
    reload: false,
    switchyardOnly: false,
  },
  {
    name: 'many-hosts',
    title: 'the same GET with thousands of host routes configured, hitting one in the middle',
    hosts: (opts) => opts.hosts,
    hostHeader: (opts) => hostName(Math.floor(opts.hosts / 2)),
    reload: false,
    switchyardOnly: false,
  },
  {
    name: 'reload',
    title: 'the small GET while the dynamic configuration file is rewritten every second',
    hosts: () => 0,
    hostHeader: () => undefined,
    reload: true,
    switchyardOnly: true,
  },
  {
    name: 'reload-workers',
    title: 'the reload scenario with several worker processes',
    hosts: () => 0,
    hostHeader: () => undefined,
    reload: true,
    switchyardOnly: true,
    workers: true,
  },
  {
    name: 'workers',
    title: 'the small GET with several worker processes, against nginx with as many workers, unpinned',
    hosts: () => 0,
    hostHeader: () => undefined,
    reload: false,
    switchyardOnly: false,
    workers: true,
    peers: ['switchyard', 'nginx'],
  },
  {
    name: 'access-log',
    title: "the small GET with the JSON access log written to a file, against Switchyard's own small-get",
    hosts: () => 0,
    hostHeader: () => undefined,
    reload: false,
    switchyardOnly: true,
    variant: 'access-log',
    compareTo: 'small-get',
  },
  {
    name: 'middlewares',
    title: "the small GET through headers and stripPrefix, Prometheus on, against Switchyard's own small-get",
    hosts: () => 0,
    hostHeader: () => undefined,
    reload: false,
    switchyardOnly: true,
    variant: 'middlewares',
    pathPrefix: '/api',
    compareTo: 'small-get',
  },
  {
    name: 'idle-rss',
    title: 'the memory of a started Switchyard with one router and no load',
    hosts: () => 0,
    hostHeader: () => undefined,
    reload: false,
    switchyardOnly: true,
    idle: true,
  },
  {
    name: 'many-hosts-reload',
    title: 'the many-hosts GET while the thousands of routers are rewritten every second',
    hosts: (opts) => opts.hosts,
    hostHeader: (opts) => hostName(Math.floor(opts.hosts / 2)),
    reload: true,
    switchyardOnly: true,
    compareTo: 'many-hosts',
  },
];

/** Scenarios whose every request must succeed while the configuration is rewritten. */
export const isReload = (name: string): boolean =>
  name === 'reload' || name === 'reload-workers' || name === 'many-hosts-reload';
