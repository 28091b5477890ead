// A `runtime: node` plugin shipped as an npm package. Installed beside Switchyard (npm install
// switchyard-plugin-powered-by) and declared as experimental.localPlugins.<name>.package; used as
// http.middlewares.<m>.plugin.<name>: { product }.
import { addHeadHook, defineMiddleware, Type } from 'switchyard/plugin';

export default defineMiddleware({
  type: 'poweredBy',
  schema: Type.Object(
    { product: Type.String({ minLength: 1, description: 'The X-Powered-By value.' }) },
    { additionalProperties: false },
  ),
  create({ product }) {
    const hook = (_ctx, status, headers) => {
      headers['x-powered-by'] = product;
      return status;
    };
    return (next) => (ctx) => {
      addHeadHook(ctx, hook);
      next(ctx);
    };
  },
});
