import { createJaggaerClient } from '@ml-connector/jaggaer-j1p';
import { createJaggaerSandbox, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_FIRST_INVOICE_ID } from '@ml-connector/jaggaer-j1p/testing';

// An in-memory JAGGAER tenant. In production there is no sandbox: only your tenant host and credentials.
const sandbox = createJaggaerSandbox({ seed: 7 });

const jaggaer = createJaggaerClient({
  host: sandbox.baseUrl, // in production: your tenant, e.g. 'acme.api.jaggaer.com'
  clientId: SANDBOX_CLIENT_ID,
  clientSecret: SANDBOX_CLIENT_SECRET, // or () => vault.get('jaggaer')
  fetch: sandbox.fetch, // in-process, no sockets; omit in production
});

// One invoice with header, lines and coding.
export const invoice = await jaggaer.invoices.get(SANDBOX_FIRST_INVOICE_ID);

// Approved invoices changed since a date, in the server's order. List entries have no lines; withLines fetches them.
export const recent = await jaggaer.invoices.list({ status: 'Approved', updatedSince: '2025-10-01' }).toArray({ limit: 10 });
export const recentWithLines = await jaggaer.invoices.withLines(recent, { concurrency: 4 });

// A change feed: resume from the saved cursor, process, then save the new cursor.
const cursorStore = new Map<string, string>(); // stands in for a file or a database row
const saved = cursorStore.get('jaggaer-approved-invoices');
const { invoices, cursor } = await jaggaer.invoices.poll({ status: 'Approved', ...(saved ? { cursor: saved } : {}) });

// One ERP line per coding split: a line coded 60/40 to two accounts becomes two lines.
export const erpLines: { invoiceId: string; account: string | undefined; amount: number }[] = [];
for (const polled of invoices) {
  for (const line of polled.lines) {
    const lineAmount = (line.quantity ?? 0) * (line.unitPrice ?? 0);
    const splits = line.codingSplits.length > 0 ? line.codingSplits : polled.codingSplits;
    for (const split of splits) {
      const share = split.amount ?? (lineAmount * (split.percentage ?? 100)) / 100;
      erpLines.push({ invoiceId: polled.invoiceId, account: split.values.account, amount: share });
    }
  }
}
cursorStore.set('jaggaer-approved-invoices', cursor); // only after processing
