import { CLOSE, type ClientVector, type Forwarded, H, show, vector } from './types.js';

/*
 * Body framing, generated: every Transfer-Encoding form (values, name obfuscations, look-alikes) with
 * no Content-Length, with one matching the chunked bytes and with `0`; every Content-Length form alone
 * and next to a valid `chunked`. Each vector is a POST followed by a pipelined `GET /end` that closes:
 * a proxy that frames the body differently from what it forwards would show up as a wrong or extra
 * request on the server (the smuggling check), or as a missing answer to the accepted request.
 */

const BODY = '5\r\nhello\r\n0\r\n\r\n';
const END = `GET /end HTTP/1.1\r\n${H}${CLOSE}\r\n`;
const END_SEEN: Forwarded = ['GET', '/end', ''];

/** How the server must treat a framing header line. */
type Kind =
  | 'chunked' // a valid single `chunked`: the body is decoded and re-framed
  | 'refused' // a coding other than one `chunked` (Go: "unsupported transfer encoding"): 501, as Go and nginx
  | 'bad' // a line the HTTP/1 parser refuses (also any TE next to a Content-Length): 400, connection closed
  | 'other'; // not a Transfer-Encoding header at all (a look-alike): forwarded as an ordinary header

const TE_LINES: readonly (readonly [label: string, line: string, kind: Kind])[] = [
  ['chunked', 'Transfer-Encoding: chunked', 'chunked'],
  ['Chunked', 'Transfer-Encoding: Chunked', 'chunked'],
  ['CHUNKED', 'Transfer-Encoding: CHUNKED', 'chunked'],
  ['lowercase name', 'transfer-encoding: chunked', 'chunked'],
  ['uppercase name', 'TRANSFER-ENCODING: chunked', 'chunked'],
  ['no space after the colon', 'Transfer-Encoding:chunked', 'chunked'],
  ['two spaces after the colon', 'Transfer-Encoding:  chunked', 'chunked'],
  ['a tab after the colon', 'Transfer-Encoding:\tchunked', 'chunked'],
  ['a trailing space', 'Transfer-Encoding: chunked ', 'chunked'],
  ['a trailing tab (Go: chunked)', 'Transfer-Encoding: chunked\t', 'bad'],
  ['gzip, chunked', 'Transfer-Encoding: gzip, chunked', 'refused'],
  ['identity, chunked', 'Transfer-Encoding: identity, chunked', 'refused'],
  ['deflate, chunked', 'Transfer-Encoding: deflate, chunked', 'refused'],
  ['chunked, chunked', 'Transfer-Encoding: chunked, chunked', 'bad'],
  ['two lines chunked + chunked', 'Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked', 'bad'],
  ['two lines gzip + chunked', 'Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked', 'refused'],
  ['chunked, identity', 'Transfer-Encoding: chunked, identity', 'bad'],
  ['chunked, gzip', 'Transfer-Encoding: chunked, gzip', 'bad'],
  ['identity', 'Transfer-Encoding: identity', 'refused'],
  ['gzip', 'Transfer-Encoding: gzip', 'refused'],
  ['xchunked', 'Transfer-Encoding: xchunked', 'refused'],
  ['chunkedx', 'Transfer-Encoding: chunkedx', 'refused'],
  ['chunk', 'Transfer-Encoding: chunk', 'refused'],
  ['quoted "chunked"', 'Transfer-Encoding: "chunked"', 'refused'],
  ['chunked with a parameter', 'Transfer-Encoding: chunked;q=1', 'refused'],
  ['a space inside the value', 'Transfer-Encoding: chun ked', 'refused'],
  ['a space before the colon', 'Transfer-Encoding : chunked', 'bad'],
  ['a tab before the colon', 'Transfer-Encoding\t: chunked', 'bad'],
  ['a NUL in the value', 'Transfer-Encoding: chunked\x00', 'bad'],
  ['a vertical tab in the value', 'Transfer-Encoding: \x0bchunked', 'bad'],
  ['a bare CR in the value', 'Transfer-Encoding: chunked\rX: y', 'bad'],
  ['a NUL in the name', 'Transfer-Encoding\x00: chunked', 'bad'],
  ['folded onto a second line', 'Transfer-Encoding:\r\n chunked', 'bad'],
  ['Transfer_Encoding', 'Transfer_Encoding: chunked', 'other'],
  ['TE: chunked', 'TE: chunked', 'other'],
  ['Transfer-Encodings', 'Transfer-Encodings: chunked', 'other'],
  ['X-Transfer-Encoding', 'X-Transfer-Encoding: chunked', 'other'],
  ['Transfer-Encoding-X', 'Transfer-Encoding-X: chunked', 'other'],
  ['TransferEncoding', 'TransferEncoding: chunked', 'other'],
];

const post = (headers: string, body: string) =>
  `POST /f HTTP/1.1\r\n${H}${headers === '' ? '' : `${headers}\r\n`}\r\n${body}${END}`;

function teVectors(): ClientVector[] {
  const out: ClientVector[] = [];
  for (const [label, line, kind] of TE_LINES) {
    const g = 'framing: Transfer-Encoding';
    // Alone: a chunked body.
    out.push(
      kind === 'chunked'
        ? vector(g, `${label}`, post(line, BODY), [200, 200], [['POST', '/f', 'hello'], END_SEEN])
        : kind === 'refused'
          ? vector(g, `${label}: 501 (as Go and nginx)`, post(line, BODY), [501])
          : kind === 'bad'
            ? vector(g, `${label}: refused`, post(line, BODY), [400])
            : // A look-alike: no body, so the chunk bytes are a bad request after an answered one.
              vector(g, `${label} is not framing`, post(line, BODY), [200, 400], [['POST', '/f', '']]),
    );
    // With a Content-Length covering the chunked bytes (CL.TE / TE.CL).
    const cl = `Content-Length: ${BODY.length}\r\n${line}`;
    out.push(
      kind === 'other'
        ? vector(
            g,
            `${label} with Content-Length`,
            post(cl, BODY),
            [200, 200],
            [['POST', '/f', BODY], END_SEEN],
          )
        : vector(g, `${label} with Content-Length: both framings refused`, post(cl, BODY), [400]),
    );
    // TE after CL: 0 (the order of the lines must not matter).
    const zero = `${line}\r\nContent-Length: 0`;
    out.push(
      kind === 'other'
        ? vector(g, `${label} then Content-Length: 0`, post(zero, BODY), [200, 400], [['POST', '/f', '']])
        : vector(g, `${label} then Content-Length: 0: both framings refused`, post(zero, BODY), [400]),
    );
  }
  return out;
}

/** Content-Length values: [label, header lines, expected framing] with a 5-byte body `hello`. */
const CL_LINES: readonly (readonly [label: string, lines: string, ok: boolean])[] = [
  ['5', 'Content-Length: 5', true],
  ['05', 'Content-Length: 05', true],
  ['00005', 'Content-Length: 00005', true],
  ['a trailing space', 'Content-Length: 5 ', true],
  ['a tab before the value', 'Content-Length:\t5', true],
  ['lowercase name', 'content-length: 5', true],
  ['+5', 'Content-Length: +5', false],
  ['-5', 'Content-Length: -5', false],
  ['5,5 in one line', 'Content-Length: 5,5', false],
  ['5, 5 in one line', 'Content-Length: 5, 5', false],
  ['0x5', 'Content-Length: 0x5', false],
  ['5.0', 'Content-Length: 5.0', false],
  ['5e0', 'Content-Length: 5e0', false],
  ['five', 'Content-Length: five', false],
  ['empty', 'Content-Length: ', false],
  ['a space inside', 'Content-Length: 5 5', false],
  ['2^64', 'Content-Length: 18446744073709551616', false],
  ['twenty nines', 'Content-Length: 99999999999999999999', false],
  ['a NUL after', 'Content-Length: 5\x00', false],
  ['a space before the colon', 'Content-Length : 5', false],
  ['two lines 5 and 5 (Go accepts equal values)', 'Content-Length: 5\r\nContent-Length: 5', false],
  ['two lines 5 and 6', 'Content-Length: 5\r\nContent-Length: 6', false],
  ['two lines 6 and 5', 'Content-Length: 6\r\nContent-Length: 5', false],
  ['folded onto a second line', 'Content-Length:\r\n 5', false],
];

function clVectors(): ClientVector[] {
  const out: ClientVector[] = [];
  const g = 'framing: Content-Length';
  for (const [label, lines, ok] of CL_LINES) {
    out.push(
      ok
        ? vector(g, label, post(lines, 'hello'), [200, 200], [['POST', '/f', 'hello'], END_SEEN])
        : vector(g, `${label}: refused`, post(lines, 'hello'), [400]),
    );
    if (ok) {
      out.push(
        vector(
          g,
          `${label} with Transfer-Encoding: chunked: refused`,
          post(`${lines}\r\nTransfer-Encoding: chunked`, BODY),
          [400],
        ),
      );
    }
  }
  // Bodies that do not match their length: the rest is the next request, framed exactly as declared.
  const mismatch: readonly (readonly [string, string, string])[] = [
    ['0', 'hello', ''],
    ['3', 'hello', 'hel'],
    ['4', 'hello', 'hell'],
  ];
  for (const [n, body, taken] of mismatch) {
    out.push(
      vector(
        g,
        `Content-Length: ${n} then ${show(body)}: the rest is a bad request`,
        post(`Content-Length: ${n}`, body),
        [200, 400],
        [['POST', '/f', taken]],
      ),
    );
  }
  // A length that swallows the start of the pipelined request.
  out.push(
    vector(
      g,
      'Content-Length: 10 eats the start of the next request',
      post('Content-Length: 10', 'hello'),
      [200, 400],
      [['POST', '/f', 'helloGET /']],
    ),
  );
  out.push(
    vector(
      g,
      'Content-Length: 0 and no body',
      post('Content-Length: 0', ''),
      [200, 200],
      [['POST', '/f', ''], END_SEEN],
    ),
  );
  return out;
}

/** The same framings on HTTP/1.0 (Go ignores Transfer-Encoding there; the request is closed after). */
function http10Vectors(): ClientVector[] {
  const g = 'framing: HTTP/1.0';
  const p = (headers: string, body: string) => `POST /f HTTP/1.0\r\n${H}${headers}\r\n\r\n${body}${END}`;
  return [
    vector(
      g,
      'HTTP/1.0 with Content-Length: the connection closes after the answer',
      p('Content-Length: 5', 'hello'),
      [200],
      [['POST', '/f', 'hello']],
    ),
    vector(
      g,
      'HTTP/1.0 keep-alive with Content-Length then a pipelined GET',
      p('Connection: keep-alive\r\nContent-Length: 5', 'hello'),
      [200, 200],
      [['POST', '/f', 'hello'], END_SEEN],
    ),
    vector(
      g,
      'HTTP/1.0 with Transfer-Encoding: chunked',
      p('Transfer-Encoding: chunked', BODY),
      [200],
      [['POST', '/f', 'hello']],
    ),
    vector(
      g,
      'HTTP/1.0 with Transfer-Encoding: chunked and Content-Length',
      p(`Transfer-Encoding: chunked\r\nContent-Length: ${BODY.length}`, BODY),
      [400],
    ),
    vector(
      g,
      'HTTP/1.0 with Transfer-Encoding: gzip, chunked',
      p('Transfer-Encoding: gzip, chunked', BODY),
      [501],
    ),
  ];
}

export const FRAMING_VECTORS: readonly ClientVector[] = [...teVectors(), ...clVectors(), ...http10Vectors()];
