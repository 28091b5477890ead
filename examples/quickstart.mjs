#!/usr/bin/env node
// Starts two demo backends (switchyard whoami) and Switchyard in front of them, with
// examples/quickstart.yml. Ctrl-C stops all three.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'switchyard.js');
const children = [
  spawn(process.execPath, [bin, 'whoami', '--port=9001', '--name=backend-1'], {
    stdio: 'inherit',
    cwd: root,
  }),
  spawn(process.execPath, [bin, 'whoami', '--port=9002', '--name=backend-2'], {
    stdio: 'inherit',
    cwd: root,
  }),
  spawn(process.execPath, [bin, '--configFile=examples/quickstart.yml'], { stdio: 'inherit', cwd: root }),
];
console.log(
  'Switchyard on http://localhost:8000/ and https://localhost:8443/ (self-signed); ping on :8080/ping',
);
const stop = () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
children[2].on('exit', (code) => {
  stop();
  process.exitCode = code ?? 0;
});
