// A `runtime: node` provider plugin: serves one router and its service, taken from its options. Declared in
// the static configuration as experimental.localPlugins.fixedroutes.moduleName: fixed-routes and enabled
// with providers.plugin.fixedroutes: { host, url }; its elements are named `<name>@plugin-fixedroutes`.
import { defineProvider, Type } from 'switchyard/plugin';

export default defineProvider({
  type: 'fixedRoutes',
  schema: Type.Object(
    {
      host: Type.String({ minLength: 1, description: 'the Host the router matches' }),
      url: Type.String({ minLength: 1, description: 'the server requests go to' }),
    },
    { additionalProperties: false },
  ),
  create(options, ctx) {
    const config = {
      http: {
        routers: { fixed: { rule: `Host(\`${options.host}\`)`, service: 'fixed' } },
        services: { fixed: { loadBalancer: { servers: [{ url: options.url }] } } },
      },
    };
    return {
      name: 'fixed-routes',
      // Emits the whole configuration, then keeps it until Switchyard stops the provider.
      async provide(emit, signal) {
        emit({ config, issues: [] });
        ctx.logger.info('routes provided', { host: options.host });
        if (!signal.aborted)
          await new Promise((done) => signal.addEventListener('abort', done, { once: true }));
      },
    };
  },
});
