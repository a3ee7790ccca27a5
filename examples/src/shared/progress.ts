import cliProgress from 'cli-progress';
import type { SyncEvent } from '@ml-connector/core/sync';

/** A progress bar fed by a run's events. */
export interface RunProgress {
  /** Pass as the run's `onEvent` (or call from it). */
  onEvent(event: SyncEvent): void;
  stop(): void;
}

/**
 * A `cli-progress` bar over the records of a run. The total grows as pages are read (a stream's size is not known
 * up front). Draws only on a terminal; silent otherwise (CI logs, `--json`).
 */
export function createRunProgress(options: { label: string; enabled?: boolean; stream?: NodeJS.WriteStream }): RunProgress {
  const stream = options.stream ?? process.stderr;
  const enabled = options.enabled ?? stream.isTTY === true;
  if (!enabled) return { onEvent: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${options.label} [{bar}] {value}/{total} records | created {created} updated {updated} skipped {skipped} review {review} failed {failed}`,
      stream,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 200,
    },
    cliProgress.Presets.shades_classic,
  );
  const counts = { created: 0, updated: 0, skipped: 0, review: 0, failed: 0 };
  let total = 0;
  let value = 0;
  bar.start(0, 0, counts);
  return {
    onEvent(event) {
      if (event.type === 'page-read') {
        total += event.records;
        bar.setTotal(Math.max(total, value));
      } else if (event.type === 'record') {
        value++;
        if (event.outcome !== 'dry-run') counts[event.outcome]++;
        if (value > total) bar.setTotal(value);
        bar.update(value, counts);
      }
    },
    stop: () => bar.stop(),
  };
}
