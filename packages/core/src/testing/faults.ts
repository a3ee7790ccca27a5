import { InvalidInputError } from '../errors/index.js';
import { createSeededRandom } from './random.js';

/** One fault an emulator applies to a request. */
export type Fault =
  /** Answer with this status and the vendor's error envelope instead of processing. */
  | { kind: 'status'; status: number; retryAfterSeconds?: number }
  /** Drop the connection before the request is processed (the server certainly did nothing). */
  | { kind: 'reset-before' }
  /** Process the request, then drop the connection before answering (outcome unknown to the client). */
  | { kind: 'reset-after' }
  /** Process the request and send only part of the response body, then drop the connection. */
  | { kind: 'truncate' };

/** Fault-injection settings. Rates are probabilities per request in [0, 1]. */
export interface FaultOptions {
  /** Seed for the fault sequence; the same seed and request order give the same faults. Default `1`. */
  seed?: number | string;
  /** Probability of answering with each status, e.g. `{ 429: 0.05, 503: 0.01 }`. */
  statusRates?: Record<number, number>;
  /** `Retry-After` seconds sent with injected 429/503 responses. Default `1`. */
  retryAfterSeconds?: number;
  /** Probability of dropping the connection before processing. */
  resetBeforeRate?: number;
  /** Probability of dropping the connection after processing. */
  resetAfterRate?: number;
  /** Probability of a truncated response body. */
  truncateRate?: number;
  /** Added latency per request in milliseconds: fixed, or a `[min, max]` range drawn from the seed. */
  latencyMs?: number | readonly [number, number];
  /** Only requests for which this returns true are subject to faults (e.g. skip the token endpoint). */
  appliesTo?: (request: Request) => boolean;
}

/** Decides, deterministically by seed, which fault (if any) and how much latency each request gets. */
export interface FaultInjector {
  /** The fault for this request, or `undefined` to process it normally. */
  nextFault(request: Request): Fault | undefined;
  /** Latency to add before answering this request, in milliseconds. */
  nextLatencyMs(request: Request): number;
  /** Queue faults that apply to the next matching requests, in order, ahead of the random ones. */
  enqueue(...faults: Fault[]): void;
}

/** Thrown inside an emulator handler to make the serving adapter drop the connection. */
export class EmulatedConnectionDrop extends Error {
  /** `before`: nothing was processed; `after`: the request was processed. */
  readonly phase: 'before' | 'after';
  constructor(phase: 'before' | 'after') {
    super(`emulated connection drop ${phase} processing`);
    this.name = 'EmulatedConnectionDrop';
    this.phase = phase;
  }
}

/** Header an emulator sets on a response whose body the serving adapter must truncate. */
export const TRUNCATE_HEADER = 'x-emulator-truncate';

function checkRate(name: string, rate: number | undefined): number {
  const r = rate ?? 0;
  if (!(r >= 0 && r <= 1)) throw new InvalidInputError(`${name} must be a probability between 0 and 1, got ${rate}`, { field: name });
  return r;
}

/** Creates a seeded {@link FaultInjector}. With no rates it injects nothing (but queued faults still apply). */
export function createFaultInjector(options: FaultOptions = {}): FaultInjector {
  const random = createSeededRandom(options.seed ?? 1);
  const statusRates = Object.entries(options.statusRates ?? {}).map(([status, rate]) => {
    const code = Number(status);
    if (!Number.isInteger(code) || code < 400 || code > 599) {
      throw new InvalidInputError(`statusRates keys must be HTTP error statuses (400-599), got ${status}`, { field: 'statusRates' });
    }
    return [code, checkRate(`statusRates.${status}`, rate)] as const;
  });
  const resetBefore = checkRate('resetBeforeRate', options.resetBeforeRate);
  const resetAfter = checkRate('resetAfterRate', options.resetAfterRate);
  const truncate = checkRate('truncateRate', options.truncateRate);
  const retryAfterSeconds = options.retryAfterSeconds ?? 1;
  const queued: Fault[] = [];
  const applies = (request: Request) => !options.appliesTo || options.appliesTo(request);

  return {
    enqueue: (...faults) => queued.push(...faults),
    nextFault(request) {
      if (!applies(request)) return undefined;
      const head = queued.shift();
      if (head) return head;
      for (const [status, rate] of statusRates) {
        if (random.chance(rate)) {
          return status === 429 || status === 503 ? { kind: 'status', status, retryAfterSeconds } : { kind: 'status', status };
        }
      }
      if (random.chance(resetBefore)) return { kind: 'reset-before' };
      if (random.chance(resetAfter)) return { kind: 'reset-after' };
      if (random.chance(truncate)) return { kind: 'truncate' };
      return undefined;
    },
    nextLatencyMs(request) {
      const latency = options.latencyMs;
      if (latency === undefined || !applies(request)) return 0;
      return typeof latency === 'number' ? latency : random.int(latency[0], latency[1]);
    },
  };
}
