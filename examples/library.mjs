// Switchyard as a library: start an instance from a static configuration object, give it routes from code,
// change them live, stop gracefully. Run it from the repository: `npm run build && node examples/library.mjs`.
import http from 'node:http';
import { ConfigProvider, start } from 'switchyard';

// A backend to route to: answers with its name.
const backend = http.createServer((req, res) =>
  res.end(`hello from the backend: ${req.method} ${req.url}\n`),
);
await new Promise((resolve) => backend.listen(0, '127.0.0.1', resolve));
const backendUrl = `http://127.0.0.1:${backend.address().port}`;

// Routes written in code; its elements are named `<name>@app`.
const routes = new ConfigProvider('app');
routes.set({
  http: {
    routers: { api: { rule: 'PathPrefix(`/api`)', middlewares: ['strip'], service: 'backend' } },
    middlewares: { strip: { stripPrefix: { prefixes: ['/api'] } } },
    services: { backend: { loadBalancer: { servers: [{ url: backendUrl }] } } },
  },
});

const sy = await start({
  static: {
    entryPoints: { web: { address: '127.0.0.1:0' } }, // port 0: any free port; sy.url() tells which
    providers: { providersThrottleDuration: '0s' },
    log: { level: 'ERROR' },
  },
  providers: [routes],
});
await sy.configured((rt) => rt.routers['api@app']?.status === 'enabled');
console.log(await (await fetch(sy.url('web', '/api/users'))).text()); // GET /users reaches the backend

// A change applies live: a second router, then wait until it is in use.
routes.set({
  http: {
    routers: {
      api: { rule: 'PathPrefix(`/api`)', middlewares: ['strip'], service: 'backend' },
      health: { rule: 'Path(`/healthz`)', service: 'noop@internal' },
    },
    middlewares: { strip: { stripPrefix: { prefixes: ['/api'] } } },
    services: { backend: { loadBalancer: { servers: [{ url: backendUrl }] } } },
  },
});
await sy.configured((rt) => rt.routers['health@app'] !== undefined);
const health = await fetch(sy.url('web', '/healthz'));
console.log(`/healthz: ${health.status}, router health@app is ${sy.runtime.routers['health@app'].status}`);

await sy.stop();
backend.close();
console.log('stopped');
