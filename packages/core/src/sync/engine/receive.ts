import { InvalidInputError } from '../../errors/index.js';
import type { SourceIdentity } from '../flow.js';
import { contentHash } from './content-hash.js';
import { failRecord, skipDuplicate } from './outcomes.js';
import type { RecordInput, RecordWork } from './record-work.js';
import type { RunContext } from './run-context.js';

/** The identity of a source record, checked: a record without a usable id cannot be tracked at all. */
export function identifyRecord(run: RunContext, record: unknown): SourceIdentity {
  const identity = run.flow.source.identify(record);
  if (!identity || typeof identity.id !== 'string' || identity.id === '') {
    throw new InvalidInputError(`source ${run.flow.source.system}/${run.flow.source.stream} identify() returned no id`, {
      field: 'source.identify',
    });
  }
  return identity;
}

function mergeOverride<P>(payload: P, override: Readonly<Record<string, unknown>>): P {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new InvalidInputError('a replay override needs the mapper to return an object to merge into', { field: 'override' });
  }
  return { ...(payload as object), ...override } as P;
}

/**
 * First half of a record's way: audit `received` (and `replayed`), skip it when the ledger already has this
 * version confirmed, else map it (a mapping failure routes it to review). Leaves `needsWrite` set when it must
 * go on to the preflight and the write.
 */
export async function receiveRecord(run: RunContext, input: RecordInput, identity: SourceIdentity): Promise<RecordWork> {
  const { flow, config } = run;
  const key = { flow: flow.name, sourceSystem: flow.source.system, sourceId: identity.id };
  const version = identity.version ?? contentHash(input.record);
  const businessIds = identity.businessIds ?? [];
  const work: RecordWork = {
    input, key, identity, version, businessIds,
    ledger: undefined, payload: undefined, needsWrite: false, settled: false, leaseReleased: false, pendingAudit: [],
  };
  run.counts.read++;
  work.pendingAudit.push(run.audit(key, 'received', businessIds, { detail: `source version ${version} (${input.origin})` }));
  if (input.origin === 'replay') {
    work.pendingAudit.push(
      run.audit(key, 'replayed', businessIds, {
        detail: input.override ? `replayed with an override of ${Object.keys(input.override).join(', ')}` : 'replayed',
        ...(input.override ? { payload: config.redact(input.override) } : {}),
      }),
    );
  }
  work.ledger = await config.store.getLedgerEntry(key);
  if (work.ledger?.state === 'confirmed' && work.ledger.sourceVersion === version) {
    await skipDuplicate(run, work, work.ledger);
    return work;
  }
  if (identity.echoOf !== undefined && input.origin === 'read') {
    // The source recognised its own (or the opposite flow's) write read back: writing it back would loop.
    await skipDuplicate(run, work, work.ledger?.targetId ? { targetId: work.ledger.targetId } : {}, `echo of ${identity.echoOf}; not written back`);
    return work;
  }
  try {
    const mapped = await flow.map(input.record, { signal: run.inFlightSignal, logger: config.logger, identity });
    work.payload = input.override ? mergeOverride(mapped, input.override) : mapped;
  } catch (error) {
    await failRecord(run, work, error);
    return work;
  }
  work.pendingAudit.push(
    run.audit(key, 'mapped', businessIds, { ...(flow.mappingVersion ? { detail: `mapping version ${flow.mappingVersion}` } : {}) }),
  );
  work.needsWrite = true;
  return work;
}
