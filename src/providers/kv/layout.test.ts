import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { snapshotFromPairs } from './layout.js';

describe('snapshotFromPairs: Traefik v1 keys', () => {
  it('gives the router of a frontend v1 refuses an element issue, and serves the others', () => {
    const pairs: [string, string][] = [
      ['/traefik/backends/web/servers/one/url', 'http://127.0.0.1:8081'],
      ['/traefik/frontends/good/backend', 'web'],
      ['/traefik/frontends/good/priority', '0'],
      ['/traefik/frontends/good/routes/main/rule', 'Host:a.test'],
      ['/traefik/frontends/typo/backend', 'web'],
      ['/traefik/frontends/typo/routes/main/rule', 'Hosts:a.test'],
    ];
    const snapshot = snapshotFromPairs(pairs, '/traefik', 'etcd');
    const routers = (snapshot.config as { http: { routers: Record<string, unknown> } }).http.routers;
    assert.deepEqual(routers, { good: { rule: 'Host(`a.test`)', service: 'web', priority: 11 } });
    const issue = snapshot.issues.find((i) => i.element === 'http.routers.typo');
    assert.match(issue?.message ?? '', /unknown v1 rule matcher "Hosts".*did you mean "Host"/);
  });
});
