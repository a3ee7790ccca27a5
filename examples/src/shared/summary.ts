import Table from 'cli-table3';
import type { RunSummary } from '@ml-connector/core/sync';

/** Figures shown under a run's counts. */
export interface SummaryFigures {
  /** HTTP requests sent to both systems during the run. */
  readonly requestsUsed: number;
}

/** The summary as data (what `--json` prints). */
export interface SummaryRecord {
  readonly runId: string;
  readonly flow: string;
  readonly status: string;
  readonly dryRun: boolean;
  readonly read: number;
  readonly created: number;
  readonly updated: number;
  readonly skipped: number;
  readonly review: number;
  readonly failed: number;
  readonly requestsUsed: number;
  readonly durationMs: number;
  /** Records per second. */
  readonly throughput: number;
  readonly error?: string;
}

/** Flattens a run summary and its figures. */
export function summaryRecord(summary: RunSummary, figures: SummaryFigures): SummaryRecord {
  const seconds = Math.max(summary.durationMs, 1) / 1000;
  return {
    runId: summary.runId,
    flow: summary.flow,
    status: summary.status,
    dryRun: summary.dryRun,
    ...summary.counts,
    requestsUsed: figures.requestsUsed,
    durationMs: summary.durationMs,
    throughput: Math.round((summary.counts.read / seconds) * 10) / 10,
    ...(summary.error ? { error: summary.error } : {}),
  };
}

/** The end-of-run table (`cli-table3`): read, created, updated, skipped (duplicate), review, failed, requests, throughput. */
export function renderSummaryTable(record: SummaryRecord): string {
  const table = new Table({ head: [`${record.flow}${record.dryRun ? ' (dry run)' : ''}`, 'records'], style: { head: [], border: [] } });
  table.push(
    ['read', record.read],
    ['created', record.created],
    ['updated', record.updated],
    ['skipped (duplicate)', record.skipped],
    ['review', record.review],
    ['failed', record.failed],
    ['requests used', record.requestsUsed],
    ['throughput', `${record.throughput} records/s (${(record.durationMs / 1000).toFixed(1)} s)`],
  );
  return `${table.toString()}\nrun ${record.runId}: ${record.status}${record.error ? ` — ${record.error}` : ''}`;
}

/** The commands to inspect what a run did, printed after the table. */
export function followUpCommands(command: string, exampleBusinessId: string | undefined): string {
  return [
    'Next:',
    `  ${command} --audit ${exampleBusinessId ?? '<invoice, PO or vendor number>'}   audit trail of a record`,
    `  ${command} --review                 list the review queue`,
    `  ${command} --replay [reason|id]     replay review items after a fix`,
  ].join('\n');
}
