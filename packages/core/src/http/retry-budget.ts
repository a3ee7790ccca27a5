import { InvalidInputError } from '../errors/index.js';

/** Settings of a {@link RetryBudget}. Defaults follow the AWS SDK v3 standard retry quota. */
export interface RetryBudgetOptions {
  /** Tokens available when full. Default 500. */
  capacity?: number;
  /** Tokens a retry after a server error or network failure costs. Default 5. */
  retryCost?: number;
  /** Tokens a retry after a timeout costs. Default 10. */
  timeoutRetryCost?: number;
  /** Tokens a success that needed no retry returns to the budget (AWS `NO_RETRY_INCREMENT`). Default 1. */
  successRefund?: number;
}

/**
 * A per-client retry quota, following the AWS SDK standard retry quota: each retry after a failure spends
 * its cost; a success after such a retry gives that cost back, and a success at the first attempt returns
 * `successRefund`. A failure storm quickly stops retries instead of multiplying load on a struggling server,
 * while retries that worked cost nothing in the end. Waits the server asked for (429, 503 with Retry-After)
 * do not spend from it.
 */
export interface RetryBudget {
  /** Spends the cost of one retry; false when the budget cannot afford it (do not retry). */
  trySpend(kind: 'error' | 'timeout'): boolean;
  /**
   * Returns tokens after a success: the cost of the retry that led to it (`retried`, the kind passed to
   * `trySpend`), or `successRefund` when the call succeeded without a paid retry.
   */
  refund(retried?: 'error' | 'timeout'): void;
  /** Tokens currently available. */
  readonly available: number;
}

/** Creates a {@link RetryBudget}. */
export function createRetryBudget(options: RetryBudgetOptions = {}): RetryBudget {
  const capacity = options.capacity ?? 500;
  const retryCost = options.retryCost ?? 5;
  const timeoutCost = options.timeoutRetryCost ?? 10;
  const refund = options.successRefund ?? 1;
  for (const [name, v] of Object.entries({ capacity, retryCost, timeoutCost, refund })) {
    if (!(Number.isFinite(v) && v >= 0)) throw new InvalidInputError(`Retry budget ${name} must be a non-negative number, got ${v}`, { field: name });
  }
  let available = capacity;
  return {
    trySpend(kind) {
      const cost = kind === 'timeout' ? timeoutCost : retryCost;
      if (available < cost) return false;
      available -= cost;
      return true;
    },
    refund(retried) {
      const amount = retried === undefined ? refund : retried === 'timeout' ? timeoutCost : retryCost;
      available = Math.min(capacity, available + amount);
    },
    get available() {
      return available;
    },
  };
}
