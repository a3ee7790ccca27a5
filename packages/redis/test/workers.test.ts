import { describe, expect, it } from 'vitest';
import { produceFlow } from '@ml-connector/redis';
import { allAudit, privateRedis, startCluster } from './worker-fixture.js';
import { requireService, servicesRequired } from './services.js';

const redisUrl = process.env.REDIS_URL;
const databaseUrl = process.env.DATABASE_URL;
requireService('REDIS_URL');
requireService('DATABASE_URL');

const waitFor = async (condition: () => boolean, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** 0 duplicates, 0 lost, audit complete: one document and one `written` event per record. */
async function expectExactlyOnce(cluster: Awaited<ReturnType<typeof startCluster>>, records: number) {
  expect(cluster.target.docs.size).toBe(records);
  const numbers = new Set([...cluster.target.docs.values()].map((doc) => doc.payload.number));
  expect(numbers.size).toBe(records);
  const ledger = await cluster.store.listLedger({ flow: 'bc-invoices' });
  expect(ledger).toHaveLength(records);
  expect(ledger.every((entry) => entry.state === 'confirmed')).toBe(true);
  const audit = await allAudit(cluster.store, 'bc-invoices');
  const written = audit.filter((event) => event.step === 'written');
  expect(written).toHaveLength(records);
  expect(new Set(written.map((event) => event.sourceId)).size).toBe(records);
  expect(audit.filter((event) => event.step === 'received').length).toBeGreaterThanOrEqual(records);
  expect(await cluster.store.listReview({ flow: 'bc-invoices', state: ['open', 'retrying'] })).toEqual([]);
}

describe.skipIf(!redisUrl || !databaseUrl)('BullMQ flow workers on PostgreSQL', () => {
  it('4 workers on one stream of 2,000 invoices: 0 duplicates, 0 lost, audit complete; re-reading the stream adds nothing', async () => {
    const cluster = await startCluster({ redisUrl: redisUrl!, databaseUrl: databaseUrl!, records: 2000, workers: 4, pageSize: 250 });
    try {
      const summary = await produceFlow({ flow: cluster.flow, store: cluster.store, connection: cluster.producerConnection, queueName: cluster.queueName, pollMs: 50 });
      expect(summary).toMatchObject({ pages: 8, enqueued: 2000, failed: 0 });
      await expectExactlyOnce(cluster, 2000);
      expect([...cluster.creates.values()].every((count) => count === 1)).toBe(true);
      // Every worker took a share.
      expect(new Set(cluster.callers.values()).size).toBe(4);
      expect(await cluster.store.getCheckpoint('bc-invoices/jaggaer/approved-invoices')).toMatchObject({ value: '2000' });
      // A look-back re-read of the whole stream is one job per record at the same version: nothing is written again.
      await cluster.store.deleteCheckpoint('bc-invoices/jaggaer/approved-invoices');
      await produceFlow({ flow: cluster.flow, store: cluster.store, connection: cluster.producerConnection, queueName: cluster.queueName, pollMs: 50 });
      expect(cluster.target.calls.create).toBe(2000);
    } finally {
      await cluster.close();
    }
  }, 120_000);

  it('a worker killed mid-job (after the target stored the invoice): its job completes elsewhere exactly once', async () => {
    const cluster = await startCluster({ redisUrl: redisUrl!, databaseUrl: databaseUrl!, records: 200, workers: 3, pageSize: 200, leaseMs: 1500 });
    try {
      cluster.target.failures.push({ op: 'create', number: 'INV-00050', afterWrite: true, hang: true, error: () => new Error('never answers') });
      const producing = produceFlow({ flow: cluster.flow, store: cluster.store, connection: cluster.producerConnection, queueName: cluster.queueName, pollMs: 50, backoffMs: 300 });
      await waitFor(() => cluster.target.hangs === 1);
      const doomed = cluster.callers.get('INV-00050')!;
      // Kill it: no graceful close, its connection cut, so it renews neither the BullMQ lock nor anything else.
      void cluster.workers[doomed]!.worker.close(true);
      cluster.connections[doomed]!.disconnect();
      const summary = await producing;
      expect(summary.failed).toBe(0);
      await expectExactlyOnce(cluster, 200);
      // The dead worker's create reached the target; the survivor found it by natural key and adopted it.
      expect(cluster.creates.get('INV-00050')).toBe(1);
      expect(cluster.callers.get('INV-00050')).toBe(doomed);
      const trail = await cluster.store.queryAudit({ record: { flow: 'bc-invoices', sourceSystem: 'jaggaer', sourceId: '00050' } });
      expect(trail.find((event) => event.step === 'written')?.detail).toMatch(/adopted/);
    } finally {
      await cluster.close();
    }
  }, 120_000);

  const redisServer = process.env.MLC_REDIS_SERVER;
  // CI (ML_CONNECTOR_REQUIRE_SERVICES=1) must run it: without a server binary it fails there instead of skipping.
  it.skipIf(!redisServer && !servicesRequired)('Redis restarted mid-run (every job lost): nothing is lost, nothing written twice', async () => {
    const port = Number(process.env.MLC_REDIS_PORT ?? 6399) + 1;
    const server = privateRedis(redisServer!, port, process.env.MLC_REDIS_DIR ?? '/tmp');
    await server.start();
    const cluster = await startCluster({ redisUrl: `redis://127.0.0.1:${port}`, databaseUrl: databaseUrl!, records: 600, workers: 4, pageSize: 300 });
    try {
      const create = cluster.target.create.bind(cluster.target);
      // Slow writes, so the restart lands while jobs are waiting and running.
      cluster.target.create = async (payload) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return create(payload);
      };
      const producing = produceFlow({ flow: cluster.flow, store: cluster.store, connection: cluster.producerConnection, queueName: cluster.queueName, pollMs: 50 });
      await waitFor(() => cluster.target.docs.size >= 100);
      await server.kill();
      await new Promise((resolve) => setTimeout(resolve, 300));
      await server.start();
      const summary = await producing;
      expect(summary.reenqueued).toBeGreaterThan(0);
      await expectExactlyOnce(cluster, 600);
    } finally {
      await cluster.close();
      await server.kill();
    }
  }, 120_000);
});
