import { afterEach, describe, expect, it, vi } from 'vitest';
import { JAGGAER_RETURN_CODES, SANDBOX_FIRST_INVOICE_ID, createJaggaerSandbox, formatJaTimestamp, generateJaggaerSeed } from '@ml-connector/jaggaer-j1p/testing';
import { P, invoicePath, setup } from './helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('GET invoice', () => {
  it('returns {header, lineList:{invoiceLine}} in the public sample shape', async () => {
    const { sandbox, get, json } = await setup({ seed: 3 });
    const record = sandbox.invoice(SANDBOX_FIRST_INVOICE_ID)!;
    const response = await get(invoicePath(SANDBOX_FIRST_INVOICE_ID));
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(Object.keys(body)).toEqual(['header', 'lineList']);
    const h = body.header;
    expect(h).toMatchObject({
      invoiceId: SANDBOX_FIRST_INVOICE_ID,
      invoiceNumber: 'INV-0000001',
      supplierInvoiceNumber: record.supplierInvoiceNumber,
      invoiceType: 'Invoice',
      businessUnit: 'US01',
      paymentStatus: 'Unpaid',
      workflowStatus: record.workflowStatus,
      lastUpdate: new Date(record.lastUpdate).toISOString(),
      supplier: { supplierNumber: record.supplierNumber, name: sandbox.supplier(record.supplierNumber)!.companyName },
      total: { currency: 'USD' },
    });
    expect(h.terms.standardPaymentTermsCode).toBe('Net 30');
    const expectedTotal = Math.round(record.lines.reduce((s, l) => s + Math.round(l.quantity * l.unitPrice * 100), 0)) / 100;
    expect(h.total.value).toBe(expectedTotal);
    const lines = body.lineList.invoiceLine;
    expect(lines).toHaveLength(record.lines.length);
    expect(lines[0]).toMatchObject({ lineNumber: 1, quantity: record.lines[0]!.quantity, unitPrice: record.lines[0]!.unitPrice });
    expect(lines[0].item.description).toBe(record.lines[0]!.description);
  });

  it('carries coding as internalName/value pairs on lines or header', async () => {
    const { sandbox, get, json } = await setup({ seed: 3 });
    const all = sandbox.invoices();
    const lineCoded = all.find((i) => !i.headerCoding)!;
    const headerCoded = all.find((i) => i.headerCoding)!;
    const pairs = (group: any) =>
      group.splittableFieldSetGroup[0].splittableFieldIndexSet[0].splittableFieldIndexList.splittableFieldIndex[0].customFieldValueList.customFieldValue;
    const a = await json(await get(invoicePath(lineCoded.invoiceId)));
    expect(a.header.splittableFieldSetGroupList).toBeUndefined();
    const linePairs = pairs(a.lineList.invoiceLine[0].splittableFieldSetGroupList);
    expect(linePairs.map((p: any) => p.internalName)).toEqual(['account', 'department', 'project']);
    expect(linePairs[0].value).toBe(lineCoded.lines[0]!.coding!.account);
    const b = await json(await get(invoicePath(headerCoded.invoiceId)));
    expect(pairs(b.header.splittableFieldSetGroupList)[1]).toMatchObject({ internalName: 'department', value: headerCoded.headerCoding!.department });
    expect(b.lineList.invoiceLine[0].splittableFieldSetGroupList).toBeUndefined();
  });

  it('renders a split line as one splittableFieldIndex per share, with percentage and amount adding up to the line', async () => {
    const { sandbox, get, json } = await setup({ seed: 3 });
    const invoice = sandbox.invoices().find((i) => i.lines.some((l) => l.splits))!;
    const line = invoice.lines.find((l) => l.splits)!;
    const body = await json(await get(invoicePath(invoice.invoiceId)));
    const rendered = body.lineList.invoiceLine.find((l: any) => l.lineId === line.lineId);
    const indexes = rendered.splittableFieldSetGroupList.splittableFieldSetGroup[0].splittableFieldIndexSet[0].splittableFieldIndexList.splittableFieldIndex;
    expect(indexes).toHaveLength(2);
    expect(indexes.map((x: any) => x.percentage)).toEqual(line.splits!.map((s) => s.percentage));
    const cents = indexes.reduce((sum: number, x: any) => sum + Math.round(x.amount * 100), 0);
    expect(cents).toBe(Math.round(line.quantity * line.unitPrice * 100));
    expect(indexes[1].customFieldValueList.customFieldValue[0]).toMatchObject({ internalName: 'account', value: line.splits![1]!.coding.account });
  });

  it('answers 404 for unknown and 400 for non-numeric ids with returnCode', async () => {
    const { get, json } = await setup();
    const missing = await get(invoicePath(1));
    expect(missing.status).toBe(404);
    expect(await json(missing)).toEqual({ returnCode: JAGGAER_RETURN_CODES.NOT_FOUND, returnMessage: 'Invoice 1 not found.' });
    const bad = await get(invoicePath('abc'));
    expect(bad.status).toBe(400);
    expect((await json(bad)).returnCode).toBe(JAGGAER_RETURN_CODES.VALIDATION_FAILED);
  });

  it('answers 405 with Allow for a wrong method', async () => {
    const { send } = await setup();
    const response = await send('DELETE', invoicePath(SANDBOX_FIRST_INVOICE_ID), {});
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
  });
});

describe('GET invoice list', () => {
  it('pages with startAt/maxRecords/totRecords over many pages in invoice-id order, headers only (as the public sample)', async () => {
    const { sandbox, get, json } = await setup({ seed: 5, size: { invoices: 437, suppliers: 12 }, limits: { requestsPerWindow: 10_000 } });
    const seen: any[] = [];
    let startAt = 1;
    let pages = 0;
    for (;;) {
      const body = await json(await get(P.invoices, { startAt, maxRecords: 50 }));
      expect(body).toMatchObject({ returnCode: 0, returnMessage: '', totRecords: 437, startAt });
      expect(body.returnedRecords).toBe(body.jiinvoiceList.jiinvoice.length);
      seen.push(...body.jiinvoiceList.jiinvoice);
      pages++;
      if (body.returnedRecords < 50) break;
      startAt += body.returnedRecords;
    }
    expect(pages).toBe(9);
    expect(seen).toHaveLength(437);
    const ids = seen.map((e) => e.header.invoiceId);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(seen.every((e) => Object.keys(e).join() === 'header')).toBe(true);
    const times = seen.map((e) => Date.parse(e.header.lastUpdate));
    expect(times).not.toEqual([...times].sort((a, b) => a - b));
    expect(sandbox.stats().byRoute.invoices).toBe(9);
    const beyond = await json(await get(P.invoices, { startAt: 1000 }));
    expect(beyond).toMatchObject({ totRecords: 437, returnedRecords: 0, jiinvoiceList: { jiinvoice: [] } });
  });

  it('lists by (lastUpdate, invoiceId) with lines, or in a fixed shuffled order, when configured', async () => {
    const byTime = await setup({ seed: 5, size: { invoices: 120 }, invoiceList: { order: 'lastUpdate', lines: true } });
    const a = (await byTime.json(await byTime.get(P.invoices, { maxRecords: 500 }))).jiinvoiceList.jiinvoice;
    expect(a.map((e: any) => e.header.invoiceId)).toEqual(byTime.sandbox.invoices().map((i) => i.invoiceId));
    expect(a[0].lineList.invoiceLine.length).toBeGreaterThan(0);

    const shuffled = await setup({ seed: 5, size: { invoices: 120 }, invoiceList: { order: 'shuffled' } });
    const once = (await shuffled.json(await shuffled.get(P.invoices, { maxRecords: 500 }))).jiinvoiceList.jiinvoice.map((e: any) => e.header.invoiceId);
    const twice = (await shuffled.json(await shuffled.get(P.invoices, { maxRecords: 500 }))).jiinvoiceList.jiinvoice.map((e: any) => e.header.invoiceId);
    expect(once).toEqual(twice);
    expect(once).not.toEqual([...once].sort((x: number, y: number) => x - y));
    expect([...once].sort()).toEqual(shuffled.sandbox.invoices().map((i) => i.invoiceId).sort());
  });

  it('cuts listed lastUpdate to timestampPrecisionMs and compares lastUpdateFrom/To at filterPrecision', async () => {
    const data = generateJaggaerSeed({ seed: 2, invoices: 6 });
    const base = Date.UTC(2025, 2, 3, 10, 0, 0);
    const stamps = [base + 100, base + 900, base + 1_500, base + 3_600_000, base - 60_000, base + 86_400_000];
    data.invoices.forEach((inv, i) => (inv.lastUpdate = stamps[i]!));
    const coarse = await setup({ data, invoiceList: { timestampPrecisionMs: 1000, filterPrecision: 'second' } });
    const body = await coarse.json(await coarse.get(P.invoices, {}));
    expect(body.jiinvoiceList.jiinvoice.map((e: any) => e.header.lastUpdate).slice(0, 3)).toEqual([
      new Date(base).toISOString(),
      new Date(base).toISOString(),
      new Date(base + 1000).toISOString(),
    ]);
    // From 10:00:00.950 at second precision is from 10:00:00: the two invoices at .100 and .900 come back too.
    const from = await coarse.json(await coarse.get(P.invoices, { lastUpdateFrom: new Date(base + 950).toISOString() }));
    expect(from.totRecords).toBe(5);

    const daily = await setup({ data, invoiceList: { filterPrecision: 'day' } });
    const sameDay = await daily.json(await daily.get(P.invoices, { lastUpdateFrom: new Date(base + 7_200_000).toISOString() }));
    expect(sameDay.totRecords).toBe(6); // the whole day (including 09:59) and the next day
    const upTo = await daily.json(await daily.get(P.invoices, { lastUpdateTo: new Date(base).toISOString() }));
    expect(upTo.totRecords).toBe(5);
    const precise = await setup({ data });
    const exact = await precise.json(await precise.get(P.invoices, { lastUpdateFrom: new Date(base + 950).toISOString() }));
    expect(exact.totRecords).toBe(3);
  });

  it('answers renamed query parameters when configured, and refuses the default names then', async () => {
    const { get, json } = await setup({ size: { invoices: 30 }, invoiceListParameters: { maxRecords: 'pageSize', workflowStatus: 'status' } });
    const body = await json(await get(P.invoices, { pageSize: 4, status: 'Approved' }));
    expect(body.returnedRecords).toBe(4);
    expect(body.jiinvoiceList.jiinvoice.every((e: any) => e.header.workflowStatus === 'Approved')).toBe(true);
    const old = await get(P.invoices, { maxRecords: 4 });
    expect(old.status).toBe(400);
    expect((await json(old)).returnMessage).toMatch(/Unknown query parameter "maxRecords"/);
  });

  it('rejects bad list settings', () => {
    expect(() => createJaggaerSandbox({ invoiceList: { order: 'name' as never } })).toThrow(/invoiceList.order/);
    expect(() => createJaggaerSandbox({ invoiceList: { timestampPrecisionMs: 0 } })).toThrow(/timestampPrecisionMs/);
    expect(() => createJaggaerSandbox({ invoiceList: { filterPrecision: 'hour' as never } })).toThrow(/filterPrecision/);
  });

  it('filters by workflowStatus and lastUpdateFrom (ISO and yyyymmddhhmmss)', async () => {
    const { sandbox, get, json } = await setup({ seed: 9, size: { invoices: 300 } });
    const all = sandbox.invoices();
    const approved = all.filter((i) => i.workflowStatus === 'Approved');
    const byStatus = await json(await get(P.invoices, { workflowStatus: 'Approved', maxRecords: 1000 }));
    expect(byStatus.totRecords).toBe(approved.length);
    expect(byStatus.jiinvoiceList.jiinvoice.every((e: any) => e.header.workflowStatus === 'Approved')).toBe(true);
    const pending = await json(await get(P.invoices, { workflowStatus: 'Pending Approval', maxRecords: 1000 }));
    expect(pending.totRecords).toBe(all.filter((i) => i.workflowStatus === 'Pending Approval').length);

    const cut = all[200]!.lastUpdate;
    const expected = all.filter((i) => i.lastUpdate >= cut && i.workflowStatus === 'Approved').length;
    const iso = await json(await get(P.invoices, { workflowStatus: 'Approved', lastUpdateFrom: new Date(cut).toISOString(), maxRecords: 1000 }));
    expect(iso.totRecords).toBe(expected);
    const compact = await json(await get(P.invoices, { workflowStatus: 'Approved', lastUpdateFrom: formatJaTimestamp(cut), maxRecords: 1000 }));
    expect(compact.totRecords).toBe(expected);
    const to = await json(await get(P.invoices, { lastUpdateTo: new Date(cut).toISOString(), maxRecords: 1000 }));
    expect(to.totRecords).toBe(all.filter((i) => i.lastUpdate <= cut).length);
  });

  it('clamps maxRecords, rejects unknown parameters and bad values', async () => {
    const { get, json } = await setup({ size: { invoices: 1200 } });
    const big = await json(await get(P.invoices, { maxRecords: 5000 }));
    expect(big.returnedRecords).toBe(1000);
    const unknown = await get(P.invoices, { status: 'Approved' });
    expect(unknown.status).toBe(400);
    expect((await json(unknown)).returnMessage).toMatch(/Unknown query parameter "status"/);
    expect((await get(P.invoices, { startAt: 0 })).status).toBe(400);
    expect((await get(P.invoices, { lastUpdateFrom: 'yesterday' })).status).toBe(400);
  });

  it('lets a poller see an approval after its watermark (test hook bumps lastUpdate)', async () => {
    vi.useFakeTimers({ now: Date.UTC(2024, 0, 1) });
    const { sandbox, get, json } = await setup({ seed: 2, size: { invoices: 120 } });
    const first = await json(await get(P.invoices, { workflowStatus: 'Approved', maxRecords: 1000 }));
    const watermark = Math.max(...first.jiinvoiceList.jiinvoice.map((e: any) => Date.parse(e.header.lastUpdate)));
    const pending = sandbox.invoices().find((i) => i.workflowStatus === 'Pending Approval')!;
    const approved = sandbox.approveInvoice(pending.invoiceId);
    // The clock (2024) is behind the seed (2025), yet the bump still lands after every existing timestamp.
    expect(approved.lastUpdate).toBeGreaterThan(watermark);
    const next = await json(await get(P.invoices, { workflowStatus: 'Approved', lastUpdateFrom: new Date(watermark + 1).toISOString() }));
    expect(next.totRecords).toBe(1);
    expect(next.jiinvoiceList.jiinvoice[0].header.invoiceId).toBe(pending.invoiceId);
    const updated = sandbox.updateInvoice(pending.invoiceId, { dueDate: '2026-03-01T00:00:00.000Z' });
    expect(updated.lastUpdate).toBeGreaterThan(approved.lastUpdate);
    expect(() => sandbox.approveInvoice(42)).toThrow(/not found/);
  });

  it('lists lines only when asked to (invoiceList.lines)', async () => {
    const plain = await setup();
    expect(Object.keys((await plain.json(await plain.get(P.invoices, { maxRecords: 3 }))).jiinvoiceList.jiinvoice[0])).toEqual(['header']);
    const withLines = await setup({ invoiceList: { lines: true } });
    expect(Object.keys((await withLines.json(await withLines.get(P.invoices, { maxRecords: 3 }))).jiinvoiceList.jiinvoice[0])).toEqual(['header', 'lineList']);
  });
});
