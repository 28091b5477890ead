import type { BenchOptions, ScenarioName } from './lib/options.js';
import { hostName } from './peers/peer.js';

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
];
