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

/** What most scenarios are: one catch-all route, wrk's Host header, no reload, Switchyard alone. */
const scenario = (s: Partial<Scenario> & Pick<Scenario, 'name' | 'title'>): Scenario => ({
  hosts: () => 0,
  hostHeader: () => undefined,
  reload: false,
  switchyardOnly: true,
  ...s,
});

/** Thousands of host routes (`--hosts`), the load hitting the one in the middle. */
const MANY_HOSTS: Pick<Scenario, 'hosts' | 'hostHeader'> = {
  hosts: (opts) => opts.hosts,
  hostHeader: (opts) => hostName(Math.floor(opts.hosts / 2)),
};

export const SCENARIO_LIST: Scenario[] = [
  scenario({
    name: 'small-get',
    title: 'GET of a tiny response over keep-alive, one catch-all route',
    switchyardOnly: false,
  }),
  scenario({
    name: 'many-hosts',
    title: 'the same GET with thousands of host routes configured, hitting one in the middle',
    switchyardOnly: false,
    ...MANY_HOSTS,
  }),
  scenario({
    name: 'reload',
    title: 'the small GET while the dynamic configuration file is rewritten every second',
    reload: true,
  }),
  scenario({
    name: 'reload-workers',
    title: 'the reload scenario with several worker processes',
    reload: true,
    workers: true,
  }),
  scenario({
    name: 'workers',
    title: 'the small GET with several worker processes, against nginx with as many workers, unpinned',
    switchyardOnly: false,
    workers: true,
    peers: ['switchyard', 'nginx'],
  }),
  scenario({
    name: 'access-log',
    title: "the small GET with the JSON access log written to a file, against Switchyard's own small-get",
    variant: 'access-log',
    compareTo: 'small-get',
  }),
  scenario({
    name: 'middlewares',
    title: "the small GET through headers and stripPrefix, Prometheus on, against Switchyard's own small-get",
    variant: 'middlewares',
    pathPrefix: '/api',
    compareTo: 'small-get',
  }),
  scenario({
    name: 'idle-rss',
    title: 'the memory of a started Switchyard with one router and no load',
    idle: true,
  }),
  scenario({
    name: 'many-hosts-reload',
    title: 'the many-hosts GET while the thousands of routers are rewritten every second',
    reload: true,
    compareTo: 'many-hosts',
    ...MANY_HOSTS,
  }),
];

/** Scenarios whose every request must succeed while the configuration is rewritten. */
export const isReload = (name: string): boolean =>
  name === 'reload' || name === 'reload-workers' || name === 'many-hosts-reload';
