import {
  isAuthenticationError,
  isConflictError,
  isConnectorError,
  isInvalidInputError,
  isNotFoundError,
  isOutcomeUnknownError,
  isPermissionError,
  isValidationError,
  redactText,
} from '../../errors/index.js';
import { isDataError } from '../errors.js';

/**
 * How the engine treats a failure:
 * - `retryable`: try again later (rate limits, server errors, network failures, unknown outcomes, unexpected
 *   errors); the record waits in the review queue as `retrying` and the next run takes it first.
 * - `data`: fixable by data (missing mapping, unknown vendor, rejected document); the record goes to review.
 * - `fatal`: authentication, permission or configuration; the run stops and acknowledges nothing.
 */
export type FailureClass = 'retryable' | 'data' | 'fatal';

/**
 * Classifies an error with core's guards: `RateLimitError`, `ServerError`, `NetworkError`,
 * `OutcomeUnknownError` (and errors the engine does not know) are `retryable`; `DataError`, `ValidationError`,
 * `ConflictError` and `NotFoundError` are `data`; `AuthenticationError`, `PermissionError` and
 * `InvalidInputError` (a configuration mistake) are `fatal`.
 *
 * Example:
 *
 * {@includeCode ../../../examples/sync.ts#classifyFailure}
 */
export function classifyFailure(error: unknown): FailureClass {
  if (isAuthenticationError(error) || isPermissionError(error) || isInvalidInputError(error)) return 'fatal';
  if (isDataError(error) || isValidationError(error) || isConflictError(error) || isNotFoundError(error)) return 'data';
  return 'retryable';
}

/** True for failures that count toward the run's auth-failure streak. */
export const isAuthFailure = (error: unknown): boolean => isAuthenticationError(error) || isPermissionError(error);

/**
 * True when a failed write may still have reached the target: an explicit unknown outcome, or an error that is
 * not one of ours (a bug or a crash halfway), so the ledger records `unknown` rather than `failed`.
 */
export const outcomeMayBeWritten = (error: unknown): boolean => isOutcomeUnknownError(error) || !isConnectorError(error);

/** Review reason code of a failure. */
export function reviewReasonOf(error: unknown): string {
  if (isDataError(error)) return error.reason;
  if (isOutcomeUnknownError(error)) return 'outcome-unknown';
  if (isValidationError(error)) return 'target-rejected';
  if (isConflictError(error)) return 'target-conflict';
  if (isNotFoundError(error)) return 'target-not-found';
  if (isAuthFailure(error)) return 'auth-failed';
  if (isConnectorError(error)) return 'retry-exhausted';
  return 'unexpected-error';
}

/** Stable code of an error (its `code`, else its name). */
export function errorCodeOf(error: unknown): string {
  if (isConnectorError(error)) return error.code;
  return error instanceof Error ? error.name : 'UNKNOWN';
}

/** A message safe to store: connector errors are already redacted; anything else goes through `redactText`. */
export function safeMessageOf(error: unknown): string {
  if (isConnectorError(error)) return error.message;
  return redactText(error instanceof Error ? error.message : String(error));
}
