/** What every proxy under test is given to prepare its configuration. */
export interface PeerContext {
  /** A private scratch folder for this proxy's configuration, logs and temp files. */
  dir: string;
  /** The free port on 127.0.0.1 the proxy must listen on. */
  port: number;
  /** The one backend every proxy forwards to. */
  backend: { host: string; port: number };
  /** 0: one catch-all route; N: N host routes `h0.example.test` … `h<N-1>.example.test`. */
  hosts: number;
  /** Upstream connections each proxy may keep open (at least the load's connection count). */
  poolSize: number;
  /** Worker processes (Switchyard `workers`, nginx `worker_processes`; the other peers ignore it). */
  workers: number;
  /** Switchyard-only scenarios: what is switched on besides the routers (the other peers ignore it). */
  variant?: SwitchyardVariant;
  /** Repository root (for Switchyard's own CLI and the compiled peer scripts). */
  repoRoot: string;
}

/**
 * `access-log`: the JSON access log to a file; `middlewares`: the router goes through `headers` and
 * `stripPrefix` (the load's path starts with `/api`), with Prometheus metrics on.
 */
export type SwitchyardVariant = 'access-log' | 'middlewares';

/** How to start a prepared proxy. */
export interface Launch {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /**
   * Which processes' memory counts: `tree` = the process and all its descendants; `children` = only the
   * descendants (nginx: the worker, not the master).
   */
  rss: 'tree' | 'children';
  /** The dynamic configuration file, for proxies whose configuration is rewritten during a run. */
  dynamicFile?: string;
}

export interface ProxyPeer {
  name: string;
  /** The executable that must be on PATH for this peer to run at all. */
  executable: string;
  prepare(ctx: PeerContext): Promise<Launch>;
}

export const HOST_SUFFIX = '.example.test';

/** The host name of host route `i` in the many-hosts scenario. */
export function hostName(i: number): string {
  return `h${i}${HOST_SUFFIX}`;
}
