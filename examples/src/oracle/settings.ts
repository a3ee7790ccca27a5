/** Settings of the Oracle examples read from the environment (see `examples/.env.example`). */
import { InvalidInputError } from '@ml-connector/core';
import { type ConflictPolicy, parseConflictPolicy } from './conflicts.ts';

/** A value set carried to (and from) a JAGGAER coding segment. */
export interface ValueSetSetting {
  readonly valueSetCode: string;
  readonly segment: string;
}

/** What `ORACLE_*` settings the flows read. */
export interface OracleFlowSettings {
  /** `ORACLE_VALUE_SETS=XX_COST_CENTER=department,XX_ACCOUNT=account` (the default). Cost centers come first. */
  readonly valueSets: readonly ValueSetSetting[];
  /** `ORACLE_JAGGAER_CONFLICT_POLICY` (default `review`). */
  readonly conflictPolicy: ConflictPolicy;
  /** `ORACLE_POLL_INTERVAL_MS` for `--watch` (default 60 s, at least 1 s). */
  readonly intervalMs: number;
  /** `ORACLE_LOOK_BACK_MS` (default 5 minutes). */
  readonly lookBackMs?: number;
  /** `ORACLE_SINCE`: first run only, records changed at or after this instant. */
  readonly since?: string;
  /** `ORACLE_RECEIVING_ORGANIZATION` (default `US01`): the receiving organisation of receipts. */
  readonly receivingOrganization: string;
  /** `JAGGAER_PO_ACK_FIELD` (default `acknowledgementStatus`, UNCONFIRMED): PO field carrying the supplier's answer. */
  readonly acknowledgementField: string;
}

/** Default `--watch` interval. */
export const DEFAULT_ORACLE_POLL_INTERVAL_MS = 60_000;

function wholeNumber(name: string, value: string | undefined, minimum: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < minimum) throw new InvalidInputError(`${name} must be a whole number of at least ${minimum}, got "${value}"`, { field: name });
  return parsed;
}

/** Reads the settings; a malformed value is an `InvalidInputError` naming the variable. */
export function loadOracleFlowSettings(env: Readonly<Record<string, string | undefined>> = process.env): OracleFlowSettings {
  const valueSets: ValueSetSetting[] = [];
  const spec = env.ORACLE_VALUE_SETS?.trim() || 'XX_COST_CENTER=department,XX_ACCOUNT=account';
  for (const pair of spec.split(',')) {
    const [valueSetCode, segment, ...rest] = pair.split('=').map((part) => part.trim());
    if (!valueSetCode || !segment || rest.length > 0) {
      throw new InvalidInputError(`ORACLE_VALUE_SETS must look like XX_COST_CENTER=department,XX_ACCOUNT=account; "${pair}" is not CODE=segment`, { field: 'ORACLE_VALUE_SETS' });
    }
    valueSets.push({ valueSetCode, segment });
  }
  const since = env.ORACLE_SINCE?.trim();
  if (since && !Number.isFinite(Date.parse(since))) throw new InvalidInputError(`ORACLE_SINCE must be an ISO 8601 instant, got "${since}"`, { field: 'ORACLE_SINCE' });
  const lookBackMs = wholeNumber('ORACLE_LOOK_BACK_MS', env.ORACLE_LOOK_BACK_MS, 0);
  return {
    valueSets,
    conflictPolicy: parseConflictPolicy(env.ORACLE_JAGGAER_CONFLICT_POLICY),
    intervalMs: wholeNumber('ORACLE_POLL_INTERVAL_MS', env.ORACLE_POLL_INTERVAL_MS, 1000) ?? DEFAULT_ORACLE_POLL_INTERVAL_MS,
    ...(lookBackMs !== undefined ? { lookBackMs } : {}),
    ...(since ? { since } : {}),
    receivingOrganization: env.ORACLE_RECEIVING_ORGANIZATION?.trim() || 'US01',
    acknowledgementField: env.JAGGAER_PO_ACK_FIELD?.trim() || 'acknowledgementStatus',
  };
}
