#!/usr/bin/env node
// Starts two demo backends (switchyard whoami) and Switchyard in front of them, with
// examples/quickstart.yml. Arguments are passed on to Switchyard:
//   npm run quickstart -- --api.insecure=true      (the dashboard on http://localhost:8080/dashboard/)
// The address line is printed once the backends and every entrypoint listen and the routes are applied.
// Ctrl-C stops all three.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'switchyard.js');
const extra = process.argv.slice(2);
const backends = [
  { name: 'backend-1', port: 9001 },
  { name: 'backend-2', port: 9002 },
];

const children = backends.map(({ name, port }) =>
  spawn(process.execPath, [bin, 'whoami', `--port=${port}`, `--name=${name}`], {
    stdio: 'inherit',
    cwd: root,
  }),
);
// The 'ipc' channel carries Switchyard's readiness messages (src/cli/parent-channel.ts).
const switchyard = spawn(process.execPath, [bin, '--configFile=examples/quickstart.yml', ...extra], {
  stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  cwd: root,
});
children.push(switchyard);

let stopping = false;
const stop = () => {
  stopping = true;
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const child of children) {
  child.on('exit', (code, signal) => {
    if (!stopping) {
      const what = child === switchyard ? 'Switchyard' : 'a demo backend';
      console.error(`quick start: ${what} stopped (${signal ?? `exit code ${code}`}); stopping the others`);
      process.exitCode = code || 1;
    }
    stop();
  });
}

/** Resolves once 127.0.0.1:port accepts a connection (tries for 30 s at most). */
async function listening(port) {
  for (let tries = 0; tries < 600 && !stopping; tries++) {
    const ok = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/**
 * Resolves with Switchyard's bound addresses once it listens and has applied the routes of the file, or
 * with undefined if it stops before.
 */
const switchyardReady = new Promise((resolve) => {
  switchyard.once('exit', () => resolve(undefined));
  let entryPoints;
  let applied = false;
  switchyard.on('message', (message) => {
    if (message?.type === 'switchyard:listening') entryPoints = message.entryPoints;
    // Generation 1 is the empty configuration served before the file provider answers.
    if (message?.type === 'switchyard:applied' && message.generation > 1) applied = true;
    if (entryPoints && applied) resolve(entryPoints);
  });
});

const url = (scheme, address, path = '/') =>
  `${scheme}://${address.replace(/^(127\.0\.0\.1|\[::1\]|0\.0\.0\.0|\[::\]):/, 'localhost:')}${path}`;

const [backendsUp, entryPoints] = await Promise.all([
  Promise.all(backends.map((b) => listening(b.port))),
  switchyardReady,
]);
if (!stopping && entryPoints && backendsUp.every(Boolean)) {
  const parts = [];
  if (entryPoints.web) parts.push(url('http', entryPoints.web));
  if (entryPoints.websecure) parts.push(`${url('https', entryPoints.websecure)} (self-signed)`);
  let line = `Switchyard on ${parts.join(' and ')}`;
  if (entryPoints.traefik) {
    line += `; ping on ${url('http', entryPoints.traefik, '/ping')}`;
    if (extra.some((a) => /^--api\.insecure(=true)?$/i.test(a)))
      line += `; dashboard on ${url('http', entryPoints.traefik, '/dashboard/')}`;
  }
  console.log(line);
}
