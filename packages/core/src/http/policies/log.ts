import { redactUrl } from '../../errors/index.js';
import { type Logger, silentLogger } from '../../logging/index.js';
import type { PipelinePolicy } from '../types.js';

/** Name of the logging policy. */
export const logPolicyName = 'log';

/**
 * Logs each attempt at debug level with redacted fields only: method, redacted URL, request id, attempt,
 * status and duration. Headers and bodies are never logged. It sits inside the retry policy, so a call
 * retried twice logs three attempts (the retry decisions themselves are logged by the retry policy).
 */
export function logPolicy(logger: Logger, now: () => number = Date.now): PipelinePolicy {
  // Redacting a URL costs a parse per call; a silent logger should cost nothing.
  if (logger === silentLogger) return { name: logPolicyName, sendRequest: (request, next) => next(request) };
  return {
    name: logPolicyName,
    async sendRequest(request, next) {
      const started = now();
      const fields = { requestId: request.requestId, method: request.method, url: redactUrl(request.url), attempt: request.context.attempt };
      logger.debug({ ...fields, operation: request.context.operation }, 'request');
      try {
        const response = await next(request);
        logger.debug({ ...fields, status: response.status, durationMs: now() - started }, 'response');
        return response;
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        logger.debug({ ...fields, error: typeof code === 'string' ? code : 'UNKNOWN', durationMs: now() - started }, 'request failed');
        throw error;
      }
    },
  };
}
