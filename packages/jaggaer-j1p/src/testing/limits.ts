import { InvalidInputError } from '@ml-connector/core';

/**
 * Request limits the sandbox enforces on API routes (not on the token endpoint). J1P's real limits are UNCONFIRMED —
 * public clients only show that it answers 429 with `Retry-After`. The defaults are assumptions.
 */
export interface JaggaerLimits {
  /** Requests accepted per fixed window. Default 600 (assumption). `Infinity` disables the window. */
  requestsPerWindow: number;
  /** Window length in milliseconds. Default 60,000 (assumption). */
  windowMs: number;
  /** Requests processed at the same time. Default 10 (assumption). `Infinity` disables the check. */
  maxConcurrent: number;
}

/** Default {@link JaggaerLimits}: 600 requests per minute, 10 concurrent (assumptions, UNCONFIRMED). */
export const DEFAULT_JAGGAER_LIMITS: Readonly<JaggaerLimits> = Object.freeze({ requestsPerWindow: 600, windowMs: 60_000, maxConcurrent: 10 });

/** Outcome of asking the limiter for a slot. */
export type LimitDecision = { ok: true; release: () => void } | { ok: false; reason: 'window' | 'concurrency'; retryAfterSeconds: number };

/** Fixed-window request counter plus a concurrency gate. */
export interface RequestLimiter {
  /** Takes a slot, or says why not and when to retry. */
  acquire(): LimitDecision;
  /** Requests currently in flight. */
  readonly inFlight: number;
}

function positive(name: string, value: number, integer: boolean): number {
  const ok = value === Infinity || (Number.isFinite(value) && value > 0 && (!integer || Number.isInteger(value)));
  if (!ok) throw new InvalidInputError(`limits.${name} must be a positive ${integer ? 'whole number' : 'number'} or Infinity, got ${value}`, { field: `limits.${name}` });
  return value;
}

/** Checks and fills in limit options; throws `InvalidInputError` for non-positive values. */
export function resolveLimits(limits: Partial<JaggaerLimits> = {}): JaggaerLimits {
  const merged = { ...DEFAULT_JAGGAER_LIMITS, ...limits };
  return {
    requestsPerWindow: positive('requestsPerWindow', merged.requestsPerWindow, true),
    windowMs: positive('windowMs', merged.windowMs, false),
    maxConcurrent: positive('maxConcurrent', merged.maxConcurrent, true),
  };
}

/** Creates a {@link RequestLimiter} on the given clock. */
export function createRequestLimiter(limits: JaggaerLimits, now: () => number): RequestLimiter {
  let windowStart = now();
  let count = 0;
  let inFlight = 0;
  return {
    get inFlight() {
      return inFlight;
    },
    acquire() {
      if (inFlight >= limits.maxConcurrent) return { ok: false, reason: 'concurrency', retryAfterSeconds: 1 };
      const t = now();
      if (t < windowStart) {
        windowStart = t;
        count = 0;
      } else if (t - windowStart >= limits.windowMs) {
        windowStart = t - ((t - windowStart) % limits.windowMs);
        count = 0;
      }
      if (count >= limits.requestsPerWindow) {
        return { ok: false, reason: 'window', retryAfterSeconds: Math.max(1, Math.ceil((windowStart + limits.windowMs - t) / 1000)) };
      }
      count++;
      inFlight++;
      let released = false;
      return {
        ok: true,
        release: () => {
          if (!released) {
            released = true;
            inFlight--;
          }
        },
      };
    },
  };
}
