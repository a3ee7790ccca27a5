import { describe, expect, it } from 'vitest';
import { JAGGAER_RETURN_CODES } from '@ml-connector/jaggaer-j1p/testing';
import { P, invoicePath, setup } from './helpers.js';

const ocrBody = (supplierInvoiceNumber: string, supplierNumber = 'V00002', casing: 'Ocr' | 'OCR' = 'Ocr') => ({
  batchId: 'batch-1',
  batchInfo: { batchNumber: '0001', batchTimestamp: '2026-01-22T00:00:00.000Z', batchDescription: 'test' },
  [`invoice${casing}`]: {
    [`invoice${casing}Header`]: {
      supplierInvoiceNumber,
      invoiceType: 'Invoice',
      invoiceDate: '2026-01-23T00:00:00.000Z',
      supplier: { supplierNumber },
      businessUnit: { internalName: 'US01' },
      billTo: { address: { addressCode: 'US01-AP' } },
      terms: { standardPaymentTermsCode: 'Net 60' },
      notes: 'OCR test',
    },
    [`invoice${casing}LineList`]: {
      [`invoice${casing}Line`]: [
        { lineNumber: 1, ocrItem: { description: 'Toner', unitOfMeasure: 'EA', packagingAmount: 1 }, quantity: 2, unitPrice: { currency: 'USD', money: 10.5 } },
        { lineNumber: 2, ocrItem: { description: 'Paper' }, quantity: 1, unitPrice: { currency: 'USD', money: 4 } },
      ],
    },
  },
});

const paymentPath = (id: number) => `${invoicePath(id)}/paymentStatus`;

describe('OCR import', () => {
  it('creates an invoice (invoiceOcr casing) that GET returns', async () => {
    const { sandbox, send, get, json } = await setup();
    const before = sandbox.invoiceCount;
    const response = await send('POST', P.invoiceOcrImport, ocrBody('OCR-1'));
    expect(response.status).toBe(200);
    const created = await json(response);
    expect(created).toMatchObject({ returnCode: 0, batchId: 'batch-1' });
    expect(typeof created.invoiceId).toBe('number');
    expect(sandbox.invoiceCount).toBe(before + 1);
    const body = await json(await get(invoicePath(created.invoiceId)));
    expect(body.header).toMatchObject({
      supplierInvoiceNumber: 'OCR-1',
      invoiceSource: 'OCR',
      workflowStatus: 'Pending Approval',
      paymentStatus: 'Unpaid',
      supplier: { supplierNumber: 'V00002' },
      total: { currency: 'USD', value: 25 },
      dueDate: '2026-03-24T00:00:00.000Z',
    });
    expect(body.lineList.invoiceLine.map((l: any) => l.item.description)).toEqual(['Toner', 'Paper']);
  });

  it('accepts the invoiceOCR / invoiceOCRHeader casing and the path without trailing slash', async () => {
    const { sandbox, send, json } = await setup();
    const response = await send('POST', P.invoiceOcrImport.replace(/\/$/, ''), ocrBody('OCR-2', 'V00003', 'OCR'));
    expect(response.status).toBe(200);
    const { invoiceId } = await json(response);
    expect(sandbox.invoice(invoiceId)).toMatchObject({ supplierInvoiceNumber: 'OCR-2', supplierNumber: 'V00003' });
  });

  it('rejects a duplicate supplierInvoiceNumber for the same supplier with 409 and returnCode', async () => {
    const { sandbox, send, json } = await setup();
    expect((await send('POST', P.invoiceOcrImport, ocrBody('DUP-1'))).status).toBe(200);
    const dup = await send('POST', P.invoiceOcrImport, ocrBody('dup-1 ', 'V00002', 'OCR'));
    expect(dup.status).toBe(409);
    const body = await json(dup);
    expect(body.returnCode).toBe(JAGGAER_RETURN_CODES.CONFLICT);
    expect(body.returnMessage).toMatch(/already exists for supplier V00002/);
    // Another supplier may reuse the number.
    expect((await send('POST', P.invoiceOcrImport, ocrBody('DUP-1', 'V00004'))).status).toBe(200);
    // Seeded numbers count too.
    const seeded = sandbox.invoices()[0]!;
    expect((await send('POST', P.invoiceOcrImport, ocrBody(seeded.supplierInvoiceNumber, seeded.supplierNumber))).status).toBe(409);
  });

  it('validates the body in the returnCode envelope', async () => {
    const { sandbox, send, json, token } = await setup();
    const noSupplier = await send('POST', P.invoiceOcrImport, ocrBody('X-1', 'V99999'));
    expect(noSupplier.status).toBe(400);
    expect((await json(noSupplier)).returnMessage).toMatch(/supplier V99999 does not exist/);
    const missing = await send('POST', P.invoiceOcrImport, { batchId: 'b', invoiceOcr: { invoiceOcrHeader: { supplier: { supplierNumber: 'V00001' } } } });
    expect(missing.status).toBe(400);
    expect(await json(missing)).toMatchObject({ returnCode: JAGGAER_RETURN_CODES.VALIDATION_FAILED });
    const both = await send('POST', P.invoiceOcrImport, { ...ocrBody('X-2'), invoiceOCR: {} });
    expect(both.status).toBe(400);
    const notJson = await sandbox.fetch(sandbox.baseUrl + P.invoiceOcrImport, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{"invoiceOcr":',
    });
    expect(notJson.status).toBe(400);
    expect((await json(notJson)).returnMessage).toMatch(/not valid JSON/);
  });

  it('requires a JSON content type', async () => {
    const { sandbox, token } = await setup();
    const response = await sandbox.fetch(sandbox.baseUrl + P.invoiceOcrImport, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
      body: JSON.stringify(ocrBody('CT-1')),
    });
    expect(response.status).toBe(415);
  });
});

describe('payment status', () => {
  it('sets Paid with date and reference on an approved invoice via PUT, bumping lastUpdate', async () => {
    const { sandbox, send, get, json } = await setup();
    const approved = sandbox.invoices().find((i) => i.workflowStatus === 'Approved')!;
    const response = await send('PUT', paymentPath(approved.invoiceId), { paymentStatus: 'Paid', paymentDate: '20260215', paymentReference: 'PAY-77' });
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({ returnCode: 0, invoiceId: approved.invoiceId, paymentStatus: 'Paid' });
    const after = sandbox.invoice(approved.invoiceId)!;
    expect(after).toMatchObject({ paymentStatus: 'Paid', paymentDate: '2026-02-15', paymentReference: 'PAY-77' });
    expect(after.lastUpdate).toBeGreaterThan(approved.lastUpdate);
    const header = (await json(await get(invoicePath(approved.invoiceId)))).header;
    expect(header).toMatchObject({ paymentStatus: 'Paid', paymentDate: '2026-02-15', paymentReference: 'PAY-77' });
    // Repeating the same update is idempotent and does not re-stamp.
    expect((await send('PATCH', paymentPath(approved.invoiceId), { paymentStatus: 'Paid' })).status).toBe(200);
    expect(sandbox.invoice(approved.invoiceId)!.lastUpdate).toBe(after.lastUpdate);
  });

  it('refuses to pay a rejected invoice, unknown statuses and unknown invoices', async () => {
    const { sandbox, send, json } = await setup();
    const rejected = sandbox.invoices().find((i) => i.workflowStatus === 'Rejected')!;
    const refused = await send('PATCH', paymentPath(rejected.invoiceId), { paymentStatus: 'Paid' });
    expect(refused.status).toBe(409);
    expect((await json(refused)).returnCode).toBe(JAGGAER_RETURN_CODES.CONFLICT);
    const bad = await send('PUT', paymentPath(rejected.invoiceId), { paymentStatus: 'Settled' });
    expect(bad.status).toBe(400);
    expect((await json(bad)).returnMessage).toMatch(/paymentStatus/);
    expect((await send('PUT', paymentPath(1), { paymentStatus: 'Payable' })).status).toBe(404);
    expect((await send('POST', paymentPath(rejected.invoiceId), { paymentStatus: 'Payable' })).status).toBe(405);
  });
});
