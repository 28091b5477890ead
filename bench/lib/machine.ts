import { spawnSync } from 'node:child_process';
import os from 'node:os';

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  kernel: string;
  node: string;
  tools: Record<string, string>;
}

/** The first line a tool prints about its version (some print it on stderr, wrk exits non-zero). */
function version(command: string, args: string[]): string {
  const out = spawnSync(command, args, { encoding: 'utf8', timeout: 5000 });
  if (out.error) return 'not found';
  const text = `${out.stdout ?? ''}\n${out.stderr ?? ''}`;
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .find(Boolean) ?? 'unknown'
  );
}

export function machineInfo(): MachineInfo {
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    tools: {
      nginx: version('nginx', ['-v']),
      haproxy: version('haproxy', ['-v']),
      caddy: version('caddy', ['version']),
      wrk: version('wrk', ['-v']),
    },
  };
}
