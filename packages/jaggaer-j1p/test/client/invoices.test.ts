import { isConflictError, isNotFoundError, isValidationError, isInvalidInputError } from '@ml-connector/core';
import { commonCoding, isDuplicateSupplierInvoiceError, readCodingSplits } from '@ml-connector/jaggaer-j1p';
import { SANDBOX_FIRST_INVOICE_ID } from '@ml-connector/jaggaer-j1p/testing';
import { describe, expect, it } from 'vitest';
import { failure, setup } from './helpers.js';

describe('invoices.get', () => {
  it('returns header, lines, coding and keeps unmodelled fields in raw', async () => {
    const { sandbox, client } = setup();
    const stored = sandbox.invoice(SANDBOX_FIRST_INVOICE_ID)!;
    const invoice = await client.invoices.get(SANDBOX_FIRST_INVOICE_ID);
    expect(invoice.invoiceId).toBe(String(SANDBOX_FIRST_INVOICE_ID));
    expect(invoice.invoiceNumber).toBe(stored.invoiceNumber);
    expect(invoice.supplierInvoiceNumber).toBe(stored.supplierInvoiceNumber);
    expect(invoice.supplier?.supplierNumber).toBe(stored.supplierNumber);
    expect(invoice.workflowStatus).toBe(stored.workflowStatus);
    expect(invoice.lastUpdate).toBe(new Date(stored.lastUpdate).toISOString());
    expect(invoice.lines).toHaveLength(stored.lines.length);
    expect(invoice.lines[0]?.description).toBe(stored.lines[0]?.description);
    expect(invoice.lines[0]?.unitOfMeasure).toBe(stored.lines[0]?.unitOfMeasure);
    const coding = stored.headerCoding ?? stored.lines[0]?.coding;
    const seen = stored.headerCoding ? invoice.coding : invoice.lines[0]?.coding;
    expect(seen).toEqual(coding);
    // Fields the model does not name survive.
    expect(invoice.raw.header).toHaveProperty('billTo');
    expect(invoice.raw.header).toHaveProperty('invoiceName');
  });

  it('maps an unknown id to NotFoundError and rejects a non-numeric id before sending', async () => {
    const { sandbox, client } = setup();
    expect(isNotFoundError(await failure(client.invoices.get(999)))).toBe(true);
    expect(isInvalidInputError(await failure(client.invoices.get('12/../x')))).toBe(true);
    expect(sandbox.stats().byRoute.invoice).toBe(1);
  });
});

describe('invoices.list', () => {
  it('filters by status and updatedSince across many pages', async () => {
    const { sandbox, client } = setup({ size: { invoices: 300 } });
    const all = sandbox.invoices();
    const since = all[100]!.lastUpdate;
    const expected = all
      .filter((i) => i.workflowStatus === 'Approved' && i.lastUpdate >= since)
      .map((i) => i.invoiceId)
      .sort((a, b) => a - b) // the list is in invoice-id order, like J1P's public sample
      .map(String);
    const got = [];
    for await (const invoice of client.invoices.list({ status: 'Approved', updatedSince: new Date(since), pageSize: 7 })) got.push(invoice.invoiceId);
    expect(got).toEqual(expected);
    expect(sandbox.stats().byRoute.invoices).toBe(Math.ceil(expected.length / 7));
  });

  it('resumes from a saved continuation token, even in a new client', async () => {
    const { sandbox, client } = setup({ size: { invoices: 60 } });
    const pages = client.invoices.list({ pageSize: 10 }).byPage();
    const first = (await pages.next()).value!;
    const second = (await pages.next()).value!;
    expect(first.items).toHaveLength(10);
    const token = second.continuationToken!;
    expect(token).toBeTruthy();

    const { client: again } = setup({ size: { invoices: 60 } });
    const rest: string[] = [];
    for await (const page of again.invoices.list({ pageSize: 10 }).byPage({ continuationToken: token })) rest.push(...page.items.map((i) => i.invoiceId));
    const ids = sandbox.invoices().map((i) => i.invoiceId).sort((a, b) => a - b).map(String);
    expect(rest).toEqual(ids.slice(20));
  });

  it('toArray stops at the limit without fetching further pages', async () => {
    const { sandbox, client } = setup();
    const some = await client.invoices.list({ pageSize: 5 }).toArray({ limit: 12 });
    expect(some).toHaveLength(12);
    expect(sandbox.stats().byRoute.invoices).toBe(3);
  });

  it('validates options where they are written', () => {
    const { client } = setup();
    expect(() => client.invoices.list({ updatedSince: 'yesterday' })).toThrow(/updatedSince/);
    expect(() => client.invoices.list({ pageSize: 0 })).toThrow(/pageSize/);
  });
});

describe('invoices.importOcr', () => {
  const invoice = {
    supplierInvoiceNumber: 'SUP-INV-42',
    supplierNumber: 'V00001',
    invoiceDate: '2026-02-01',
    currency: 'USD',
    notes: 'scanned',
    batchId: 'batch-1',
    lines: [
      { description: 'Paper', quantity: 10, unitPrice: 4.5, unitOfMeasure: 'EA' },
      { description: 'Toner', quantity: 2, unitPrice: 60 },
    ],
  };

  it('imports an invoice that can then be read back', async () => {
    const { client } = setup();
    const result = await client.invoices.importOcr(invoice);
    expect(result.invoiceId).toMatch(/^\d+$/);
    expect(result.batchId).toBe('batch-1');
    const read = await client.invoices.get(result.invoiceId!);
    expect(read.supplierInvoiceNumber).toBe('SUP-INV-42');
    expect(read.invoiceSource).toBe('OCR');
    expect(read.lines.map((l) => [l.lineNumber, l.quantity, l.unitPrice])).toEqual([
      [1, 10, 4.5],
      [2, 2, 60],
    ]);
    expect(read.total).toEqual({ currency: 'USD', value: 165 });
  });

  it('reports a duplicate supplierInvoiceNumber as DuplicateSupplierInvoiceError (a ConflictError)', async () => {
    const { client } = setup();
    await client.invoices.importOcr(invoice);
    const error = await failure(client.invoices.importOcr({ ...invoice, supplierInvoiceNumber: ' sup-inv-42 ' }));
    expect(isDuplicateSupplierInvoiceError(error)).toBe(true);
    expect(isConflictError(error)).toBe(true);
    expect(error).toMatchObject({ status: 409, supplierNumber: 'V00001', supplierInvoiceNumber: 'sup-inv-42', vendorCode: '3' });
  });

  it('maps an unknown supplier to ValidationError and bad lines to InvalidInputError', async () => {
    const { client, sandbox } = setup();
    expect(isValidationError(await failure(client.invoices.importOcr({ ...invoice, supplierNumber: 'NOPE' })))).toBe(true);
    await expect(client.invoices.importOcr({ ...invoice, lines: [{ description: 'x', quantity: Number.NaN, unitPrice: 1 }] })).rejects.toThrow(/quantity/);
    await expect(client.invoices.importOcr({ ...invoice, supplierInvoiceNumber: '  ' })).rejects.toThrow(/supplierInvoiceNumber/);
    expect(sandbox.stats().byRoute.invoiceOcrImport).toBe(1);
  });
});

describe('invoices.updatePaymentStatus', () => {
  it('marks an approved invoice paid, and the change is visible and bumps lastUpdate', async () => {
    const { sandbox, client } = setup();
    const approved = sandbox.invoices().find((i) => i.workflowStatus === 'Approved')!;
    const result = await client.invoices.updatePaymentStatus(approved.invoiceId, { paymentStatus: 'Paid', paymentDate: new Date('2026-03-05T12:00:00Z'), paymentReference: 'PAY-1' });
    expect(result).toMatchObject({ invoiceId: String(approved.invoiceId), paymentStatus: 'Paid' });
    expect(sandbox.invoice(approved.invoiceId)).toMatchObject({ paymentStatus: 'Paid', paymentDate: '2026-03-05', paymentReference: 'PAY-1' });
    const read = await client.invoices.get(approved.invoiceId);
    expect(read.paymentStatus).toBe('Paid');
    expect(Date.parse(read.lastUpdate!)).toBeGreaterThan(approved.lastUpdate);
  });

  it('refuses Paid on an unapproved invoice with ConflictError', async () => {
    const { sandbox, client } = setup();
    const pending = sandbox.invoices().find((i) => i.workflowStatus === 'Pending Approval')!;
    const error = await failure(client.invoices.updatePaymentStatus(pending.invoiceId, { paymentStatus: 'Paid' }));
    expect(isConflictError(error)).toBe(true);
    expect(isValidationError(await failure(client.invoices.updatePaymentStatus(pending.invoiceId, { paymentStatus: 'Bogus' })))).toBe(true);
    expect(isNotFoundError(await failure(client.invoices.updatePaymentStatus(1, { paymentStatus: 'Paid' })))).toBe(true);
  });
});

describe('split coding', () => {
  it('keeps every split of a line with its share; coding holds only what the splits share', async () => {
    const { sandbox, client } = setup({ seed: 3 });
    const stored = sandbox.invoices().find((i) => i.lines.some((l) => l.splits))!;
    const storedLine = stored.lines.find((l) => l.splits)!;
    const invoice = await client.invoices.get(stored.invoiceId);
    const line = invoice.lines.find((l) => l.lineId === String(storedLine.lineId))!;
    expect(line.codingSplits).toHaveLength(2);
    expect(line.codingSplits.map((s) => s.percentage)).toEqual(storedLine.splits!.map((s) => s.percentage));
    expect(line.codingSplits.map((s) => s.values.account)).toEqual(storedLine.splits!.map((s) => s.coding.account));
    expect(line.codingSplits[0]!.amount! + line.codingSplits[1]!.amount!).toBeCloseTo(storedLine.quantity * storedLine.unitPrice, 2);
    expect(line.coding).toEqual({ department: storedLine.splits![0]!.coding.department, project: storedLine.splits![0]!.coding.project });
    const plain = invoice.lines.find((l) => l !== line && l.codingSplits.length === 1);
    if (plain) expect(plain.coding).toEqual(plain.codingSplits[0]!.values);
  });

  it('reads field-set groups as parts of the same split, as in the public invoice sample', () => {
    const pair = (internalName: string, value?: string) => (value === undefined ? { internalName } : { internalName, value, description: value });
    const group = (pairs: object[], ...more: object[][]) => ({
      splittableFieldIndexSet: [
        {
          context: 'Line',
          splittableFieldIndexList: {
            splittableFieldIndex: [pairs, ...more].map((p, i) => ({ ...(more.length ? { percentage: i === 0 ? 60 : 40 } : {}), customFieldValueList: { customFieldValue: p } })),
          },
        },
      ],
    });
    // Two groups (a chart of accounts and a second field set), one split each: one split with both sets of values.
    const sampleShaped = { splittableFieldSetGroup: [group([pair('Account', '100000'), pair('Fund', '14306'), pair('Future2')]), group([pair('FAUFundNumber', '19900')])] };
    expect(readCodingSplits(sampleShaped)).toEqual([{ values: { Account: '100000', Fund: '14306', FAUFundNumber: '19900' } }]);
    // One group split 60/40: two splits, and the common coding omits the account that differs.
    const split = { splittableFieldSetGroup: [group([pair('Account', '8110'), pair('Dept', 'ADM')], [pair('Account', '8120'), pair('Dept', 'ADM')])] };
    expect(readCodingSplits(split)).toEqual([
      { values: { Account: '8110', Dept: 'ADM' }, percentage: 60 },
      { values: { Account: '8120', Dept: 'ADM' }, percentage: 40 },
    ]);
    expect(commonCoding(readCodingSplits(split))).toEqual({ Dept: 'ADM' });
    expect(readCodingSplits({ anything: [{ internalName: 'a', value: '1' }] })).toEqual([{ values: { a: '1' } }]);
    expect(readCodingSplits(undefined)).toEqual([]);
  });
});
