import { InvalidInputError } from '@ml-connector/core';
import type { MappingSet } from '@ml-connector/core/sync';
import type { JaggaerClient } from '@ml-connector/jaggaer-j1p';
import type { NavClient } from '@ml-connector/nav';
import type { AnySyncFlow } from '../shared/index.ts';
import { DEFAULT_SHORTCUT_DIMENSIONS, type ShortcutDimensions } from './documents.ts';
import { DEFAULT_JOURNAL_BATCH, createPurchaseInvoicesFlow, type JournalBatch } from './invoices.ts';
import { createPurchaseOrdersFlow } from './orders.ts';

/** Options of {@link createNavPurchasingFlows}. */
export interface NavPurchasingOptions {
  readonly jaggaer: JaggaerClient;
  readonly nav: NavClient;
  readonly mappings: MappingSet;
  readonly shortcuts?: ShortcutDimensions;
  readonly journalBatch?: JournalBatch;
  /** Invoices without a PO reference: `review` (default) or `allow`. */
  readonly nonPoInvoices?: 'review' | 'allow';
  /** JAGGAER records per list request (the invoice source). */
  readonly listPageSize?: number;
  /** First run only: approved invoices changed at or after this instant. */
  readonly since?: string;
}

/**
 * The two flows of nav-purchasing, run in this order: JAGGAER purchase orders → NAV purchase orders, then approved
 * JAGGAER invoices → NAV purchase invoices matched to those orders, with general journal lines for review.
 */
export function createNavPurchasingFlows(options: NavPurchasingOptions): AnySyncFlow[] {
  const { jaggaer, nav, mappings, shortcuts, journalBatch, nonPoInvoices, listPageSize, since } = options;
  return [
    createPurchaseOrdersFlow({ jaggaer, nav, mappings, ...(shortcuts ? { shortcuts } : {}) }),
    createPurchaseInvoicesFlow({
      jaggaer, nav, mappings,
      ...(shortcuts ? { shortcuts } : {}),
      ...(journalBatch ? { journalBatch } : {}),
      ...(nonPoInvoices ? { nonPoInvoices } : {}),
      ...(listPageSize ? { listPageSize } : {}),
      ...(since ? { since } : {}),
    }),
  ];
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads the flow's settings from the environment: NAV_SHORTCUT_DIMENSIONS, NAV_JOURNAL_TEMPLATE/BATCH, NAV_NON_PO_INVOICES. */
export function navPurchasingSettings(env: Env = process.env): Pick<NavPurchasingOptions, 'shortcuts' | 'journalBatch' | 'nonPoInvoices'> {
  const dims = env['NAV_SHORTCUT_DIMENSIONS']?.trim();
  let shortcuts = DEFAULT_SHORTCUT_DIMENSIONS;
  if (dims) {
    const [first, second, ...more] = dims.split(',').map((part) => part.trim());
    if (!first || !second || more.length > 6) {
      throw new InvalidInputError(
        `NAV_SHORTCUT_DIMENSIONS must name the shortcut dimensions 1 and 2 and optionally 3–8 as in General Ledger Setup, e.g. DEPARTMENT,PROJECT or DEPARTMENT,PROJECT,AREA (an empty entry for an unused shortcut); got "${dims}"`,
        { field: 'NAV_SHORTCUT_DIMENSIONS' },
      );
    }
    shortcuts = more.length > 0 ? { first, second, more } : { first, second };
  }
  const nonPo = env['NAV_NON_PO_INVOICES']?.trim();
  if (nonPo && nonPo !== 'allow' && nonPo !== 'review') {
    throw new InvalidInputError(`NAV_NON_PO_INVOICES must be "review" or "allow", got "${nonPo}"`, { field: 'NAV_NON_PO_INVOICES' });
  }
  return {
    shortcuts,
    journalBatch: {
      journalTemplateName: env['NAV_JOURNAL_TEMPLATE']?.trim() || DEFAULT_JOURNAL_BATCH.journalTemplateName,
      journalBatchName: env['NAV_JOURNAL_BATCH']?.trim() || DEFAULT_JOURNAL_BATCH.journalBatchName,
    },
    ...(nonPo ? { nonPoInvoices: nonPo as 'review' | 'allow' } : {}),
  };
}
