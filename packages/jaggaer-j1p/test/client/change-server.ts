import type { ChangePage, ChangePageRequest } from '@ml-connector/jaggaer-j1p';

/** A record of the fake change listing. */
export interface Row {
  id: string;
  ms: number;
}

/** How the fake listing behaves. */
export interface ListingBehaviour {
  /** `id`: by numeric id (J1P's sample); `time`: by (ms, id); `shuffled`: a fixed permutation by `salt`. */
  order: 'id' | 'time' | 'shuffled';
  /** The `updatedSince` filter compares at this precision (floor on both sides), e.g. 1000 for "second". */
  filterPrecisionMs: number;
  /** Largest page the server returns, whatever was asked. */
  maxPageSize: number;
  /** Permutation salt for `shuffled`. */
  salt?: number;
}

const hash = (text: string, salt: number) => {
  let h = 2166136261 ^ salt;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
};

/**
 * An in-memory startAt/totRecords change listing over `rows` (read live, so edits between requests show), counting
 * the requests it answers.
 */
export function changeServer(rows: Map<string, number>, behaviour: ListingBehaviour) {
  let requests = 0;
  const floor = (ms: number) => Math.floor(ms / behaviour.filterPrecisionMs) * behaviour.filterPrecisionMs;
  const sorted = (list: Row[]) => {
    if (behaviour.order === 'time') return list.sort((a, b) => a.ms - b.ms || Number(a.id) - Number(b.id));
    if (behaviour.order === 'shuffled') return list.sort((a, b) => hash(a.id, behaviour.salt ?? 0) - hash(b.id, behaviour.salt ?? 0) || Number(a.id) - Number(b.id));
    return list.sort((a, b) => Number(a.id) - Number(b.id));
  };
  return {
    get requests() {
      return requests;
    },
    async fetchPage({ updatedSince, startAt, pageSize }: ChangePageRequest): Promise<ChangePage<Row>> {
      requests++;
      const matches = sorted(
        [...rows].map(([id, ms]) => ({ id, ms })).filter((r) => updatedSince === undefined || floor(r.ms) >= floor(updatedSince)),
      );
      const size = Math.min(pageSize, behaviour.maxPageSize);
      return { items: matches.slice(startAt - 1, startAt - 1 + size), totRecords: matches.length };
    },
  };
}
