// The README's quick start, typechecked (tsconfig.test.json) and run by quick-start.test.ts.
import { createOracleFusionClient, pollModified } from '@ml-connector/oracle-fusion';
import { ORACLE_SANDBOX_CLIENT_ID, ORACLE_SANDBOX_CLIENT_SECRET, createOracleFusionSandbox } from '@ml-connector/oracle-fusion/testing';

export async function quickStart(): Promise<{ suppliers: number; changed: number; invoice: string; validated: unknown }> {
  const sandbox = createOracleFusionSandbox();
  const erp = createOracleFusionClient({
    host: sandbox.host, // production: 'acme.fa.us2.oraclecloud.com'
    identityDomainUrl: sandbox.identityDomainUrl, // 'https://idcs-….identity.oraclecloud.com'
    scope: sandbox.scope, // the Fusion scope registered for your confidential application
    credentials: { clientId: ORACLE_SANDBOX_CLIENT_ID, clientSecret: ORACLE_SANDBOX_CLIENT_SECRET },
    fetch: sandbox.fetch, // in-process; or `await sandbox.listen()` + allowLoopback
  });

  // q filters are built and escaped for you; paging follows offset/hasMore.
  const active = await erp.suppliers.list({ q: (q) => q.eq('Status', 'ACTIVE'), expand: ['sites'] }).toArray({ limit: 100 });

  // Incremental read by LastUpdateDate: save `cursor` after each batch and pass it back next time.
  let changed = 0;
  let cursor: string | undefined;
  for await (const batch of pollModified(erp.invoices, 'InvoiceId', { since: '2025-06-01T00:00:00Z', pageSize: 100 })) {
    changed += batch.items.length;
    cursor = batch.cursor;
  }
  void cursor;

  // Create an invoice with its lines, then validate it; the natural key check avoids duplicates.
  const supplier = active[0];
  if (!supplier) throw new Error('no supplier');
  const existing = await erp.invoices.findByNumber(supplier.SupplierNumber, "O'Brien-1001");
  const invoice =
    existing ??
    (await erp.invoices.create({
      InvoiceNumber: "O'Brien-1001",
      InvoiceCurrency: 'USD',
      InvoiceAmount: 21,
      InvoiceDate: '2026-01-15',
      BusinessUnit: 'US01',
      Supplier: supplier.Supplier,
      SupplierSite: supplier.sites?.[0]?.SupplierSite ?? 'US01-MAIN',
      invoiceLines: [{ LineNumber: 1, LineType: 'Item', LineAmount: 21, DistributionCombination: '101.ADM.8110.000' }],
    }));
  const validated = await erp.invoices.validate(invoice.InvoiceNumber, 'US01');
  return { suppliers: active.length, changed, invoice: invoice.InvoiceNumber, validated };
}
