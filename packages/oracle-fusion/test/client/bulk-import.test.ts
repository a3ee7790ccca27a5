import { strToU8, zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isInvalidInputError } from '@ml-connector/core';
import { type ImportProgress, isImportJobFailedError } from '@ml-connector/oracle-fusion';
import { createHarness, settle } from '../helpers.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const JOB = 'oracle/apps/ess/financials/payables/invoices/transactions,APXIIMPT';
const invoiceZip = (rows: string[], lines: string[] = []) => zipSync({ 'ApInvoicesInterface.csv': strToU8(rows.join('\n')), 'ApInvoiceLinesInterface.csv': strToU8(lines.join('\n')) });

/** Streams bytes in small chunks, as a file read would. */
function stream(bytes: Uint8Array, chunk = 7): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + chunk));
      offset += chunk;
    },
  });
}

describe('importBulkData (ERP integrations)', () => {
  it('streams the zip, polls the ESS job to completion and reports per-row rejections', async () => {
    const { client, sandbox, apiRequests } = createHarness();
    const zip = invoiceZip(
      ['1,US01,EXTERNAL,BULK-1,100.00,2026-01-15,,V00001,US01-MAIN,USD', '2,US01,EXTERNAL,BULK-2,50.00,2026-01-15,,V99999,US01-MAIN,USD', '3,US01,EXTERNAL,BULK-3,abc,2026-01-15,,V00002,US01-MAIN,USD'],
      ['1,1,ITEM,100.00,Paper'],
    );
    const progress: ImportProgress[] = [];
    const result = await settle(
      client.erpIntegrations.importBulkData({ file: stream(zip), fileName: 'apinvoiceimport.zip', documentAccount: 'fin$/payables$/import$', jobName: JOB, parameterList: '#NULL,US01,N,#NULL', pollIntervalMs: 5000, onProgress: (p) => progress.push(p) }),
    );
    expect(result.status).toBe('WARNING');
    expect(result.rowErrors).toEqual([
      { file: 'ApInvoicesInterface.csv', row: 2, code: 'INVALID SUPPLIER', message: 'Supplier V99999 does not exist' },
      { file: 'ApInvoicesInterface.csv', row: 3, code: 'INVALID INVOICE AMOUNT', message: 'Amount abc is not a number' },
    ]);
    expect(progress.filter((p) => p.phase === 'reading').length).toBe(Math.ceil(zip.length / 7));
    expect(progress.find((p) => p.phase === 'uploaded')).toMatchObject({ bytes: zip.length, requestId: result.requestId });
    expect(progress.filter((p) => p.phase === 'polling').map((p) => (p as { status: string }).status)).toEqual(['WAIT', 'RUNNING', 'WARNING']);
    const imported = await client.invoices.findByNumber('V00001', 'BULK-1');
    expect(imported).toMatchObject({ InvoiceAmount: 100, SupplierNumber: 'V00001' });
    const upload = apiRequests().find((r) => r.method === 'POST');
    expect(JSON.parse(upload?.body ?? '{}')).toMatchObject({ OperationName: 'importBulkData', ContentType: 'zip', DocumentContent: Buffer.from(zip).toString('base64'), JobName: JOB });
    expect(sandbox.importJobs.jobs.get(result.requestId)?.imported).toBe(1);
  });

  it('throws ImportJobFailedError with the row errors when every row is rejected', async () => {
    const { client } = createHarness();
    const error = await settle(
      client.erpIntegrations
        .importBulkData({ file: invoiceZip(['1,US01,EXTERNAL,X-1,1,2026-01-15,,V99999,US01-MAIN,USD']), fileName: 'a.zip', documentAccount: 'fin$/payables$/import$', jobName: JOB, parameterList: '#NULL', pollIntervalMs: 1000 })
        .catch((e: unknown) => e),
    );
    expect(isImportJobFailedError(error)).toBe(true);
    expect(error).toMatchObject({ status: 'ERROR', rowErrors: [{ row: 1, code: 'INVALID SUPPLIER' }] });
  });

  it('a duplicate import of the same invoices is rejected row by row, not imported twice', async () => {
    const { client, sandbox } = createHarness();
    const options = { fileName: 'a.zip', documentAccount: 'fin$/payables$/import$', jobName: JOB, parameterList: '#NULL', pollIntervalMs: 1000 };
    const rows = ['1,US01,EXTERNAL,DUP-1,10,2026-01-15,,V00003,US01-MAIN,USD', '2,US01,EXTERNAL,DUP-2,10,2026-01-15,,V00003,US01-MAIN,USD'];
    await settle(client.erpIntegrations.importBulkData({ ...options, file: invoiceZip(rows) }));
    const before = sandbox.store.collections.invoices?.length;
    const again = await settle(client.erpIntegrations.importBulkData({ ...options, file: invoiceZip(rows) }).catch((e: unknown) => e));
    expect(again).toMatchObject({ status: 'ERROR', rowErrors: [{ code: 'DUPLICATE INVOICE NUMBER' }, { code: 'DUPLICATE INVOICE NUMBER' }] });
    expect(sandbox.store.collections.invoices?.length).toBe(before);
  });

  it('refuses an empty file or a non-zip name before uploading', async () => {
    const { client, apiRequests } = createHarness();
    const base = { documentAccount: 'fin$/payables$/import$', jobName: JOB, parameterList: '#NULL' };
    for (const attempt of [{ ...base, file: new Uint8Array(), fileName: 'a.zip' }, { ...base, file: new Uint8Array([1]), fileName: 'a.csv' }]) {
      expect(isInvalidInputError(await client.erpIntegrations.importBulkData(attempt).catch((e: unknown) => e))).toBe(true);
    }
    expect(apiRequests()).toEqual([]);
  });
});
