import type { PagedAsyncIterable } from '@ml-connector/core';
import type { NavRecord, NavRecordInput } from '../schemas/records.js';
import { type NavContext, type NavEtagOptions, type NavListOptions, entitySet } from './entity-set.js';

/** A general journal line, as created for the finance team to review. */
export type NavGeneralJournalLine = NavRecord<'generalJournalLines'>;
/** Field values of a new general journal line (template, batch and line number are required). */
export type NavGeneralJournalLineInput = NavRecordInput<'generalJournalLines'> & {
  journalTemplateName: string;
  journalBatchName: string;
  lineNumber: number;
};
/** Key of a general journal line. */
export interface NavJournalLineKey {
  /** Journal template, e.g. `GENERAL`. */
  journalTemplateName: string;
  /** Journal batch, e.g. `DEFAULT`. */
  journalBatchName: string;
  /** Line number (NAV steps by 10000). */
  lineNumber: number;
}

/**
 * General journal lines: list, create, change and delete unposted lines. There is deliberately no `post`:
 * ml-connector creates lines for the finance team to review and post in NAV.
 */
export interface NavGeneralJournalLinesResource {
  /** Lists the lines of one journal batch. */
  list(batch: { journalTemplateName: string; journalBatchName: string }, options?: NavListOptions<'generalJournalLines'>): PagedAsyncIterable<NavGeneralJournalLine>;
  /** Reads one line. */
  get(key: NavJournalLineKey, options?: { signal?: AbortSignal }): Promise<NavGeneralJournalLine>;
  /** Creates an unposted line in a batch. */
  create(values: NavGeneralJournalLineInput, options?: { signal?: AbortSignal }): Promise<NavGeneralJournalLine>;
  /** Changes an unposted line with `If-Match`. */
  update(key: NavJournalLineKey, patch: NavRecordInput<'generalJournalLines'>, options: NavEtagOptions): Promise<NavGeneralJournalLine>;
  /** Deletes an unposted line with `If-Match`. */
  delete(key: NavJournalLineKey, options: NavEtagOptions): Promise<void>;
}

/** Builds the general journal lines resource. */
export function generalJournalLinesResource(context: NavContext): NavGeneralJournalLinesResource {
  const set = entitySet(context, 'generalJournalLines');
  const keyOf = (key: NavJournalLineKey) => ({ ...key }) as Record<string, unknown>;
  return {
    list: (batch, options = {}) =>
      set.list(options, 'generalJournalLines.list', { journalTemplateName: batch.journalTemplateName, journalBatchName: batch.journalBatchName }),
    get: (key, options = {}) => set.get(keyOf(key), 'generalJournalLines.get', options.signal),
    create: (values, options = {}) => set.create(values, 'generalJournalLines.create', {}, options.signal),
    update: (key, patch, options) => set.update(keyOf(key), patch, options, 'generalJournalLines.update'),
    delete: (key, options) => set.remove(keyOf(key), options, 'generalJournalLines.delete'),
  };
}
