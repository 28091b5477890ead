import { setFlagsFromString } from 'node:v8';

/**
 * Start-up without growing V8's young generation for good (issue #14, idle RSS).
 *
 * V8 doubles the young generation's two semi-spaces whenever more bytes survived its scavenges since the
 * last growth than the semi-spaces hold. Start-up keeps nearly everything it allocates (about 650 modules,
 * the schemas, the first configuration), so without this the semi-spaces grow from 1 MiB to 8 MiB each
 * during the first second and stay committed while the proxy idles: about 12 MiB of an 85 MiB process.
 *
 * `holdYoungGeneration()` sets V8's growth factor to 1 before the modules load, so the semi-spaces keep
 * their initial size; what survives goes to the old generation, where it would have ended anyway.
 * `releaseYoungGeneration()`, once the instance serves, sets V8's default factor (2) back: under load the
 * young generation grows as it always did, so throughput is unchanged.
 *
 * V8 reads `--semi-space-growth-factor` each time it grows the young generation, so setting it with
 * `v8.setFlagsFromString` acts at once. A process started with semi-space options of its own
 * (`node --max-semi-space-size=…`, or in `NODE_OPTIONS`) is left as its operator configured it.
 */

/** V8's default growth factor (`node --v8-options`), restored by `releaseYoungGeneration()`. */
const V8_DEFAULT_GROWTH = 2;

let held = false;

/** Whether node's own arguments or `NODE_OPTIONS` set any semi-space option (dashes or underscores). */
export function setsSemiSpaceOptions(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)];
  return given.some((arg) => /^--(?:[a-z]+[-_])*semi[-_]space/.test(arg));
}

/** Keeps the young generation at its initial size until `releaseYoungGeneration()`. */
export function holdYoungGeneration(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string | undefined = process.env.NODE_OPTIONS,
): boolean {
  if (held || setsSemiSpaceOptions(execArgv, nodeOptions)) return false;
  setFlagsFromString('--semi-space-growth-factor=1');
  held = true;
  return true;
}

/** Lets the young generation grow again, as V8 does by default. Does nothing if it was not held. */
export function releaseYoungGeneration(): void {
  if (!held) return;
  setFlagsFromString(`--semi-space-growth-factor=${V8_DEFAULT_GROWTH}`);
  held = false;
}
