import { InvalidInputError } from '../../errors/index.js';
import type { ReadContext, ReferenceRef, ReferenceStatus, SyncTarget } from '../flow.js';

/** A reference that failed the preflight, with the review reason it gives. */
export interface FailedReference {
  readonly ref: ReferenceRef;
  /** `unknown-<kind>` when it does not exist, `blocked-<kind>` when it exists but cannot be used. */
  readonly reason: string;
  readonly detail: string;
}

/** Preflight verdict of one document. */
export type PreflightVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly failed: readonly FailedReference[] }
  | { readonly ok: false; readonly error: unknown };

/** Usable references already confirmed in this run, by kind then key: not asked again. */
export type ReferenceCache = Map<string, Map<string, ReferenceStatus>>;

function describe(ref: ReferenceRef): string {
  return ref.field ? `${ref.field} = ${ref.kind} '${ref.key}'` : `${ref.kind} '${ref.key}'`;
}

function verdictOf(ref: ReferenceRef, status: ReferenceStatus | undefined): FailedReference | undefined {
  if (!status?.exists) {
    return { ref, reason: `unknown-${ref.kind}`, detail: `${describe(ref)} does not exist in the target` };
  }
  if (!status.usable) {
    const why = status.reason ? `: ${status.reason}` : '';
    return { ref, reason: `blocked-${ref.kind}`, detail: `${describe(ref)} exists but cannot be used${why}` };
  }
  return undefined;
}

/**
 * Checks the references of a batch of documents before any of them is written: collects every reference,
 * dedupes by kind, asks each kind's resolver once with all keys not already known usable, and judges every
 * document. A resolver that throws fails the documents that use its kind with that error.
 */
export async function preflightBatch<P>(
  target: SyncTarget<P>,
  payloads: readonly P[],
  cache: ReferenceCache,
  context: ReadContext,
): Promise<PreflightVerdict[]> {
  if (!target.references) return payloads.map(() => ({ ok: true }));
  const refsOf = payloads.map((payload) => target.references?.(payload) ?? []);
  const wanted = new Map<string, Set<string>>();
  for (const ref of refsOf.flat()) {
    if (cache.get(ref.kind)?.has(ref.key)) continue;
    let keys = wanted.get(ref.kind);
    if (!keys) wanted.set(ref.kind, (keys = new Set()));
    keys.add(ref.key);
  }
  const answers = new Map<string, ReadonlyMap<string, ReferenceStatus>>();
  const failures = new Map<string, unknown>();
  await Promise.all(
    [...wanted].map(async ([kind, keys]) => {
      const resolve = target.resolvers?.[kind];
      if (!resolve) {
        failures.set(
          kind,
          new InvalidInputError(`target ${target.system} references kind '${kind}' but has no resolvers.${kind}`, { field: `resolvers.${kind}` }),
        );
        return;
      }
      try {
        const statuses = await resolve([...keys], context);
        answers.set(kind, statuses);
        let usable = cache.get(kind);
        if (!usable) cache.set(kind, (usable = new Map()));
        for (const [key, status] of statuses) if (status.exists && status.usable) usable.set(key, status);
      } catch (error) {
        failures.set(kind, error);
      }
    }),
  );
  return refsOf.map((refs) => {
    const error = refs.map((ref) => failures.get(ref.kind)).find((e) => e !== undefined);
    if (error !== undefined) return { ok: false, error };
    const failed = refs
      .map((ref) => verdictOf(ref, cache.get(ref.kind)?.get(ref.key) ?? answers.get(ref.kind)?.get(ref.key)))
      .filter((f): f is FailedReference => f !== undefined);
    return failed.length ? { ok: false, failed } : { ok: true };
  });
}
