import { describe, expect, it } from 'vitest';
import { isConflictError, isInvalidInputError, isNotFoundError, isValidationError } from '@ml-connector/core';
import { failure, setup } from './helpers.js';

describe('suppliers', () => {
  it('creates a parent/child hierarchy and reads it back', async () => {
    const { sandbox, client } = setup();
    const parent = await client.suppliers.upsert({ supplierNumber: 'P-100', companyName: 'Parent Holding', isoCountry: 'DE', city: 'Berlin', email: 'ap@parent.test' });
    expect(parent.bravoId).toMatch(/^\d+$/);
    await client.suppliers.upsert({ supplierNumber: 'C-101', companyName: 'Child GmbH', parentSupplierNumber: 'P-100' });
    const child = await client.suppliers.get('C-101');
    expect(child).toMatchObject({ supplierNumber: 'C-101', companyName: 'Child GmbH', parentSupplierNumber: 'P-100', parentBravoId: parent.bravoId, status: 'ACTIVE' });
    expect(child.raw).toHaveProperty('extUniqueCode', 'C-101');
    const children = await client.suppliers.list({ parentSupplierNumber: 'P-100' }).toArray({ limit: 10 });
    expect(children.map((s) => s.supplierNumber)).toEqual(['C-101']);
    // Detach and update in place.
    await client.suppliers.upsert({ supplierNumber: 'C-101', parentSupplierNumber: null, status: 'INACTIVE' }, { operation: 'UPDATE' });
    expect(sandbox.supplier('C-101')).toMatchObject({ status: 'INACTIVE' });
    expect(sandbox.supplier('C-101')?.parentSupplierNumber).toBeUndefined();
  });

  it('an unknown parent is a ValidationError; self-parenting and cycles fail before sending', async () => {
    const { sandbox, client } = setup();
    const error = await failure(client.suppliers.upsert({ supplierNumber: 'C-1', companyName: 'Orphan', parentSupplierNumber: 'NOPE' }));
    expect(isValidationError(error)).toBe(true);
    expect((error as Error).message).toMatch(/Parent company NOPE does not exist/);
    const before = sandbox.stats().byRoute.companyProfiles ?? 0;
    expect(isInvalidInputError(await failure(client.suppliers.upsert({ supplierNumber: 'X', companyName: 'X', parentSupplierNumber: 'x' })))).toBe(true);
    expect(
      isInvalidInputError(
        await failure(
          client.suppliers.upsertMany([
            { supplierNumber: 'A', companyName: 'A', parentSupplierNumber: 'B' },
            { supplierNumber: 'B', companyName: 'B', parentSupplierNumber: 'A' },
          ]),
        ),
      ),
    ).toBe(true);
    expect(sandbox.stats().byRoute.companyProfiles ?? 0).toBe(before);
  });

  it('upsertMany sends parents before children whatever the input order', async () => {
    const { sandbox, client } = setup();
    const results = await client.suppliers.upsertMany([
      { supplierNumber: 'G-3', companyName: 'Grandchild', parentSupplierNumber: 'G-2' },
      { supplierNumber: 'G-2', companyName: 'Child', parentSupplierNumber: 'G-1' },
      { supplierNumber: 'G-1', companyName: 'Root', parentSupplierNumber: 'V00001' },
    ]);
    expect(results.map((r) => r.supplierNumber)).toEqual(['G-3', 'G-2', 'G-1']);
    expect(sandbox.supplier('G-3')?.parentSupplierNumber).toBe('G-2');
    expect(sandbox.supplier('G-1')?.parentSupplierNumber).toBe('V00001');
  });

  it('CREATE of an existing supplier is a ConflictError, UPDATE of a missing one NotFoundError; get of a missing one NotFoundError', async () => {
    const { client } = setup();
    expect(isConflictError(await failure(client.suppliers.upsert({ supplierNumber: 'V00001', companyName: 'Dup' }, { operation: 'CREATE' })))).toBe(true);
    expect(isNotFoundError(await failure(client.suppliers.upsert({ supplierNumber: 'NEW-9' }, { operation: 'UPDATE' })))).toBe(true);
    expect(isNotFoundError(await failure(client.suppliers.get('NEW-9')))).toBe(true);
    await expect(client.suppliers.get('A;B')).rejects.toThrow(/flt separator/);
  });

  it('lists every supplier across pages and filters by modification time', async () => {
    const { sandbox, client } = setup({ size: { suppliers: 230 } });
    const all = await client.suppliers.list().toArray({ limit: 1000 });
    expect(all).toHaveLength(230);
    expect(sandbox.stats().byRoute.companyProfiles).toBe(3);
    const newest = Math.max(...sandbox.suppliers().map((s) => s.lastModTime));
    const recent = await client.suppliers.list({ modifiedSince: new Date(Math.floor(newest / 1000) * 1000) }).toArray({ limit: 1000 });
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.every((s) => Date.parse(s.lastModified!) >= Math.floor(newest / 1000) * 1000)).toBe(true);
  });
});

describe('coding values', () => {
  it('upserts GL accounts and dimension values in batches and lists them by segment', async () => {
    const { sandbox, client } = setup({}, { codingValueBatchSize: 2 });
    const counts = await client.codingValues.upsert([
      { segment: 'account', code: '8200', description: 'Insurance' },
      { segment: 'account', code: '8110', description: 'Office Supplies' },
      { segment: 'department', code: 'HR', description: 'Human Resources' },
      { segment: 'project', code: 'P-100', description: 'ERP Rollout', active: false },
      { segment: 'account', code: '8210', description: 'Legal' },
    ]);
    expect(counts).toEqual({ total: 5, created: 3, updated: 1, unchanged: 1 });
    expect(sandbox.stats().byRoute.codingValues).toBe(3);
    const accounts = await client.codingValues.list({ segment: 'account' }).toArray({ limit: 100 });
    expect(accounts.map((a) => a.code)).toEqual(expect.arrayContaining(['8110', '8200', '8210']));
    expect(accounts.every((a) => a.segment === 'account')).toBe(true);
    const inactive = await client.codingValues.list({ active: false }).toArray({ limit: 100 });
    expect(inactive.find((v) => v.code === 'P-100')).toMatchObject({ segment: 'project', active: false, description: 'ERP Rollout' });
  });

  it('rejects duplicates locally and maps server refusals', async () => {
    const { client } = setup();
    await expect(client.codingValues.upsert([{ segment: 'account', code: '1' }, { segment: 'account', code: '1' }])).rejects.toThrow(/twice/);
    expect(isValidationError(await failure(client.codingValues.upsert([{ segment: 'account', code: '9000' }])))).toBe(true); // no description to create
    expect(isConflictError(await failure(client.codingValues.upsert([{ segment: 'account', code: '8110', description: 'x' }], { operation: 'CREATE' })))).toBe(true);
    expect(isInvalidInputError(await failure(client.codingValues.upsert([], { operation: 'MERGE' as never })))).toBe(true);
  });
});

describe('purchase orders', () => {
  const po = {
    poNumber: 'PO-T-1',
    supplierNumber: 'V00002',
    currency: 'USD',
    orderDate: '2026-01-15',
    lines: [
      { lineNumber: 1, description: 'Laptops', quantity: 3, unitPrice: 1200, coding: { account: '8120', department: 'IT', project: 'P-100' } },
      { lineNumber: 2, description: 'Docks', quantity: 3, unitPrice: 150, unitOfMeasure: 'EA', coding: { account: '8120', department: 'IT', project: 'P-100' } },
    ],
  };

  it('upserts, gets and lists purchase orders', async () => {
    const { sandbox, client } = setup();
    const created = await client.purchaseOrders.upsert(po);
    expect(created).toMatchObject({ poNumber: 'PO-T-1' });
    expect(created.purchaseOrderId).toMatch(/^\d+$/);
    const read = await client.purchaseOrders.get('PO-T-1');
    expect(read).toMatchObject({ poNumber: 'PO-T-1', supplierNumber: 'V00002', status: 'Open', currency: 'USD', businessUnit: 'US01' });
    expect(read.lines.map((l) => [l.lineNumber, l.quantity, l.unitPrice, l.coding.account])).toEqual([
      [1, 3, 1200, '8120'],
      [2, 3, 150, '8120'],
    ]);
    await client.purchaseOrders.upsert({ ...po, status: 'Closed', lines: po.lines.slice(0, 1) });
    expect(sandbox.purchaseOrder('PO-T-1')).toMatchObject({ status: 'Closed' });
    expect(sandbox.purchaseOrder('PO-T-1')?.lines).toHaveLength(1);
    const bySupplier = await client.purchaseOrders.list({ supplierNumber: 'V00002' }).toArray({ limit: 100 });
    expect(bySupplier.map((p) => p.poNumber)).toContain('PO-T-1');
    expect(bySupplier.every((p) => p.supplierNumber === 'V00002')).toBe(true);
    expect((await client.purchaseOrders.list().toArray({ limit: 1000 })).length).toBe(sandbox.purchaseOrders().length);
  });

  it('maps refusals: unknown supplier or inactive coding → ValidationError, CREATE twice → ConflictError, missing → NotFoundError', async () => {
    const { client } = setup();
    expect(isValidationError(await failure(client.purchaseOrders.upsert({ ...po, supplierNumber: 'NOPE' })))).toBe(true);
    expect(isValidationError(await failure(client.purchaseOrders.upsert({ ...po, lines: [{ ...po.lines[0]!, coding: { account: '9999', department: 'IT', project: 'P-100' } }] })))).toBe(true);
    await client.purchaseOrders.upsert(po, { operation: 'CREATE' });
    expect(isConflictError(await failure(client.purchaseOrders.upsert(po, { operation: 'CREATE' })))).toBe(true);
    expect(isNotFoundError(await failure(client.purchaseOrders.get('PO-NONE')))).toBe(true);
    await expect(client.purchaseOrders.upsert({ ...po, lines: [] })).rejects.toThrow(/at least one/);
  });
});
