import { describe, expect, it } from 'vitest';
import { createNavClient } from '@ml-connector/nav';
import { NAV_SANDBOX_ACCESS_KEY, NAV_SANDBOX_USER } from '@ml-connector/nav/testing';
import { all, setup } from '../helpers.js';

describe.each(['v4', 'v3'] as const)('NAV client against the emulator over OData %s', (version) => {
  it('connects, lists vendors across server-driven pages and reads one by number', async () => {
    const { sandbox, nav } = setup({ maxPageSize: 7 }, { version });
    const connection = await nav.connect();
    expect(connection.version).toBe(version);
    const vendors = await all(nav.vendors.list());
    expect(vendors).toHaveLength(25);
    expect(vendors[0]).toMatchObject({ number: 'V00001', name: 'Acme Office Supply Inc.', blocked: '', paymentTermsCode: 'NET 30' });
    expect(vendors.map((v) => v.number)).toEqual(sandbox.table('Vendor').map((v) => v['No']));
    const one = await nav.vendors.get('V00007');
    expect(one.blocked).toBe('All');
    expect(one.etag).toMatch(/^W\/"/);
    expect(await all(nav.vendors.list({ where: { blocked: '' } }))).toHaveLength(24);
    expect((await all(nav.vendors.list({ where: { blocked: 'All' } }))).map((v) => v.number)).toEqual(['V00007']);
    expect(typeof one.lastModified).toBe('string');
  });

  it('creates, updates with If-Match and detects a stale ETag', async () => {
    const { sandbox, nav } = setup({}, { version });
    const created = await nav.vendors.create({ name: "O'Brien Tools", paymentTermsCode: 'NET 30', payToVendorNumber: 'V00001', email: 'ap@obrien.example' });
    expect(created.number).toBe('V00026');
    const updated = await nav.vendors.update(created.number, { blocked: 'Invoice', phone: '+1 555 0100' }, { etag: created.etag as string });
    expect(updated).toMatchObject({ blocked: 'Invoice', phone: '+1 555 0100' });
    expect(updated.etag).not.toBe(created.etag);
    await expect(nav.vendors.update(created.number, { blocked: '' }, { etag: created.etag as string })).rejects.toMatchObject({ name: 'ConflictError', status: 412 });
    expect(sandbox.table('Vendor').find((v) => v['No'] === 'V00026')).toMatchObject({ Blocked: 'Invoice', Pay_to_Vendor_No: 'V00001' });
    const children = await all(nav.vendors.listPayToChildren('V00001'));
    expect(children.map((c) => c.number)).toContain('V00026');
  });

  it('creates a purchase order with lines under composite keys and reads the lines back', async () => {
    const { nav } = setup({}, { version });
    const { header, lines } = await nav.purchaseOrders.create(
      { vendorNumber: 'V00002', vendorOrderNumber: 'PO-00001', documentDate: '2026-01-10', departmentCode: 'IT' },
      [
        { type: 'G/L Account', number: '8110', description: 'Paper', quantity: 3, directUnitCost: 12.5, departmentCode: 'ADM' },
        { type: 'G/L Account', number: '8130', description: 'Advice', quantity: 1, directUnitCost: 1000.25, projectCode: 'P-100' },
      ],
    );
    expect(header).toMatchObject({ documentType: 'Order', number: '106006', vendorName: 'Summit Office Supply LLC', dueDate: '2026-02-09' });
    expect(lines.map((l) => [l.lineNumber, l.lineAmount])).toEqual([[10000, 37.5], [20000, 1000.25]]);
    const read = await all(nav.purchaseOrders.lines.list(header.number));
    expect(read).toHaveLength(2);
    const again = await nav.purchaseOrders.get(header.number);
    expect(again.number).toBe(header.number);
    const added = await nav.purchaseOrders.lines.create(header.number, { type: 'G/L Account', number: '8140', quantity: 2, directUnitCost: 5 });
    expect(added.lineNumber).toBe(30000);
  });

  it('creates general journal lines for review; they stay unposted', async () => {
    const { sandbox, nav } = setup({}, { version });
    const line = await nav.generalJournalLines.create({
      journalTemplateName: 'GENERAL',
      journalBatchName: 'MLCONNECT',
      lineNumber: 10000,
      postingDate: '2026-01-15',
      documentNumber: 'INV-0000001',
      accountType: 'G/L Account',
      accountNumber: '8120',
      amount: 99.99,
      departmentCode: 'SALES',
      description: 'Review me',
    });
    expect(line).toMatchObject({ amount: 99.99, accountNumber: '8120', documentType: '' });
    const listed = await all(nav.generalJournalLines.list({ journalTemplateName: 'GENERAL', journalBatchName: 'MLCONNECT' }));
    expect(listed).toHaveLength(1);
    expect(sandbox.table('GenJournalLine')).toHaveLength(1);
    expect('post' in nav.generalJournalLines).toBe(false);
  });

  it('reads accounts, dimensions, dimension values and payment terms', async () => {
    const { nav } = setup({}, { version });
    const accounts = await all(nav.glAccounts.list());
    expect(accounts.map((a) => a.number)).toContain('8190');
    expect((await nav.glAccounts.get('8190')).blocked).toBe(true);
    expect((await all(nav.dimensions.list())).map((d) => d.code)).toEqual(['AREA', 'DEPARTMENT', 'PROJECT']);
    expect((await nav.dimensionValues.get('PROJECT', 'P-200')).name).toBe('Warehouse Expansion');
    expect(await all(nav.dimensionValues.list({ where: { dimensionCode: 'DEPARTMENT' } }))).toHaveLength(4);
    expect((await nav.paymentTerms.get('NET 30')).dueDateCalculation).toBe('30D');
  });
});

describe('default company', () => {
  it('works without Company(…) in the URL (the server picks its default company)', async () => {
    const { sandbox, nav } = setup();
    const defaultCompany = createNavClient({
      url: sandbox.url({ company: false }),
      auth: { kind: 'basic', username: NAV_SANDBOX_USER, password: NAV_SANDBOX_ACCESS_KEY },
      fetch: sandbox.fetch,
    });
    expect(defaultCompany.deployment.company).toBeUndefined();
    expect((await defaultCompany.vendors.get('V00001')).name).toBe((await nav.vendors.get('V00001')).name);
    const wrongCompany = createNavClient({ url: sandbox.url({ company: false }), company: 'Other Co', auth: { kind: 'basic', username: NAV_SANDBOX_USER, password: NAV_SANDBOX_ACCESS_KEY }, fetch: sandbox.fetch });
    await expect(wrongCompany.vendors.get('V00001')).rejects.toMatchObject({ name: 'ValidationError', vendorCode: 'Internal_CompanyNotFound' });
  });
});
