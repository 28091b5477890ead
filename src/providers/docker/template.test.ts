import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileTemplate, normalizeName } from './template.js';

const data = {
  Name: 'web-1',
  ContainerName: 'web_1',
  Labels: { 'com.example.domain': 'example.org', env: 'prod' },
};

describe('defaultRule templates', () => {
  it('renders Traefik’s default and the usual variants', () => {
    const cases: [string, string][] = [
      ['Host(`{{ normalize .Name }}`)', 'Host(`web-1`)'],
      ['Host(`{{ normalize .ContainerName }}.docker.localhost`)', 'Host(`web-1.docker.localhost`)'],
      ['Host(`{{ .Name }}.{{ index .Labels "com.example.domain" }}`)', 'Host(`web-1.example.org`)'],
      ['Host(`{{ .Labels.env }}.{{ .ContainerName | upper | lower }}`)', 'Host(`prod.web_1`)'],
      ['Host(`{{ default "x.org" (index .Labels "missing") }}`)', 'Host(`x.org`)'],
      ['Host(`{{ replace "_" "." .ContainerName }}`)', 'Host(`web.1`)'],
      ['Host(`{{ printf "%s.%s" .Name "test" }}`)', 'Host(`web-1.test`)'],
      ['Host(`{{ trimPrefix "web-" .Name }}`)', 'Host(`1`)'],
      [
        '{{ if index .Labels "env" }}Host(`{{ .Labels.env }}`){{ else }}Host(`none`){{ end }}',
        'Host(`prod`)',
      ],
      ['{{ if .Labels.nope }}A{{ else }}B{{ end }}', 'B'],
      ['Host(`a`)  {{- "" -}}  ', 'Host(`a`)'],
    ];
    for (const [template, expected] of cases) {
      assert.equal(compileTemplate(template)(data), expected, template);
    }
  });

  it('refuses what it does not support, naming it', () => {
    assert.throws(() => compileTemplate('{{ env "HOST" }}'), /function "env" is not supported/);
    assert.throws(() => compileTemplate('{{ if .Name }}x'), /missing its "end"/);
    assert.throws(() => compileTemplate('{{ end }}'), /"end" without an "if"/);
    assert.throws(() => compileTemplate('Host(`{{ .Name `)'), /not closed/);
    assert.throws(() => compileTemplate('{{ .Name .Name }}'), /only a function takes arguments/);
  });

  it('normalizes as Traefik: runs of other characters become one dash', () => {
    assert.equal(normalizeName('/my_app..v2--x'), 'my-app-v2-x');
    assert.equal(normalizeName('Café_1'), 'Café-1');
  });
});
