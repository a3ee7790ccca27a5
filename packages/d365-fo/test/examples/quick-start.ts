// The README's quick start, typechecked (tsconfig.test.json) and run by quick-start.test.ts.
import { edm } from '@ml-connector/core';
import { createFinanceOperationsClient, isPostedInvoiceError } from '@ml-connector/d365-fo';
import { FO_SANDBOX_CLIENT_ID, FO_SANDBOX_CLIENT_SECRET, createFinanceOperationsSandbox } from '@ml-connector/d365-fo/testing';

export async function quickStart(): Promise<{ vendors: number; coded: boolean; posted: boolean }> {
  const sandbox = createFinanceOperationsSandbox();
  const fo = createFinanceOperationsClient({
    environmentUrl: sandbox.environmentUrl(), // production: 'https://contoso.operations.dynamics.com'
    tenantId: sandbox.tenantId,
    credentials: { clientId: FO_SANDBOX_CLIENT_ID, clientSecret: FO_SANDBOX_CLIENT_SECRET },
    defaultLegalEntity: 'usmf', // the mapped F&O user's company; other companies get cross-company=true
    fetch: sandbox.fetch, // in-process; or `await sandbox.listen()` + allowLoopback
  });

  const usmf = fo.legalEntity('usmf'); // every read filtered by dataAreaId, every write carries it
  const active = await usmf.vendors
    .list({ filter: (f) => f.eq('OnHoldStatus', edm.enum('Microsoft.Dynamics.DataEntities.VendorBlocked', 'No') as never), top: 100 })
    .toArray({ limit: 100 });

  // Preflight the coding against the account structures, then create header + lines atomically.
  const coding = await usmf.validateCoding({ mainAccount: '8110', dimensions: { Department: 'ADM' } });
  const lookup = await usmf.vendorInvoices.findByInvoiceNumber('V00002', 'SUP-1001'); // pending or posted?
  if (coding.valid && lookup.state === 'absent') {
    const created = await usmf.vendorInvoices.createWithLines(
      { HeaderReference: 'JAG-1001', InvoiceNumber: 'SUP-1001', VendorAccount: 'V00002', InvoiceDate: '2026-01-15T00:00:00Z', Currency: 'USD', IsApproved: 'Yes' },
      [{ InvoiceLineNumber: 1, ReceiveNow: 2, UnitPrice: 10.5, Amount: 21, MainAccountDisplayValue: coding.displayValue }],
    );
    if (!created.ok) throw created.results.find((r) => !r.ok && r.status !== undefined);
  }

  await sandbox.postInvoice('usmf', 'JAG-1001'); // what an AP clerk does in F&O
  const posted = await usmf.vendorInvoices.findByInvoiceNumber('V00002', 'SUP-1001');
  const refused = posted.state === 'posted' && (await usmf.vendorInvoices.update(posted.invoice, { InvoiceDescription: 'x' }).catch(isPostedInvoiceError));
  return { vendors: active.length, coded: coding.valid, posted: refused === true };
}
