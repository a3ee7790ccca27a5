import { InvalidInputError } from '../errors/index.js';

/** Settings of a {@link RetryBudget}. Defaults follow the AWS SDK v3 standard retry quota. */
export interface RetryBudgetOptions {
  /** Tokens available when full. Default 500. */
  capacity?: number;
  /** Tokens a retry after a server error or network failure costs. Default 5. */
  retryCost?: number;
  /** Tokens a retry after a timeout costs. Default 10. */
  timeoutRetryCost?: number;
  /** Tokens a successful response returns to the budget. Default 1. */
  successRefund?: number;
}

/**
 * A per-client retry quota. Each retry after a failure spends tokens and each success refunds a few, so a
 * failure storm quickly stops retries instead of multiplying load on a struggling server.
 * Waits the server asked for (429, 503 with Retry-After) do not spend from it.
 */
export interface RetryBudget {
  /** Spends the cost of one retry; false when the budget cannot afford it (do not retry). */
  trySpend(kind: 'error' | 'timeout'): boolean;
  /** Refunds after a success. */
  refund(): void;
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
    refund() {
      available = Math.min(capacity, available + refund);
    },
    get available() {
      return available;
    },
  };
}
