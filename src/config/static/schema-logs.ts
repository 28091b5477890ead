import { Type } from '@sinclair/typebox';
import { Duration, StringList } from '../schema/kinds.js';
import { OtlpLogsSchema, otlpTransports } from './schema-otlp.js';

const closed = { additionalProperties: false } as const;
const section = { default: {}, additionalProperties: false } as const;
const literals = <T extends string>(...values: T[]) => values.map((v) => Type.Literal(v));

/** `log` (reference §1.6): always present, level ERROR and format common by default. */
export const LogSchema = Type.Object(
  {
    level: Type.Union(literals('TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', 'PANIC'), {
      default: 'ERROR',
      description: 'the least severe level logged',
    }),
    format: Type.Union(literals('common', 'json'), {
      default: 'common',
      description: 'one line of text, or JSON',
    }),
    filePath: Type.Optional(Type.String({ description: 'log to this file instead of stdout' })),
    noColor: Type.Boolean({ default: false }),
    maxSize: Type.Integer({ default: 0, minimum: 0, description: 'megabytes before rotation' }),
    maxAge: Type.Integer({ default: 0, minimum: 0, description: 'days to keep rotated files' }),
    maxBackups: Type.Integer({ default: 0, minimum: 0 }),
    compress: Type.Boolean({ default: false }),
    otlp: Type.Optional(OtlpLogsSchema),
  },
  section,
);

const FieldMode = Type.Union(literals('keep', 'drop'));
const HeaderMode = Type.Union(literals('keep', 'drop', 'redact'));

const Fields = Type.Object(
  {
    defaultMode: Type.Union(literals('keep', 'drop'), { default: 'keep' }),
    names: Type.Optional(Type.Record(Type.String(), FieldMode)),
    headers: Type.Object(
      {
        defaultMode: Type.Union(literals('keep', 'drop', 'redact'), { default: 'drop' }),
        names: Type.Optional(Type.Record(Type.String(), HeaderMode)),
      },
      section,
    ),
    queryParameters: Type.Optional(
      Type.Object(
        {
          defaultMode: Type.Union(literals('keep', 'drop', 'redact'), { default: 'keep' }),
          names: Type.Optional(Type.Record(Type.String(), HeaderMode)),
        },
        closed,
      ),
    ),
  },
  section,
);

/** `accessLog`: present means access logging is on. */
export const AccessLogSchema = Type.Object(
  {
    filePath: Type.Optional(
      Type.String({ description: 'write the access log to this file instead of stdout' }),
    ),
    format: Type.Union(literals('common', 'genericCLF', 'json'), {
      default: 'common',
      description: "Traefik's common log format, the generic CLF, or one JSON object per line",
    }),
    bufferingSize: Type.Integer({
      default: 0,
      minimum: 0,
      description: 'lines kept in memory before writing',
    }),
    filters: Type.Optional(
      Type.Object(
        {
          statusCodes: Type.Optional(StringList({ description: 'codes or ranges, e.g. 200 or 300-302' })),
          retryAttempts: Type.Boolean({
            default: false,
            description: 'keep the lines of requests that were retried',
          }),
          minDuration: Duration({
            default: 0,
            minimum: 0,
            description: 'keep the lines of requests slower than this',
          }),
        },
        closed,
      ),
    ),
    fields: Fields,
    addInternals: Type.Boolean({ default: false }),
    otlp: Type.Optional(OtlpLogsSchema),
    dualOutput: Type.Boolean({ default: false }),
  },
  closed,
);

/** `tracing`: present means tracing is on (OpenTelemetry only, as in Traefik v3). */
export const TracingSchema = Type.Object(
  {
    serviceName: Type.String({ default: 'traefik' }),
    resourceAttributes: Type.Optional(Type.Record(Type.String(), Type.String())),
    globalAttributes: Type.Optional(
      Type.Record(Type.String(), Type.String(), { description: 'deprecated: use resourceAttributes' }),
    ),
    capturedRequestHeaders: Type.Optional(StringList()),
    capturedResponseHeaders: Type.Optional(StringList()),
    safeQueryParams: Type.Optional(StringList()),
    sampleRate: Type.Number({ default: 1, minimum: 0, maximum: 1 }),
    addInternals: Type.Boolean({ default: false }),
    otlp: Type.Optional(Type.Object(otlpTransports('https://localhost:4318/v1/traces'), closed)),
  },
  closed,
);
