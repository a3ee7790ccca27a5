import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { AbortError, InvalidInputError } from '@ml-connector/core';
import type { AcquireOptions, PermitOutcome, RateLimitDenial, RateLimitPermit, RateLimiter } from '@ml-connector/core';
import type { Redis } from 'ioredis';

/** Options of {@link createRedisRateLimiter}. */
export interface RedisRateLimiterOptions {
  /** The connection (ioredis). Every worker of one deployment points at the same Redis. */
  readonly redis: Redis;
  /** Prefix of the keys the limiter writes. Default `mlc:rl`. */
  readonly prefix?: string;
  /** The vendor's budget per key (tenant identity), in requests per second: the token bucket's rate and ceiling. */
  readonly requestsPerSecond: number;
  /**
   * Most requests the bucket lets through at once after an idle spell. Default one second's worth
   * (`requestsPerSecond`). Lower it when the vendor counts in a sliding window: in any window of `w` seconds at most
   * `burst + requestsPerSecond × w` requests go out.
   */
  readonly burst?: number;
  /** Requests in flight per key across all workers at start. Default 4. */
  readonly initialConcurrency?: number;
  /** Ceiling the concurrency recovers to. Default 16. */
  readonly maxConcurrency?: number;
  /** Floor the concurrency backs off to. Default 1. */
  readonly minConcurrency?: number;
  /** Multiplier applied to the rate and the concurrency after a 429, once per congestion event. Default 0.5. */
  readonly backoffFactor?: number;
  /**
   * How long a permit is held at most: a worker that dies holding permits gives them back after this.
   * Longer than your slowest request. Default 60,000 ms.
   */
  readonly permitLeaseMs?: number;
  /** Longest wait between two tries while the concurrency is used up. Default 25 ms. */
  readonly pollMs?: number;
  /** A key unused this long is dropped from Redis. Default 10 minutes. */
  readonly idleKeyTtlMs?: number;
  /** Clock in epoch ms. Default: the Redis server's clock (`TIME`), so workers on several machines agree. */
  readonly now?: () => number;
  /** Waits `ms` (tests pass a controlled one). Default: a timer. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** State of one key as Redis holds it, for tests, logs and dashboards. */
export interface RedisRateLimitState {
  /** Concurrency limit in force (floor). */
  readonly concurrency: number;
  /** Permits held across all workers (expired leases not counted). */
  readonly inFlight: number;
  /** Current rate in requests per second (lowered by 429s, recovering with successes). */
  readonly requestsPerSecond: number;
  /** Epoch ms until which the key is paused by a Retry-After, or 0. */
  readonly pausedUntil: number;
  /** Permits granted since the key was created. */
  readonly granted: number;
}

/** A `RateLimiter` (core) whose budget lives in Redis, shared by every worker. */
export interface RedisRateLimiter extends RateLimiter {
  /** The state of a key, or undefined when Redis has none. */
  state(key: string): Promise<RedisRateLimitState | undefined>;
  /**
   * How much longer a key is paused by a server's Retry-After, in ms (0 when it is not): one Redis read, cheap enough
   * to ask before every job (a flow worker's `pausedMs`).
   */
  pausedMs(key: string): Promise<number>;
}

// State hash fields: tokens, refilled (ms), rate, limit, paused (ms), granted, cut, successes.
// KEYS[1] state hash, KEYS[2] permit sorted set (score = lease expiry).
const CLOCK = `
local now = tonumber(ARGV[1])
if now == nil then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;

const LOAD = `
local s = redis.call('HMGET', KEYS[1], 'tokens', 'refilled', 'rate', 'limit', 'paused', 'granted', 'cut', 'successes')
local maxRate = tonumber(ARGV[2])
local tokens = tonumber(s[1]) or 1
local refilled = tonumber(s[2]) or now
local rate = tonumber(s[3]) or maxRate
local limit = tonumber(s[4]) or tonumber(ARGV[3])
local paused = tonumber(s[5]) or 0
local granted = tonumber(s[6]) or 0
local cut = tonumber(s[7]) or 0
local successes = tonumber(s[8]) or 0
local function save(ttl)
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'refilled', tostring(refilled), 'rate', tostring(rate),
    'limit', tostring(limit), 'paused', tostring(paused), 'granted', tostring(granted), 'cut', tostring(cut),
    'successes', tostring(successes))
  redis.call('PEXPIRE', KEYS[1], ttl)
  redis.call('PEXPIRE', KEYS[2], ttl)
end
`;

/**
 * ARGV: now|'' , maxRate, initialConcurrency, permitId, leaseMs, idleTtlMs, burst|''.
 * Returns {1, permitNumber} or {0, waitMs, reason(1 paused, 2 concurrency, 3 rate)}.
 */
const ACQUIRE = `${CLOCK}${LOAD}
-- Permits of dead workers come back when their lease runs out.
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if paused > now then return {0, paused - now, 1} end
local inFlight = redis.call('ZCARD', KEYS[2])
if inFlight >= math.floor(limit) then
  local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  return {0, math.max(1, tonumber(first[2]) - now), 2}
end
-- Burst capacity of one second's worth keeps bursts within the vendor's per-second view.
local capacity = tonumber(ARGV[7]) or math.max(1, rate)
tokens = math.min(capacity, tokens + (now - refilled) / 1000 * rate)
refilled = now
if tokens < 1 then
  save(tonumber(ARGV[6]))
  return {0, math.ceil((1 - tokens) / rate * 1000), 3}
end
tokens = tokens - 1
local number = granted
granted = granted + 1
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[5]), ARGV[4])
save(tonumber(ARGV[6]))
return {1, number}
`;

/**
 * ARGV: now|'', maxRate, initialConcurrency, permitId, permitNumber, result, retryAfterMs, factor, minC, maxC, idleTtlMs.
 * A 429 lowers the rate and the concurrency for every worker, once per congestion event (429s of permits granted
 * before the last cut belong to it); a window of successes adds a step back (AIMD).
 */
const RELEASE = `${CLOCK}${LOAD}
redis.call('ZREM', KEYS[2], ARGV[4])
local number = tonumber(ARGV[5])
local result = ARGV[6]
local factor = tonumber(ARGV[8])
if result == 'throttled' then
  successes = 0
  if number >= cut then
    limit = math.max(tonumber(ARGV[9]), limit * factor)
    rate = math.max(0.1, rate * factor)
    tokens = math.min(tokens, 0)
    cut = granted
  end
  local retryAfter = tonumber(ARGV[7])
  if retryAfter > 0 then paused = math.max(paused, now + retryAfter) end
elseif result == 'success' then
  successes = successes + 1
  if successes >= math.floor(limit) then
    successes = 0
    limit = math.min(tonumber(ARGV[10]), limit + 1)
    rate = math.min(maxRate, rate + maxRate / 20)
  end
end
save(tonumber(ARGV[11]))
return 1
`;

type Scripts = {
  mlcAcquire(state: string, permits: string, ...args: (string | number)[]): Promise<[number, number, number?]>;
  mlcRelease(state: string, permits: string, ...args: (string | number)[]): Promise<number>;
};

function defineScripts(redis: Redis): Redis & Scripts {
  const r = redis as Redis & Partial<Scripts>;
  if (typeof r.mlcAcquire !== 'function') {
    redis.defineCommand('mlcAcquire', { numberOfKeys: 2, lua: ACQUIRE });
    redis.defineCommand('mlcRelease', { numberOfKeys: 2, lua: RELEASE });
  }
  return r as Redis & Scripts;
}

/** Waits with a timer; an abort rejects with core's AbortError, as core's own waits do. */
async function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch {
    throw new AbortError(undefined, { cause: signal?.reason });
  }
}

/** Resolves with `promise`, or rejects with core's AbortError as soon as `signal` aborts. */
function untilAborted(promise: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(new AbortError(undefined, { cause: signal.reason }));
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new AbortError(undefined, { cause: signal.reason }));
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

function positive(value: number | undefined, fallback: number, field: string): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new InvalidInputError(`${field} must be a positive number, got ${String(v)}`, { field });
  return v;
}

/**
 * Creates a `RateLimiter` (core) whose budget lives in Redis, so N workers together stay under a vendor's limits. Per
 * key (one tenant identity against one host): a token bucket at `requestsPerSecond` and a concurrency limit whose
 * permits are leased (a worker that dies gives its permits back when their lease runs out). A 429 (`throttled`)
 * lowers the rate and the concurrency for every worker and pauses the key for the server's Retry-After; successes
 * raise them back (AIMD), as core's in-memory adaptive throttle does for one process. Every decision is one Lua script,
 * atomic in Redis. Pass it as a connector's `throttle` option.
 */
export function createRedisRateLimiter(options: RedisRateLimiterOptions): RedisRateLimiter {
  if (!options || typeof options.redis?.defineCommand !== 'function') {
    throw new InvalidInputError('createRedisRateLimiter needs an ioredis connection as redis', { field: 'redis' });
  }
  const maxRate = positive(options.requestsPerSecond, Number.NaN, 'requestsPerSecond');
  const minC = positive(options.minConcurrency, 1, 'minConcurrency');
  const maxC = positive(options.maxConcurrency, 16, 'maxConcurrency');
  const initC = positive(options.initialConcurrency, Math.min(4, maxC), 'initialConcurrency');
  if (!(minC <= initC && initC <= maxC)) {
    throw new InvalidInputError(`concurrency must satisfy minConcurrency <= initialConcurrency <= maxConcurrency; got ${minC}, ${initC}, ${maxC}`, { field: 'initialConcurrency' });
  }
  const factor = options.backoffFactor ?? 0.5;
  if (!(factor > 0 && factor < 1)) throw new InvalidInputError(`backoffFactor must be between 0 and 1, got ${factor}`, { field: 'backoffFactor' });
  const burst = options.burst === undefined ? '' : Math.max(1, positive(options.burst, 1, 'burst'));
  const leaseMs = Math.ceil(positive(options.permitLeaseMs, 60_000, 'permitLeaseMs'));
  const pollMs = positive(options.pollMs, 25, 'pollMs');
  const idleTtl = Math.ceil(positive(options.idleKeyTtlMs, 10 * 60_000, 'idleKeyTtlMs'));
  const prefix = options.prefix ?? 'mlc:rl';
  const redis = defineScripts(options.redis);
  const sleep = options.sleep ?? abortableSleep;
  const clock = () => (options.now ? String(options.now()) : '');
  const keysOf = (key: string): [string, string] => [`${prefix}:{${key}}:state`, `${prefix}:{${key}}:permits`];

  /**
   * Per key, this process sends one acquire at a time to Redis; the others wait their turn here (FIFO). Without it, every
   * waiting request of every worker polls Redis and all of them wake for each new token (a thundering herd that costs
   * one script per waiter per grant and CPU the requests need). A permit released here wakes the head of the line at
   * once instead of after its poll step.
   */
  interface Line {
    tail: Promise<void>;
    /** Permits of this key released by this process: a release during the head's acquire means "try again now". */
    released: number;
    wake?: () => void;
  }
  const lines = new Map<string, Line>();

  const permit = (key: string, id: string, number: number): RateLimitPermit => {
    let released = false;
    return {
      release(outcome: PermitOutcome) {
        if (released) return;
        released = true;
        const [state, permits] = keysOf(key);
        // Fire and forget (the contract's release is synchronous); a lost release is repaid by the permit's lease.
        // The head's next acquire goes out on the same connection after this release, so Redis sees the release first.
        redis
          .mlcRelease(state, permits, clock(), maxRate, initC, id, number, outcome.result, Math.max(0, Math.ceil(outcome.retryAfterMs ?? 0)), factor, minC, maxC, idleTtl)
          .catch(() => undefined);
        const line = lines.get(key);
        if (line) {
          line.released++;
          line.wake?.();
        }
      },
    };
  };

  /** Tries in Redis until granted, denied or aborted; only the head of this process's line for `key` runs it. */
  const acquireAtHead = async (key: string, line: Line, signal: AbortSignal | undefined, maxPauseMs: number): Promise<RateLimitPermit | RateLimitDenial> => {
    const [state, permits] = keysOf(key);
    for (;;) {
      if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
      const id = randomUUID();
      const releasedBefore = line.released;
      const [granted, value, reason] = await redis.mlcAcquire(state, permits, clock(), maxRate, initC, id, leaseMs, idleTtl, burst);
      if (granted === 1) return permit(key, id, value);
      if (reason === 1 && value > maxPauseMs) return { denied: true, retryAfterMs: value };
      if (reason !== 2) {
        await sleep(value, signal);
        continue;
      }
      // Concurrency used up: wait for a poll step, or less when a permit of this process comes back.
      if (line.released !== releasedBefore) continue;
      const woken = new AbortController();
      line.wake = () => woken.abort();
      const onAbort = () => woken.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        await sleep(Math.min(value, pollMs), woken.signal);
      } catch (error) {
        if (!woken.signal.aborted) throw error;
      } finally {
        line.wake = undefined;
        signal?.removeEventListener('abort', onAbort);
      }
    }
  };

  return {
    async acquire(key: string, { signal, maxPauseMs = Infinity }: AcquireOptions = {}): Promise<RateLimitPermit | RateLimitDenial> {
      if (typeof key !== 'string' || key === '') throw new InvalidInputError('the rate limit key must be a non-empty string', { field: 'key' });
      let line = lines.get(key);
      if (!line) lines.set(key, (line = { tail: Promise.resolve(), released: 0 }));
      const before = line.tail;
      let done!: () => void;
      const mine = new Promise<void>((resolve) => (done = resolve));
      line.tail = mine;
      const finish = () => {
        done();
        if (lines.get(key)?.tail === mine) lines.delete(key);
      };
      let atHead = false;
      try {
        await (signal ? untilAborted(before, signal) : before);
        atHead = true;
        return await acquireAtHead(key, line, signal, maxPauseMs);
      } finally {
        // A waiter aborted in line hands its turn on only when the one before it is done.
        if (atHead) finish();
        else void before.then(finish);
      }
    },
    async pausedMs(key) {
      const paused = Number(await redis.hget(keysOf(key)[0], 'paused'));
      const now = options.now ? options.now() : Date.now();
      return paused > now ? paused - now : 0;
    },
    async state(key) {
      const [stateKey, permits] = keysOf(key);
      const s = await redis.hgetall(stateKey);
      if (!s.limit) return undefined;
      const now = options.now ? options.now() : Date.now();
      const inFlight = await redis.zcount(permits, `(${now}`, '+inf');
      return {
        concurrency: Math.floor(Number(s.limit)),
        inFlight,
        requestsPerSecond: Number(s.rate),
        pausedUntil: Number(s.paused) > now ? Number(s.paused) : 0,
        granted: Number(s.granted),
      };
    },
  };
}
