// A `runtime: node` plugin: sets one request header (seen by the backend) and one response header (seen by
// the client). Declared in the static configuration as experimental.localPlugins.stamp.moduleName: stamp,
// used as http.middlewares.<name>.plugin.stamp: { requestHeader, responseHeader, value }.
import { addHeadHook, defineMiddleware, Type } from 'switchyard/plugin';

export default defineMiddleware({
  type: 'stamp',
  schema: Type.Object(
    {
      requestHeader: Type.String({ minLength: 1, default: 'X-Stamp' }),
      responseHeader: Type.Optional(Type.String({ minLength: 1 })),
      value: Type.String(),
      // For tests of the error path: `throw` fails every request synchronously, `reject` asynchronously.
      fail: Type.Optional(Type.Union([Type.Literal('throw'), Type.Literal('reject')])),
    },
    { additionalProperties: false },
  ),
  // Everything derived from the options is prepared here, once, not per request.
  create(options) {
    const requestHeader = options.requestHeader.toLowerCase();
    const responseHeader = options.responseHeader?.toLowerCase();
    const { value, fail } = options;
    const stampResponse = (_ctx, status, headers) => {
      headers[responseHeader] = value;
      return status;
    };
    return (next) => (ctx) => {
      if (fail === 'throw') throw new Error('stamp was told to fail');
      if (fail === 'reject') return Promise.reject(new Error('stamp was told to reject'));
      ctx.req.headers[requestHeader] = value;
      if (responseHeader) addHeadHook(ctx, stampResponse);
      return next(ctx);
    };
  },
});
