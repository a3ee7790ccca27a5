import { afterEach, describe, expect, it, vi } from 'vitest';
import { JAGGAER_RETURN_CODES, formatJaTimestamp, sandboxSupplierName } from '@ml-connector/jaggaer-j1p/testing';
import { P, setup } from './helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

const company = (operationCode: string, companyInfo: Record<string, unknown>) => ({ company: { operationCode, companyInfo } });

describe('company profiles (suppliers)', () => {
  it('lists with start paging and returnCompanyData entries', async () => {
    const { get, json } = await setup({ size: { suppliers: 130 }, paging: { listPageSize: 50 } });
    const first = await json(await get(P.companyProfiles));
    expect(first).toMatchObject({ returnCode: 0, returnMessage: 'OK', totRecords: 130, returnedRecords: 50 });
    expect(first.returnCompanyData[0].returnCompanyInfo).toMatchObject({
      extCode: 'V00001',
      companyName: sandboxSupplierName(1),
      type: 'SELLER',
      status: 'ACTIVE',
    });
    expect(first.returnCompanyData[0].returnCompanyInfo.lastModTime).toMatch(/^\d{14}$/);
    const third = await json(await get(P.companyProfiles, { start: 101 }));
    expect(third.returnedRecords).toBe(30);
    expect(third.returnCompanyData[0].returnCompanyInfo.extCode).toBe('V00101');
  });

  it('filters with flt (EXTCODE, PARENTEXTCODE, LASTMODTIME) and rejects unknown keys', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 5, 1, 12) });
    const { sandbox, get, send, json } = await setup({ seed: 4, size: { suppliers: 40 } });
    const one = await json(await get(P.companyProfiles, { flt: 'EXTCODE==v00007' }));
    expect(one.totRecords).toBe(1);
    const children = sandbox.suppliers().filter((s) => s.parentSupplierNumber === 'V00001');
    const kids = await json(await get(P.companyProfiles, { flt: 'parentExtCode==V00001;TYPE==SELLER' }));
    expect(kids.totRecords).toBe(children.length);
    await send('POST', P.companyProfiles, company('UPDATE', { extCode: 'V00005', city: 'Madison' }));
    const changed = await json(await get(P.companyProfiles, { flt: `LASTMODTIME>=${formatJaTimestamp(Date.UTC(2026, 5, 1))}` }));
    expect(changed.returnCompanyData.map((c: any) => c.returnCompanyInfo.extCode)).toEqual(['V00005']);
    const byDay = await json(await get(P.companyProfiles, { flt: 'LASTMODTIME>=20260601' }));
    expect(byDay.totRecords).toBe(1);
    const bad = await get(P.companyProfiles, { flt: 'COLOUR==red' });
    expect(bad.status).toBe(400);
    expect((await json(bad)).returnCode).toBe(JAGGAER_RETURN_CODES.VALIDATION_FAILED);
  });

  it('CREATE, CREATEUPDATE and UPDATE behave as upserts keyed by extCode', async () => {
    const { sandbox, send, json } = await setup({ size: { suppliers: 5 } });
    const created = await send('POST', P.companyProfiles, company('CREATE', { extCode: 'V00900', companyName: 'New Vendor LLC', type: 'SELLER' }));
    expect(created.status).toBe(200);
    const { bravoId } = await json(created);
    expect(sandbox.supplier('V00900')).toMatchObject({ bravoId, companyName: 'New Vendor LLC', status: 'ACTIVE' });

    const dup = await send('POST', P.companyProfiles, company('CREATE', { extCode: 'V00900', companyName: 'Again' }));
    expect(dup.status).toBe(409);
    expect((await json(dup)).returnCode).toBe(JAGGAER_RETURN_CODES.CONFLICT);

    const upsert = await send('POST', P.companyProfiles, company('CREATEUPDATE', { extCode: 'V00900', companyName: 'Renamed LLC', status: 'INACTIVE' }));
    expect((await json(upsert)).bravoId).toBe(bravoId);
    expect(sandbox.supplier('V00900')).toMatchObject({ companyName: 'Renamed LLC', status: 'INACTIVE' });

    const missing = await send('POST', P.companyProfiles, company('UPDATE', { extCode: 'V00999', companyName: 'Ghost' }));
    expect(missing.status).toBe(404);
    const byBravo = await send('POST', P.companyProfiles, company('UPDATE', { bravoId: String(bravoId), city: 'Tulsa' }));
    expect(byBravo.status).toBe(200);
    expect(sandbox.supplier('V00900')!.city).toBe('Tulsa');

    const noName = await send('POST', P.companyProfiles, company('CREATEUPDATE', { extCode: 'V00950' }));
    expect(noName.status).toBe(400);
    const noOp = await send('POST', P.companyProfiles, { company: { companyInfo: { extCode: 'V00951', companyName: 'X' } } });
    expect(noOp.status).toBe(400);
    expect((await json(noOp)).returnMessage).toMatch(/operationCode/);
    const buyer = await send('POST', P.companyProfiles, company('CREATE', { extCode: 'B1', companyName: 'Buyer', type: 'BUYER' }));
    expect(buyer.status).toBe(400);
  });

  it('validates the parent hierarchy', async () => {
    const { sandbox, send, get, json } = await setup({ size: { suppliers: 5 } });
    const orphan = await send('POST', P.companyProfiles, company('CREATE', { extCode: 'V00100', companyName: 'Child', parentExtCode: 'V09999' }));
    expect(orphan.status).toBe(400);
    expect((await json(orphan)).returnMessage).toMatch(/Parent company V09999 does not exist/);
    expect(sandbox.supplier('V00100')).toBeUndefined();

    await send('POST', P.companyProfiles, company('CREATE', { extCode: 'V00100', companyName: 'Parent' }));
    const child = await send('POST', P.companyProfiles, company('CREATE', { extCode: 'V00101', companyName: 'Child', parentExtCode: 'v00100' }));
    expect(child.status).toBe(200);
    expect(sandbox.supplier('V00101')!.parentSupplierNumber).toBe('V00100');
    const listed = await json(await get(P.companyProfiles, { flt: 'EXTCODE==V00101' }));
    expect(listed.returnCompanyData[0].returnCompanyInfo).toMatchObject({ parentExtCode: 'V00100' });

    const cycle = await send('POST', P.companyProfiles, company('UPDATE', { extCode: 'V00100', parentExtCode: 'V00101' }));
    expect(cycle.status).toBe(400);
    expect((await json(cycle)).returnMessage).toMatch(/own ancestor/);
    const self = await send('POST', P.companyProfiles, company('UPDATE', { extCode: 'V00100', parentExtCode: 'V00100' }));
    expect(self.status).toBe(400);

    const cleared = await send('POST', P.companyProfiles, company('UPDATE', { extCode: 'V00101', parentExtCode: null }));
    expect(cleared.status).toBe(200);
    expect(sandbox.supplier('V00101')!.parentSupplierNumber).toBeUndefined();
  });
});

describe('coding values', () => {
  it('are preloaded for accounts, departments and projects and filter by segment', async () => {
    const { get, json } = await setup();
    const all = await json(await get(P.codingValues));
    expect(all.totRecords).toBe(15);
    const accounts = await json(await get(P.codingValues, { flt: 'SEGMENT==account' }));
    expect(accounts.returnCodingValueData.map((v: any) => v.code)).toEqual(['8110', '8120', '8130', '8140', '8150', '8160', '8170', '8180']);
    expect(accounts.returnCodingValueData[0]).toMatchObject({ segment: 'account', description: 'Office Supplies', active: true });
  });

  it('upserts by segment + code, all or nothing', async () => {
    const { sandbox, send, json } = await setup();
    const response = await send('POST', P.codingValues, {
      operationCode: 'CREATEUPDATE',
      codingValueList: {
        codingValue: [
          { segment: 'account', code: '8195', description: 'Bank Charges' },
          { segment: 'account', code: '8110', description: 'Office Supplies', active: false },
          { segment: 'department', code: 'ADM', description: 'Administration' },
        ],
      },
    });
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ returnCode: 0, returnMessage: 'OK', totRecords: 3, created: 1, updated: 1, unchanged: 1 });
    expect(sandbox.codingValue('account', '8110')!.active).toBe(false);
    expect(sandbox.codingValue('account', '8195')!.description).toBe('Bank Charges');

    const bad = await send('POST', P.codingValues, {
      operationCode: 'CREATEUPDATE',
      codingValueList: { codingValue: [{ segment: 'project', code: 'P-900', description: 'Ok' }, { segment: 'costcenter', code: 'X' }] },
    });
    expect(bad.status).toBe(400);
    expect(sandbox.codingValue('project', 'P-900')).toBeUndefined();
    const dup = await send('POST', P.codingValues, { operationCode: 'CREATE', codingValueList: { codingValue: [{ segment: 'project', code: 'P-100', description: 'x' }] } });
    expect(dup.status).toBe(409);
    const missing = await send('POST', P.codingValues, { operationCode: 'UPDATE', codingValueList: { codingValue: [{ segment: 'project', code: 'P-999' }] } });
    expect(missing.status).toBe(404);
  });
});

describe('purchase orders', () => {
  const po = (poNumber: string, overrides: Record<string, unknown> = {}, lines?: unknown[]) => ({
    operationCode: 'CREATEUPDATE',
    purchaseOrder: {
      poNumber,
      supplier: { supplierNumber: 'V00003' },
      businessUnit: { internalName: 'US01' },
      currency: 'USD',
      orderDate: '2026-02-01',
      lineList: {
        poLine: lines ?? [
          { lineNumber: 1, description: 'Laptops', quantity: 3, unitPrice: 1200, coding: { account: '8120', department: 'IT', project: 'P-100' } },
        ],
      },
      ...overrides,
    },
  });

  it('creates and then replaces a purchase order by poNumber', async () => {
    const { sandbox, send, get, json } = await setup({ size: { purchaseOrders: 4 } });
    const created = await send('POST', P.purchaseOrders, po('PO-90001'));
    expect(created.status).toBe(200);
    const { purchaseOrderId } = await json(created);
    expect(sandbox.purchaseOrder('PO-90001')).toMatchObject({ purchaseOrderId, supplierNumber: 'V00003', status: 'Open', orderDate: '2026-02-01T00:00:00.000Z' });

    const updated = await send(
      'POST',
      P.purchaseOrders,
      po('PO-90001', { status: 'Closed' }, [
        { lineNumber: 1, description: 'Laptops', quantity: 4, unitPrice: 1150 },
        { lineNumber: 2, description: 'Docks', quantity: 4, unitPrice: 150, coding: { account: '8110', department: 'IT', project: 'P-100' } },
      ]),
    );
    expect((await json(updated)).purchaseOrderId).toBe(purchaseOrderId);
    const stored = sandbox.purchaseOrder('PO-90001')!;
    expect(stored.status).toBe('Closed');
    expect(stored.lines.map((l) => [l.quantity, l.coding.account])).toEqual([
      [4, '8120'],
      [4, '8110'],
    ]);
    const listed = await json(await get(P.purchaseOrders, { flt: 'PONUMBER==PO-90001' }));
    expect(listed.returnPurchaseOrderData[0]).toMatchObject({ poNumber: 'PO-90001', supplier: { supplierNumber: 'V00003' } });
    const seeded = await json(await get(P.purchaseOrders));
    expect(seeded.totRecords).toBe(5);
    expect(seeded.returnPurchaseOrderData[0].poNumber).toBe('PO-00001');
  });

  it('validates supplier, coding and operation', async () => {
    const { send, json } = await setup();
    const noSupplier = await send('POST', P.purchaseOrders, po('PO-1', { supplier: { supplierNumber: 'V77777' } }));
    expect(noSupplier.status).toBe(400);
    const badCoding = await send(
      'POST',
      P.purchaseOrders,
      po('PO-2', {}, [{ lineNumber: 1, description: 'x', quantity: 1, unitPrice: 1, coding: { account: '9999', department: 'IT', project: 'P-100' } }]),
    );
    expect(badCoding.status).toBe(400);
    expect((await json(badCoding)).returnMessage).toMatch(/account 9999 is not a known coding value/);
    const noCoding = await send('POST', P.purchaseOrders, po('PO-3', {}, [{ lineNumber: 1, description: 'x', quantity: 1, unitPrice: 1 }]));
    expect(noCoding.status).toBe(400);
    const update = await send('POST', P.purchaseOrders, { ...po('PO-4'), operationCode: 'UPDATE' });
    expect(update.status).toBe(404);
    const zeroQty = await send(
      'POST',
      P.purchaseOrders,
      po('PO-5', {}, [{ lineNumber: 1, description: 'x', quantity: 0, unitPrice: 1, coding: { account: '8110', department: 'IT', project: 'P-100' } }]),
    );
    expect(zeroQty.status).toBe(400);
  });
});
