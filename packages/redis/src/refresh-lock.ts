import { randomUUID } from 'node:crypto';
import { ConnectorError, InvalidInputError } from '@ml-connector/core';
import type { RefreshLock } from '@ml-connector/core';
import type { Redis } from 'ioredis';

/** Options of {@link createRedisRefreshLock}. */
export interface RedisRefreshLockOptions {
  /** The connection (ioredis). */
  readonly redis: Redis;
  /** Lock name: one per refresh token (e.g. `jira:<cloudId>:<principal>`). Not secret; never put the token in it. */
  readonly name: string;
  /** Prefix of the Redis key. Default `mlc:lock`. */
  readonly prefix?: string;
  /** How long the lock lives without renewal (a dead holder frees it after this). Renewed every third of it. Default 30,000 ms. */
  readonly ttlMs?: number;
  /** Longest wait for the lock before {@link RefreshLockTimeoutError}. Default 60,000 ms. */
  readonly waitMs?: number;
  /** Pause between two tries while another process holds the lock. Default 50 ms. */
  readonly pollMs?: number;
}

/** The refresh-token lock stayed taken longer than `waitMs`. */
export class RefreshLockTimeoutError extends ConnectorError {
  /** Literal class name, kept under minification. */
  static override readonly kind: string = 'RefreshLockTimeoutError';
  constructor(name: string, waitMs: number) {
    super(`the refresh-token lock ${name} was held by another process for more than ${waitMs} ms; try again`, 'REFRESH_LOCK_TIMEOUT');
  }
}

// Only the holder (its random token) may extend or delete the lock.
const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

type LockScripts = {
  mlcLockExtend(key: string, token: string, ttlMs: number): Promise<number>;
  mlcLockRelease(key: string, token: string): Promise<number>;
};

/**
 * A cross-process {@link RefreshLock} on Redis for rotating refresh tokens (Jira, Oracle): two processes refreshing
 * at once never spend the same refresh token, because the second waits for the first, then reads the token the
 * first saved. `SET NX PX` with a random holder token; renewed while the refresh runs; released by compare-and-delete.
 * Pass it as the `lock` option of `createRefreshTokenProvider`.
 */
export function createRedisRefreshLock(options: RedisRefreshLockOptions): RefreshLock {
  if (!options || typeof options.redis?.defineCommand !== 'function') {
    throw new InvalidInputError('createRedisRefreshLock needs an ioredis connection as redis', { field: 'redis' });
  }
  if (typeof options.name !== 'string' || options.name === '') throw new InvalidInputError('name must be a non-empty string', { field: 'name' });
  const ttlMs = options.ttlMs ?? 30_000;
  const waitMs = options.waitMs ?? 60_000;
  const pollMs = options.pollMs ?? 50;
  for (const [field, value] of [['ttlMs', ttlMs], ['waitMs', waitMs], ['pollMs', pollMs]] as const) {
    if (!Number.isInteger(value) || value <= 0) throw new InvalidInputError(`${field} must be a positive integer of milliseconds`, { field });
  }
  const redis = options.redis as Redis & Partial<LockScripts>;
  if (typeof redis.mlcLockExtend !== 'function') {
    options.redis.defineCommand('mlcLockExtend', { numberOfKeys: 1, lua: EXTEND });
    options.redis.defineCommand('mlcLockRelease', { numberOfKeys: 1, lua: UNLOCK });
  }
  const scripts = redis as Redis & LockScripts;
  const key = `${options.prefix ?? 'mlc:lock'}:${options.name}`;

  return async <T>(fn: () => Promise<T>): Promise<T> => {
    const token = randomUUID();
    const deadline = Date.now() + waitMs;
    while ((await scripts.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') {
      if (Date.now() >= deadline) throw new RefreshLockTimeoutError(options.name, waitMs);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
    const renew = setInterval(() => void scripts.mlcLockExtend(key, token, ttlMs).catch(() => undefined), Math.max(1, Math.floor(ttlMs / 3)));
    try {
      return await fn();
    } finally {
      clearInterval(renew);
      await scripts.mlcLockRelease(key, token).catch(() => undefined);
    }
  };
}
