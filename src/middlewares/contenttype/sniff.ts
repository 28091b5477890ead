/**
 * A small content sniffer in the spirit of the WHATWG MIME sniffing rules: signatures for common binary
 * formats, markup detection for HTML/XML, and text versus binary for the rest.
 */
const SIGNATURES: readonly [string, string][] = [
  ['%PDF-', 'application/pdf'],
  ['\x89PNG\r\n\x1a\n', 'image/png'],
  ['GIF87a', 'image/gif'],
  ['GIF89a', 'image/gif'],
  ['\xff\xd8\xff', 'image/jpeg'],
  ['PK\x03\x04', 'application/zip'],
  ['\x1f\x8b\x08', 'application/x-gzip'],
  ['%!PS-Adobe-', 'application/postscript'],
  ['OggS\x00', 'application/ogg'],
  ['RIFF', 'application/octet-stream'],
  ['wOFF', 'font/woff'],
  ['wOF2', 'font/woff2'],
];
const HTML_TAGS = [
  '<!doctype html',
  '<html',
  '<head',
  '<script',
  '<iframe',
  '<h1',
  '<div',
  '<font',
  '<table',
  '<a',
  '<style',
  '<title',
  '<b',
  '<body',
  '<br',
  '<p',
  '<!--',
];

export function sniffContentType(data: Buffer): string {
  const head = data.subarray(0, 512);
  const latin = head.toString('latin1');
  for (const [sig, type] of SIGNATURES) if (latin.startsWith(sig)) return type;
  const text = latin.replace(/^[\t\n\f\r ]+/, '').toLowerCase();
  for (const tag of HTML_TAGS) {
    if (text.startsWith(tag)) {
      const after = text.charAt(tag.length);
      if (tag === '<!--' || after === ' ' || after === '>') return 'text/html; charset=utf-8';
    }
  }
  if (text.startsWith('<?xml')) return 'text/xml; charset=utf-8';
  if (head[0] === 0xfe && head[1] === 0xff) return 'text/plain; charset=utf-16be';
  if (head[0] === 0xff && head[1] === 0xfe) return 'text/plain; charset=utf-16le';
  for (const byte of head) {
    if (byte <= 0x08 || byte === 0x0b || (byte >= 0x0e && byte <= 0x1a) || (byte >= 0x1c && byte <= 0x1f)) {
      return 'application/octet-stream';
    }
  }
  return 'text/plain; charset=utf-8';
}
