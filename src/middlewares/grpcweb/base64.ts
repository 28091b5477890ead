import { Transform, type TransformCallback } from 'node:stream';

/*
 * gRPC-Web text mode (`application/grpc-web-text`) carries the body in base64. A sender may flush
 * several padded pieces one after another ("AAAA==BBBB"), so a `=` may end a group of four in the
 * middle of the body; each padded group closes one piece.
 */

const ALPHABET = /^[A-Za-z0-9+/=]*$/;
/** A group of four that ends a padded piece: `xx==` or `xxx=`. */
const PADDED = /^[A-Za-z0-9+/]{2}(?:==|[A-Za-z0-9+/]=)$/;
const LINE_BREAKS = /[\r\n]/g;

/** Thrown for a text-mode body that is not base64. */
export class Base64Error extends Error {}

/**
 * Decodes `text`, whose length is a multiple of four, allowing padded pieces one after another.
 * Throws `Base64Error` for characters outside the alphabet or misplaced padding.
 */
export function decodeGroups(text: string): Buffer {
  if (!ALPHABET.test(text)) throw new Base64Error('a character outside the base64 alphabet');
  const parts: Buffer[] = [];
  let start = 0;
  for (let eq = text.indexOf('='); eq !== -1; eq = text.indexOf('=', start)) {
    const end = (Math.floor(eq / 4) + 1) * 4;
    if (!PADDED.test(text.slice(end - 4, end))) throw new Base64Error('misplaced base64 padding');
    parts.push(Buffer.from(text.slice(start, end), 'base64'));
    start = end;
  }
  if (start < text.length) parts.push(Buffer.from(text.slice(start), 'base64'));
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/** Decodes a whole text-mode body (line breaks ignored, as Go's decoder does). */
export function decodeBase64Body(body: Buffer): Buffer {
  const text = body.toString('latin1').replace(LINE_BREAKS, '');
  if (text.length % 4 !== 0) throw new Base64Error('the base64 body ends in the middle of a group');
  return decodeGroups(text);
}

/** A streaming base64 decoder for request bodies; errors with a `Base64Error` on bad input. */
export class Base64Decoder extends Transform {
  private carry = '';

  override _transform(chunk: Buffer, _encoding: BufferEncoding, cb: TransformCallback): void {
    const text = this.carry + chunk.toString('latin1').replace(LINE_BREAKS, '');
    const whole = text.length - (text.length % 4);
    this.carry = text.slice(whole);
    try {
      if (whole > 0) this.push(decodeGroups(text.slice(0, whole)));
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }

  override _flush(cb: TransformCallback): void {
    if (this.carry !== '') cb(new Base64Error('the base64 body ends in the middle of a group'));
    else cb();
  }
}

/** Encodes one piece of a text-mode response (each piece padded, as gRPC-Web allows). */
export function encodePiece(chunk: Buffer): Buffer {
  return Buffer.from(chunk.toString('base64'), 'latin1');
}
