import { InvalidInputError, isConnectorError } from '@ml-connector/core';
import { exampleMain, type ExampleDefinition } from '../shared/index.ts';
import { createBcInvoicesFlow } from './flow.ts';
import type { InvoiceDraft } from './mapper.ts';
import { loadInvoiceMappings } from './mappings.ts';
import type { Invoice } from '@ml-connector/jaggaer-j1p';

/**
 * Target options from the environment: `BC_GLOBAL_DIMENSIONS` (the company's global dimensions 1 and 2, e.g.
 * `DEPARTMENT,PROJECT`; an empty item for one not used) and `BC_INVOICE_HEADER_DIMENSIONS` (`follow-lines` or
 * `vendor-defaults`).
 */
export function headerDimensionOptions(env: NodeJS.ProcessEnv = process.env): Pick<Parameters<typeof createBcInvoicesFlow>[0], 'globalDimensionCodes' | 'headerDimensions'> {
  const out: Pick<Parameters<typeof createBcInvoicesFlow>[0], 'globalDimensionCodes' | 'headerDimensions'> = {};
  const globals = env['BC_GLOBAL_DIMENSIONS'];
  if (globals) {
    const codes = globals.split(',').map((code) => code.trim().toUpperCase());
    if (codes.length > 2) throw new InvalidInputError(`BC_GLOBAL_DIMENSIONS names at most two dimensions (global 1 and 2), got "${globals}"`, { field: 'BC_GLOBAL_DIMENSIONS' });
    (out as { globalDimensionCodes?: readonly [string | undefined, string | undefined] }).globalDimensionCodes = [codes[0] || undefined, codes[1] || undefined];
  }
  const header = env['BC_INVOICE_HEADER_DIMENSIONS'];
  if (header) {
    if (header !== 'follow-lines' && header !== 'vendor-defaults') {
      throw new InvalidInputError(`BC_INVOICE_HEADER_DIMENSIONS must be follow-lines or vendor-defaults, got "${header}"`, { field: 'BC_INVOICE_HEADER_DIMENSIONS' });
    }
    (out as { headerDimensions?: 'follow-lines' | 'vendor-defaults' }).headerDimensions = header;
  }
  return out;
}

/** `pnpm example:bc-invoices`: approved JAGGAER invoices → Business Central draft purchase invoices. */
export const bcInvoicesExample: ExampleDefinition<Invoice, InvoiceDraft> = {
  command: 'pnpm example:bc-invoices',
  description:
    'Approved JAGGAER supplier invoices become Business Central draft purchase invoices (one line per coding split, ' +
    'vendor, G/L accounts, dimensions, currency, PO reference). Drafts are never posted unless --post is given.',
  engine: { concurrency: 5 },
  flow: async ({ connections, store, env }) =>
    createBcInvoicesFlow({
      jaggaer: connections.jaggaer,
      company: connections.company,
      store,
      mappings: await loadInvoiceMappings(process.env['ML_CONNECTOR_MAPPINGS_DIR'] || undefined),
      ...(process.env['JAGGAER_INVOICES_SINCE'] ? { since: process.env['JAGGAER_INVOICES_SINCE'] } : {}),
      ...(env.businessCentral ? {} : { listPageSize: 500 }),
      ...headerDimensionOptions(),
    }),
  async afterRun({ args, connections }, writes) {
    if (!args.post || writes.targetIds.length === 0) return args.post ? ['--post: nothing new to post.'] : [];
    let posted = 0;
    const failures: string[] = [];
    for (const id of writes.targetIds) {
      try {
        await connections.company.purchaseInvoices.post(id);
        posted++;
      } catch (error) {
        failures.push(`  ${id}: ${isConnectorError(error) ? error.message : String(error)}`);
      }
    }
    return [`--post: posted ${posted} of ${writes.targetIds.length} drafts written in this run.`, ...failures];
  },
};

if (import.meta.main) await exampleMain(bcInvoicesExample);
