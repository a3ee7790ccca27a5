import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '@ml-connector/core';
import type { SyncFlow } from '@ml-connector/core/sync';
import { parseExampleArgs } from '../src/shared/args.ts';
import { runOnWorkers } from '../src/shared/scale-out.ts';
import { loadInvoiceMappings } from '../src/bc-invoices/mappings.ts';
import { createWorld } from './world.ts';

const redisUrl = process.env['REDIS_URL'];

describe('bc-invoices --workers', () => {
  it('parses --workers and refuses what cannot go with it', () => {
    expect(parseExampleArgs(['--workers', '4'])).toMatchObject({ workers: 4 });
    for (const argv of [['--workers', '0'], ['--workers', 'four'], ['--workers', '2', '--dry-run'], ['--workers', '2', '--limit', '5']]) {
      expect(() => parseExampleArgs(argv), argv.join(' ')).toThrow(/--workers|--limit/);
    }
  });

  it('parses --worker-processes and --worker, and refuses what cannot go with them', () => {
    expect(parseExampleArgs(['--workers', '4', '--worker-processes'])).toMatchObject({ workers: 4, workerProcesses: true });
    expect(parseExampleArgs(['--worker'])).toMatchObject({ worker: true });
    expect(parseExampleArgs(['--worker', '--workers', '2', '--json'])).toMatchObject({ worker: true, workers: 2, json: true });
    expect(parseExampleArgs(['--workers', '4'])).not.toHaveProperty('workerProcesses');
    for (const argv of [['--worker-processes'], ['--worker', '--workers', '2', '--worker-processes'], ['--worker', '--review'], ['--worker', '--replay'], ['--worker', '--audit', 'INV-1'], ['--worker', '--dry-run']]) {
      expect(() => parseExampleArgs(argv), argv.join(' ')).toThrow(/--worker/);
    }
  });

  it.skipIf(!redisUrl)('runs the real bc-invoices flow on 3 BullMQ workers: every approved invoice once in Business Central', async () => {
    const world = createWorld({ mappings: await loadInvoiceMappings(), invoices: 300 });
    const summary = await runOnWorkers(world.flow, {
      workers: 3, store: world.store, owner: `test-${process.pid}-${Date.now()}`, logger: silentLogger,
      signal: new AbortController().signal, onEvent: () => undefined,
    });
    expect(summary.status).toBe('completed');
    const byKey = world.bcInvoicesByKey();
    expect([...byKey.values()].every((rows) => rows.length === 1)).toBe(true);
    const open = await world.engine.reviews({ flow: 'bc-invoices', state: ['open', 'retrying'] });
    expect(world.bcSandbox.db.purchaseInvoices.size + open.length).toBe(world.approvedInvoices().length);
    expect(summary.counts.created).toBe(world.bcSandbox.db.purchaseInvoices.size);
  }, 120_000);

  it.skipIf(!redisUrl)('with worker processes, adds the requests each worker process reports to the run’s figures', async () => {
    const world = createWorld({ mappings: await loadInvoiceMappings(), invoices: 0 });
    const dir = mkdtempSync(join(tmpdir(), 'mlc-workers-'));
    // A stand-in worker process: reports its counts and requests as `--worker --json` does, once stopped.
    const worker = [
      '-e',
      `process.on('SIGTERM', () => { console.log(JSON.stringify({ read: 1, created: 1, requestsUsed: 10 })); process.exit(0); });` +
        `require('node:fs').writeFileSync(${JSON.stringify(join(dir, 'ready-'))} + process.pid, ''); setInterval(() => {}, 1000);`,
    ];
    const source = world.flow.source;
    // The producer reads only once both stand-ins listen for SIGTERM, so none is stopped before it can report.
    const flow: SyncFlow<unknown, unknown> = {
      ...world.flow,
      source: Object.assign(Object.create(source), {
        read: (cursor: string | undefined, context: never) =>
          (async function* () {
            await vi.waitFor(() => expect(readdirSync(dir)).toHaveLength(2), { timeout: 20_000, interval: 20 });
            yield* source.read(cursor, context);
          })(),
      }),
    } as SyncFlow<unknown, unknown>;
    const summary = await runOnWorkers(flow, {
      workers: 2, store: world.store, owner: `test-${process.pid}-${Date.now()}`, logger: silentLogger,
      signal: new AbortController().signal, onEvent: () => undefined,
      processes: { argv: worker },
    });
    expect(summary.counts).toMatchObject({ read: 2, created: 2 });
    expect(summary.workerRequests).toBe(20);
  }, 60_000);
});

