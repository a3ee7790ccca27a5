/** One log method, pino-style: a fields object first, then an optional message. */
export type LogFn = (fields: Record<string, unknown>, message?: string) => void;

/**
 * The logger ml-connector writes to. Any pino (or pino-compatible) logger fits as it is.
 * ml-connector only passes redacted fields: never headers with credentials, bodies or tokens.
 */
export interface Logger {
  /** Per-attempt detail: request sent, response received. */
  debug: LogFn;
  /** Notable events: token refreshed, throttle adjusted. */
  info: LogFn;
  /** Retries, rate limiting, recoverable failures. */
  warn: LogFn;
  /** Failures handed back to the caller. */
  error: LogFn;
}

const noop: LogFn = () => {};

/** A logger that discards everything: the default, so the SDK is silent unless you pass one. */
export const silentLogger: Logger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop });
