/**
 * The error catalogue: every error Switchyard reports has a stable code, a message and, where it maps to a
 * response, an HTTP status. Never throw strings; throw `SwitchyardError` with a catalogue code.
 */
export const ERRORS = {
  // configuration
  CONFIG_PARSE: { status: 0, text: 'configuration could not be parsed' },
  CONFIG_UNKNOWN_KEY: { status: 0, text: 'unknown configuration key' },
  CONFIG_TYPE: { status: 0, text: 'configuration value has the wrong type' },
  CONFIG_INVALID: { status: 0, text: 'configuration value is invalid' },
  CONFIG_MISSING: { status: 0, text: 'required configuration key is missing' },
  CONFIG_REFERENCE: { status: 0, text: 'configuration refers to an element that does not exist' },
  RULE_SYNTAX: { status: 0, text: 'rule has a syntax error' },
  TLS_CERTIFICATE: { status: 0, text: 'certificate could not be loaded' },
  PROVIDER_READ: { status: 0, text: 'provider could not read its source' },
  // requests
  // requests: `body` is what the client is sent (Traefik's texts)
  BAD_REQUEST: { status: 400, text: 'Bad Request', body: 'Bad Request\n' },
  NOT_FOUND: { status: 404, text: 'page not found', body: '404 page not found\n' },
  CLIENT_CLOSED: { status: 499, text: 'Client Closed Request', body: '' },
  INTERNAL: { status: 500, text: 'Internal Server Error', body: 'Internal Server Error\n' },
  UPSTREAM_FAILED: { status: 502, text: 'Bad Gateway', body: 'Bad Gateway' },
  NO_SERVER: { status: 503, text: 'no available server', body: 'no available server\n' },
  UPSTREAM_TIMEOUT: { status: 504, text: 'Gateway Timeout', body: 'Gateway Timeout' },
  // process
  LISTEN_FAILED: { status: 0, text: 'entrypoint could not listen' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

/** The catalogue codes that answer a request, with the body sent for each. */
export type ResponseErrorCode = {
  [K in ErrorCode]: (typeof ERRORS)[K] extends { body: string } ? K : never;
}[ErrorCode];

export class SwitchyardError extends Error {
  readonly code: ErrorCode;
  readonly status: number;

  constructor(code: ErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? ERRORS[code].text, options);
    this.name = 'SwitchyardError';
    this.code = code;
    this.status = ERRORS[code].status;
  }
}

/** A message for any thrown value, for logs and the API. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
