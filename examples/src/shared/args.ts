import { parseArgs } from 'node:util';
import { InvalidInputError } from '@ml-connector/core';

/** What a `--replay` asks for: every open review item, the items of one reason, or one record. */
export interface ReplayRequest {
  /** A review reason (`missing-mapping`) or a source record id; undefined: every open item. */
  readonly target?: string;
  /** Fields merged over the mapped document before the write (`--override '{"postingDate":"2026-01-31"}'`). */
  readonly override?: Readonly<Record<string, unknown>>;
}

/** Parsed command line of an example. */
export interface ExampleArgs {
  /** Map, preflight and diff against the target; write nothing. */
  readonly dryRun: boolean;
  /** Post what was written (only flows that post: Business Central purchase invoices). Never implied. */
  readonly post: boolean;
  /** Replay review items instead of reading new records. */
  readonly replay?: ReplayRequest;
  /** Print the audit trail of every record carrying this business id (invoice, PO or vendor number). */
  readonly audit?: string;
  /** List the open review queue. */
  readonly review: boolean;
  /** Stop after this many records. */
  readonly limit?: number;
  /** Reseed the emulators (only when the example starts them itself). */
  readonly reset: boolean;
  /** Print one JSON line with the summary instead of the table (for scripts and tests). */
  readonly json: boolean;
  /** Log retries and warnings to stderr. */
  readonly verbose: boolean;
  /** Report spans and metrics through OpenTelemetry (also on when an `OTEL_*` variable is set). */
  readonly telemetry: boolean;
  /**
   * Scale out: run the flow on this many BullMQ workers (Redis at REDIS_URL) sharing a PostgreSQL state
   * (DATABASE_URL), with one producer reading the source. Absent: one process, SQLite state.
   */
  readonly workers?: number;
  /** Store a secret read from stdin in the state file's vault (a name of `VAULT_SECRET_NAMES`, e.g. `bc/client-secret`). */
  readonly vaultSet?: string;
  readonly help: boolean;
}

/** Usage text shared by every example; `command` is how the user runs it (`pnpm example:bc-invoices`). */
export function usage(command: string, description: string): string {
  return `${description}

Usage: ${command} [options]

  --dry-run              map, preflight and print a field-level diff; write nothing anywhere
  --post                 post the documents this run wrote (never done without it)
  --replay [reason|id]   replay review items: all open ones, one reason, or one record id
  --override <json>      with --replay: fields merged over the mapped document (recorded in the audit)
  --audit <business id>  print the audit trail of an invoice, PO or vendor number
  --review               list the open review queue
  --limit <n>            stop after n records
  --reset                reseed the emulators this example starts itself
  --workers <n>          scale out: n BullMQ workers on REDIS_URL sharing a PostgreSQL state at DATABASE_URL
  --json                 print the summary as one JSON line
  --verbose              log retries and warnings to stderr
  --telemetry            report spans and metrics to the OpenTelemetry SDK registered with node --import (also on
                         when an OTEL_* variable is set; see examples/README.md)
  --vault-set <name>     store a secret read from stdin encrypted in the state file (bc/client-secret,
                         jaggaer/client-secret, fo/client-secret, nav/secret, oracle/client-secret, jira/secret);
                         needs ML_CONNECTOR_VAULT_KEY
  -h, --help             this text

Configuration comes from the environment or a .env file (see examples/.env.example). Without any, the example
uses the running \`pnpm emulators\`, or starts them itself on the same persisted state.`;
}

const FLAG_PATTERN = /^-/;

/**
 * Parses an example's command line with `node:util` `parseArgs`. `--replay` takes an optional value (a reason
 * or a record id), which `parseArgs` cannot express, so a bare `--replay` is normalised first.
 */
export function parseExampleArgs(argv: readonly string[]): ExampleArgs {
  const normalised: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    normalised.push(arg);
    if (arg === '--replay') {
      const next = argv[index + 1];
      if (next === undefined || FLAG_PATTERN.test(next)) normalised.push('');
    }
  }
  let values;
  try {
    ({ values } = parseArgs({
      args: normalised,
      allowPositionals: false,
      strict: true,
      options: {
        'dry-run': { type: 'boolean', default: false },
        post: { type: 'boolean', default: false },
        replay: { type: 'string' },
        override: { type: 'string' },
        audit: { type: 'string' },
        review: { type: 'boolean', default: false },
        limit: { type: 'string' },
        reset: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        workers: { type: 'string' },
        verbose: { type: 'boolean', default: false },
        telemetry: { type: 'boolean', default: false },
        'vault-set': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new InvalidInputError(`${(error as Error).message}. Run with --help for the options.`, { field: 'argv' });
  }
  let limit: number | undefined;
  if (values.limit !== undefined) {
    limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1) {
      throw new InvalidInputError(`--limit must be a positive whole number, got "${values.limit}".`, { field: 'limit' });
    }
  }
  let workers: number | undefined;
  if (values.workers !== undefined) {
    workers = Number(values.workers);
    if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
      throw new InvalidInputError(`--workers must be a whole number from 1 to 64, got "${values.workers}".`, { field: 'workers' });
    }
    if (values['dry-run']) throw new InvalidInputError('--workers runs writes on a queue; a --dry-run runs in one process: drop one of them.', { field: 'workers' });
    if (values.limit !== undefined) throw new InvalidInputError('--limit applies to one process; drop it with --workers.', { field: 'workers' });
  }
  let override: Record<string, unknown> | undefined;
  if (values.override !== undefined) {
    if (values.replay === undefined) throw new InvalidInputError('--override only applies with --replay.', { field: 'override' });
    try {
      override = JSON.parse(values.override) as Record<string, unknown>;
    } catch {
      override = undefined;
    }
    if (override === null || typeof override !== 'object' || Array.isArray(override)) {
      throw new InvalidInputError(`--override must be a JSON object such as '{"postingDate":"2026-01-31"}'.`, { field: 'override' });
    }
  }
  if (values['dry-run'] && values.post) {
    throw new InvalidInputError('--dry-run and --post exclude each other: a dry run writes nothing, so there is nothing to post.', { field: 'post' });
  }
  const modes = [values.replay !== undefined, values.audit !== undefined, values.review].filter(Boolean).length;
  if (modes > 1) throw new InvalidInputError('Give only one of --replay, --audit and --review.', { field: 'argv' });
  if (values.audit === '') throw new InvalidInputError('--audit needs a business id (an invoice, PO or vendor number).', { field: 'audit' });
  const replay: ReplayRequest | undefined =
    values.replay === undefined ? undefined : { ...(values.replay ? { target: values.replay } : {}), ...(override ? { override } : {}) };
  return {
    dryRun: values['dry-run'],
    post: values.post,
    ...(replay ? { replay } : {}),
    ...(values.audit !== undefined ? { audit: values.audit } : {}),
    review: values.review,
    ...(limit !== undefined ? { limit } : {}),
    ...(workers !== undefined ? { workers } : {}),
    reset: values.reset,
    json: values.json,
    verbose: values.verbose,
    telemetry: values.telemetry,
    ...(values['vault-set'] !== undefined ? { vaultSet: values['vault-set'] } : {}),
    help: values.help,
  };
}
