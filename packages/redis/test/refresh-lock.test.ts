import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RefreshLockTimeoutError, createRedisRefreshLock } from '@ml-connector/redis';
import { requireService } from './services.js';

const url = process.env.REDIS_URL;
requireService('REDIS_URL');

describe.skipIf(!url)('Redis refresh-token lock', () => {
  const connections: Redis[] = [];
  const connect = () => {
    const redis = new Redis(url!);
    connections.push(redis);
    return redis;
  };
  afterAll(async () => {
    await Promise.all(connections.map((c) => c.quit()));
  });
  const name = () => `test-${process.pid}-${Math.random().toString(36).slice(2)}`;

  it('never lets two processes spend the same rotating refresh token', async () => {
    const lockName = name();
    // Four "processes", each with its own connection and lock; the token store is shared (as a database would be).
    const locks = Array.from({ length: 4 }, () => createRedisRefreshLock({ redis: connect(), name: lockName, pollMs: 2 }));
    let current = 'rt-0';
    const spent = new Set<string>();
    let reused = 0;
    const refresh = async () => {
      const token = current;
      if (spent.has(token)) reused++;
      spent.add(token);
      await new Promise((resolve) => setTimeout(resolve, 3));
      current = `rt-${spent.size}`;
    };
    await Promise.all(locks.flatMap((lock) => Array.from({ length: 5 }, () => lock(refresh))));
    expect(reused).toBe(0);
    expect(spent.size).toBe(20);
  });

  it('fails with RefreshLockTimeoutError when the holder keeps it, and a dead holder frees it after its ttl', async () => {
    const lockName = name();
    const redis = connect();
    await redis.set(`mlc:lock:${lockName}`, 'dead-process', 'PX', 150);
    const impatient = createRedisRefreshLock({ redis, name: lockName, waitMs: 50, pollMs: 5 });
    await expect(impatient(async () => 1)).rejects.toBeInstanceOf(RefreshLockTimeoutError);
    const patient = createRedisRefreshLock({ redis, name: lockName, waitMs: 2000, pollMs: 5 });
    await expect(patient(async () => 'refreshed')).resolves.toBe('refreshed');
    expect(await redis.exists(`mlc:lock:${lockName}`)).toBe(0);
  });
});
