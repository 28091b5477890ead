import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyPlain } from './detect.js';

describe('classifyPlain', () => {
  it('tells an HTTP/1 request line (and the HTTP/2 preface) from other bytes', () => {
    const http = [
      'GET / HTTP/1.1\r\n',
      'PROPFIND /a HTTP/1.0\n',
      'M-SEARCH * HTTP/1.1\r\n',
      'PRI * HTTP/2.0\r\n',
    ];
    for (const text of http) assert.equal(classifyPlain(Buffer.from(text)), 'http1', text);
    const other = [
      'get / HTTP/1.1\r\n',
      ' GET',
      'HELO x\r\n',
      'SUB foo 1\r\n',
      'PING\r\n',
      '\u0001\u0002',
      'SSH-2.0-x',
    ];
    for (const text of other) assert.equal(classifyPlain(Buffer.from(text)), 'other', text);
  });

  it('asks for more bytes while they can still become a request line', () => {
    for (const text of ['GE', 'GET', 'GET /', 'GET /a ', 'GET /a HTT', 'A'.repeat(20)])
      assert.equal(classifyPlain(Buffer.from(text)), undefined, text);
    for (const text of ['A'.repeat(21), 'GET /a HTTX', 'GET  /'])
      assert.equal(classifyPlain(Buffer.from(text)), 'other', text);
    assert.equal(classifyPlain(Buffer.from(`GET /${'a'.repeat(9000)}`)), 'other');
  });
});
