/**
 * Step metering for WebAssembly guests (docs/design/wasm-plugins.md). A guest runs on the event loop, so
 * one that never returns would stall the proxy. `meter` rewrites a module so that every function entry
 * and every loop iteration spends one step from a counter held in a new exported global; when the
 * counter is at zero the guest traps (`unreachable`). The host sets the budget before each call into the
 * guest and, after a trap, reads the counter to tell a runaway from an ordinary trap.
 *
 * Only the code, global and export sections change; function, type and global indices stay as they
 * were (the new global comes last), and branch depths too (the inserted check is a closed `if … end`).
 */

/** The export name of the step counter added by `meter`. */
export const FUEL_EXPORT = '__switchyard_steps';

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}
  byte(): number {
    if (this.pos >= this.buf.length) throw new Error('unexpected end of the module');
    return this.buf[this.pos++]!;
  }
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 35) throw new Error('malformed LEB128 number');
    }
  }
  /** Skips a signed or unsigned LEB128 number. */
  leb(): void {
    for (let i = 0; i < 10; i++) if ((this.byte() & 0x80) === 0) return;
    throw new Error('malformed LEB128 number');
  }
  skip(n: number): void {
    this.pos += n;
    if (this.pos > this.buf.length) throw new Error('unexpected end of the module');
  }
}

function u32(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** A non-negative number as a signed LEB128 (`i32.const` immediate). */
function s32(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n === 0 && (b & 0x40) === 0) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/** Appends `items` to `out` (no spread: modules can be megabytes). */
function append(out: number[], items: ArrayLike<number>): void {
  for (let i = 0; i < items.length; i++) out.push(items[i]!);
}

function section(out: number[], id: number, body: ArrayLike<number>): void {
  out.push(id);
  append(out, u32(body.length));
  append(out, body);
}

/** Skips the immediates of the instruction whose opcode was just read. */
function skipImmediates(r: Reader, op: number): void {
  if (op === 0x02 || op === 0x03 || op === 0x04) {
    // block type: 0x40, a value type (one byte, negative in s33) or a type index (s33)
    r.leb();
  } else if ((op >= 0x0c && op <= 0x0d) || (op >= 0x10 && op <= 0x13) || (op >= 0x20 && op <= 0x26)) {
    r.u32();
    if (op === 0x11 || op === 0x13) r.u32(); // call_indirect / return_call_indirect: type, table
  } else if (op === 0x0e) {
    const n = r.u32();
    for (let i = 0; i <= n; i++) r.u32();
  } else if (op === 0x1c) {
    const n = r.u32();
    for (let i = 0; i < n; i++) r.leb();
  } else if (op >= 0x28 && op <= 0x3e) {
    r.u32();
    r.u32();
  } else if (op === 0x3f || op === 0x40 || op === 0xd0) {
    r.byte();
  } else if (op === 0x41 || op === 0x42) {
    r.leb();
  } else if (op === 0x43) {
    r.skip(4);
  } else if (op === 0x44) {
    r.skip(8);
  } else if (op === 0xd2) {
    r.u32();
  } else if (op === 0xfc) {
    skipMisc(r, r.u32());
  } else if (op === 0xfd) {
    skipSimd(r, r.u32());
  } else if (op === 0xfe) {
    throw new Error('threads (atomic instructions) are not supported');
  } else if (op >= 0x06 && op <= 0x0a) {
    throw new Error('exception handling instructions are not supported');
  }
}

function skipMisc(r: Reader, sub: number): void {
  if (sub <= 7) return; // saturating truncations
  if (sub === 8) {
    r.u32();
    r.byte();
  } else if (sub === 10) r.skip(2);
  else if (sub === 11) r.byte();
  else if (sub === 12 || sub === 14) {
    r.u32();
    r.u32();
  } else if (sub === 9 || sub === 13 || (sub >= 15 && sub <= 17)) r.u32();
  else throw new Error(`unknown instruction 0xfc ${sub}`);
}

function skipSimd(r: Reader, sub: number): void {
  if (sub <= 11 || sub === 92 || sub === 93) {
    r.u32();
    r.u32();
  } else if (sub === 12 || sub === 13) r.skip(16);
  else if (sub >= 21 && sub <= 34) r.byte();
  else if (sub >= 84 && sub <= 91) {
    r.u32();
    r.u32();
    r.byte();
  }
}

/** `global.get F; i32.eqz; if unreachable end; global.get F; i32.const 1; i32.sub; global.set F` */
function stepCheck(fuel: number): number[] {
  const g = u32(fuel);
  return [0x23, ...g, 0x45, 0x04, 0x40, 0x00, 0x0b, 0x23, ...g, 0x41, 0x01, 0x6b, 0x24, ...g];
}

function meterBody(body: Uint8Array, check: number[]): number[] {
  const r = new Reader(body);
  const groups = r.u32();
  for (let i = 0; i < groups; i++) {
    r.u32();
    r.byte();
  }
  const out: number[] = [];
  append(out, body.subarray(0, r.pos));
  append(out, check);
  let from = r.pos;
  while (r.pos < body.length) {
    const op = r.byte();
    skipImmediates(r, op);
    if (op === 0x03) {
      append(out, body.subarray(from, r.pos));
      append(out, check);
      from = r.pos;
    }
  }
  append(out, body.subarray(from));
  return out;
}

function countImportedGlobals(body: Uint8Array): number {
  const r = new Reader(body);
  let globals = 0;
  const n = r.u32();
  for (let i = 0; i < n; i++) {
    r.skip(r.u32());
    r.skip(r.u32());
    const kind = r.byte();
    if (kind === 0x00) r.u32();
    else if (kind === 0x01) {
      r.byte();
      const flags = r.byte();
      r.u32();
      if (flags & 1) r.u32();
    } else if (kind === 0x02) {
      const flags = r.byte();
      r.u32();
      if (flags & 1) r.u32();
    } else if (kind === 0x03) {
      r.byte();
      r.byte();
      globals++;
    } else throw new Error(`unknown import kind ${kind}`);
  }
  return globals;
}

/** The section's entries, re-encoded with `extra` appended. */
function appendEntries(body: Uint8Array | undefined, extra: number[]): number[] {
  if (!body) return [1, ...extra];
  const r = new Reader(body);
  const out = u32(r.u32() + 1);
  append(out, body.subarray(r.pos));
  append(out, extra);
  return out;
}

/**
 * The module with step metering added (see the file comment); the counter starts at `initialSteps` (the
 * budget of a start function). Throws an Error saying what is wrong when the bytes are not a WebAssembly
 * module it can rewrite.
 */
export function meter(wasm: Uint8Array, initialSteps: number): Uint8Array {
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  if (wasm.length < 8 || header.some((b, i) => wasm[i] !== b)) {
    throw new Error('not a WebAssembly module (bad magic number or version)');
  }
  const r = new Reader(wasm);
  r.pos = 8;
  const sections: { id: number; body: Uint8Array }[] = [];
  while (r.pos < wasm.length) {
    const id = r.byte();
    const size = r.u32();
    const start = r.pos;
    r.skip(size);
    sections.push({ id, body: wasm.subarray(start, start + size) });
  }
  const find = (id: number) => sections.find((s) => s.id === id)?.body;
  const imports = find(2);
  const globals = find(6);
  const fuel = (imports ? countImportedGlobals(imports) : 0) + (globals ? new Reader(globals).u32() : 0);
  const check = stepCheck(fuel);
  const name = [...new TextEncoder().encode(FUEL_EXPORT)];
  const newGlobal = [0x7f, 0x01, 0x41, ...s32(initialSteps), 0x0b]; // (mut i32) (i32.const initialSteps)
  const newExport = [...u32(name.length), ...name, 0x03, ...u32(fuel)];
  const out: number[] = [];
  append(out, wasm.subarray(0, 8));
  // Section order: custom anywhere; 1 type, 2 import, 3 func, 4 table, 5 memory, 13 tag, 6 global, 7 export…
  const order = (id: number) => [0, 1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11].indexOf(id);
  let globalDone = false;
  let exportDone = false;
  for (const { id, body } of sections) {
    if (id !== 0 && !globalDone && order(id) > order(6)) {
      section(out, 6, appendEntries(undefined, newGlobal));
      globalDone = true;
    }
    if (id !== 0 && !exportDone && order(id) > order(7)) {
      section(out, 7, appendEntries(undefined, newExport));
      exportDone = true;
    }
    if (id === 6) {
      section(out, 6, appendEntries(body, newGlobal));
      globalDone = true;
    } else if (id === 7) {
      section(out, 7, appendEntries(body, newExport));
      exportDone = true;
    } else if (id === 10) {
      const cr = new Reader(body);
      const n = cr.u32();
      const code = u32(n);
      for (let i = 0; i < n; i++) {
        const size = cr.u32();
        const fn = meterBody(body.subarray(cr.pos, cr.pos + size), check);
        cr.skip(size);
        append(code, u32(fn.length));
        append(code, fn);
      }
      section(out, 10, code);
    } else section(out, id, body);
  }
  if (!globalDone) section(out, 6, appendEntries(undefined, newGlobal));
  if (!exportDone) section(out, 7, appendEntries(undefined, newExport));
  return Uint8Array.from(out);
}
