import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemorySyncStore, createSyncEngine, type SyncFlow, type SyncStore } from '@ml-connector/core/sync';
import { type RedisRateLimiter, type TenantFlowWorkers, createRedisRateLimiter, flowQueueName, openFlowQueue, produceFlow, startTenantFlowWorkers } from '@ml-connector/redis';
import { isInvalidInputError } from '@ml-connector/core';
import { FakeSource, FakeTarget, type Invoice, type InvoiceDoc, invoice, invoiceFlow, rateLimited } from '../../core/test/sync/engine-fakes.js';
import { requireService } from './services.js';

const url = process.env.REDIS_URL;
requireService('REDIS_URL');

const waitFor = async (condition: () => boolean | Promise<boolean>, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** Most grants in any window of `windowMs` (timestamps sorted). */
const busiestWindow = (times: readonly number[], windowMs: number) => {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
};

interface Tenant {
  readonly id: string;
  readonly kind: 'healthy' | 'throttled' | 'failing';
  readonly source: FakeSource;
  readonly target: FakeTarget;
  readonly store: SyncStore;
  readonly flow: SyncFlow<Invoice, InvoiceDoc>;
  /** When each of the tenant's writes got its permit. */
  readonly grants: number[];
  calls: number;
}

describe.skipIf(!url)('fair scheduling across tenants (a queue per tenant)', () => {
  const connections: Redis[] = [];
  const connect = () => {
    const redis = new Redis(url!, { maxRetriesPerRequest: null });
    redis.on('error', () => undefined);
    connections.push(redis);
    return redis;
  };
  afterAll(async () => {
    await Promise.all(connections.map((c) => c.quit().catch(() => undefined)));
  });

  it('a tenant throttled hard and one failing on every record hold up no other tenant; each tenant stays within its own budget', async () => {
    const run = `tn-${process.pid}-${Date.now().toString(36)}`;
    const rate = 20; // each healthy tenant's budget, requests per second
    const limiterOf = (redis: Redis): RedisRateLimiter =>
      createRedisRateLimiter({ redis, prefix: `${run}:rl`, requestsPerSecond: rate, burst: 2, initialConcurrency: 4, maxConcurrency: 4 });
    const tenants: Tenant[] = (['throttled', 'failing', 'healthy', 'healthy', 'healthy', 'healthy'] as const).map((kind, i) => {
      const records = kind === 'healthy' ? 30 : 60;
      const source = new FakeSource(Array.from({ length: records }, (_, n) => invoice(String(n + 1).padStart(5, '0'))));
      source.pageSize = records;
      const target = new FakeTarget();
      // Partners keep each tenant's state apart (a schema, or a database, per tenant).
      return { id: `${kind}-${i}`, kind, source, target, store: createMemorySyncStore(), flow: invoiceFlow(source, target), grants: [], calls: 0 };
    });
    /** Tenant `t`'s flow as one worker process sees it: writes draw on the tenant's budget through that process's limiter. */
    const flowIn = (t: Tenant, limiter: RedisRateLimiter): SyncFlow<Invoice, InvoiceDoc> => ({
      ...t.flow,
      target: Object.assign(Object.create(t.target) as FakeTarget, {
        create: async (payload: InvoiceDoc) => {
          const permit = await limiter.acquire(`bc|${t.id}`);
          if ('denied' in permit) throw rateLimited();
          t.calls++;
          t.grants.push(Date.now());
          if (t.kind === 'throttled') {
            // Its vendor answers 429 with Retry-After to everything.
            permit.release({ result: 'throttled', retryAfterMs: 1500 });
            throw rateLimited();
          }
          permit.release({ result: 'success' });
          if (t.kind === 'failing') throw rateLimited();
          return t.target.create(payload);
        },
      }),
    });
    // Two worker processes' worth: each its own connections, limiter and engines; state per tenant shared.
    const processes: TenantFlowWorkers[] = [];
    for (let p = 0; p < 2; p++) {
      const limiter = limiterOf(connect());
      processes.push(startTenantFlowWorkers({
        connection: connect(), queueName: run, concurrencyPerTenant: 2, minPauseMs: 200,
        tenants: tenants.map((t) => ({
          tenant: t.id,
          flow: flowIn(t, limiter),
          engine: createSyncEngine({ store: t.store, owner: `p${p}`, concurrency: 1 }),
          pausedMs: () => limiter.pausedMs(`bc|${t.id}`),
        })),
      }));
    }
    const producer = connect();
    const startedAt = Date.now();
    try {
      // The bad tenants' backlogs are queued first: with one queue for all, every slot would wait on them.
      for (const t of tenants.filter((x) => x.kind !== 'healthy')) {
        const queue = openFlowQueue({ flow: t.flow, connection: producer, queueName: run, tenant: t.id });
        await queue.addBulk(t.source.log.map((entry, n) => ({ name: 'record', data: { record: entry }, opts: { jobId: `r${n}`, attempts: 1 } })));
        await queue.close();
      }
      const healthy = tenants.filter((t) => t.kind === 'healthy');
      const summaries = await Promise.all(healthy.map((t) => produceFlow({ flow: t.flow, store: t.store, connection: producer, queueName: run, tenant: t.id, pollMs: 20 })));
      const healthyDoneMs = Date.now() - startedAt;
      for (const [i, t] of healthy.entries()) {
        expect(summaries[i]).toMatchObject({ enqueued: 30, failed: 0 });
        expect(t.target.docs.size).toBe(30);
        expect(t.calls).toBe(30);
        // Its own budget: never more than burst + one second's worth in any second.
        expect(busiestWindow(t.grants, 1000)).toBeLessThanOrEqual(rate + 2 + 1);
      }
      // No starvation: the healthy tenants are done while the throttled tenant still has most of its backlog.
      const throttled = tenants[0]!;
      const throttledQueue = openFlowQueue({ flow: throttled.flow, connection: producer, queueName: run, tenant: throttled.id });
      const left = await throttledQueue.getJobCounts('wait', 'prioritized', 'active', 'delayed');
      expect(Object.values(left).reduce((a, b) => a + b, 0)).toBeGreaterThan(40);
      // Its Retry-After rests the tenant's queue on every worker: a handful of calls, not one per job.
      expect(throttled.calls).toBeLessThanOrEqual(4 * (Math.ceil(healthyDoneMs / 1500) + 1));
      await throttledQueue.obliterate({ force: true });
      await throttledQueue.close();
      // The failing tenant loses nothing: every record ends in its review queue, to be taken again.
      const failing = tenants[1]!;
      await waitFor(async () => (await failing.store.listReview({ flow: 'bc-invoices', state: 'retrying' })).length === 60);
      expect(failing.target.docs.size).toBe(0);
    } finally {
      await Promise.all(processes.map((p) => p.close()));
      for (const t of tenants) {
        const queue = openFlowQueue({ flow: t.flow, connection: producer, queueName: run, tenant: t.id });
        await queue.obliterate({ force: true }).catch(() => undefined);
        await queue.close();
      }
    }
  }, 60_000);

  it('names a queue per tenant and refuses bad tenants', () => {
    const flow = invoiceFlow(new FakeSource([]), new FakeTarget());
    expect(flowQueueName(flow, undefined, 'contoso-eu')).toBe('mlc-flow-bc-invoices-t-contoso-eu');
    for (const tenant of ['', 'a:b', 'x'.repeat(129)]) {
      expect(isInvalidInputError((() => { try { flowQueueName(flow, undefined, tenant); } catch (e) { return e; } })())).toBe(true);
    }
    const connection = new Redis(url!, { lazyConnect: true });
    connections.push(connection);
    const engine = createSyncEngine({ store: createMemorySyncStore() });
    expect(isInvalidInputError((() => { try { startTenantFlowWorkers({ connection, tenants: [] }); } catch (e) { return e; } })())).toBe(true);
    expect(isInvalidInputError((() => { try { startTenantFlowWorkers({ connection, tenants: [{ tenant: 'a', flow, engine }, { tenant: 'a', flow, engine }] }); } catch (e) { return e; } })())).toBe(true);
  });
});
