import { describe, expect, it } from 'vitest';
import { isInvalidInputError, isValidationError } from '@ml-connector/core';
import { isNavMetadataMismatchError } from '@ml-connector/nav';
import { all, setup } from '../helpers.js';

const CONTACTS = { contacts: {}, contactBusinessRelations: {} } as const;

describe.each(['v4', 'v3'] as const)('contacts and shortcut dimensions 3–8 over OData %s', (version) => {
  it('contacts are opt-in: not checked or usable until enabled; enabled, an instance without the page fails the check', async () => {
    const { nav } = setup({ pages: { contactCard: false } }, { version });
    await nav.connect();
    await expect(nav.contacts.get('CT000101')).rejects.toSatisfy(isInvalidInputError);
    await expect(nav.contacts.get('CT000101')).rejects.toThrow(/opt-in service/);
    const { nav: enabled } = setup({ pages: { contactCard: false } }, { version, services: CONTACTS });
    const error = await enabled.connect().catch((e: unknown) => e);
    expect(isNavMetadataMismatchError(error)).toBe(true);
    expect((error as { problems: { kind: string; service: string }[] }).problems).toEqual([expect.objectContaining({ kind: 'missing-entity-set', service: 'contacts' })]);
  });

  it("reads a vendor's primary contact and company contact, adds a person and makes it the primary contact", async () => {
    const { nav, sandbox } = setup({}, { version, services: CONTACTS });
    const vendor = await nav.vendors.get('V00004');
    expect(vendor.primaryContactNumber).toBe('CT000104');
    const primary = await nav.contacts.get('CT000104');
    expect(primary).toMatchObject({ type: 'Person', name: vendor.contact, companyNumber: 'CT000004', companyName: vendor.name });
    expect(await nav.contacts.companyContactOfVendor('V00004')).toBe('CT000004');
    const person = await nav.contacts.create({ type: 'Person', name: 'Ana Lopez', companyNumber: 'CT000004', email: 'ana@example.test' });
    expect(person.number).toMatch(/^CT\d{6}$/);
    expect(person).toMatchObject({ companyName: vendor.name, lastModifiedDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    const updated = await nav.vendors.update('V00004', { primaryContactNumber: person.number }, { etag: vendor.etag! });
    expect(updated).toMatchObject({ primaryContactNumber: person.number, contact: 'Ana Lopez' });
    // A person of another vendor is refused, as NAV does.
    const error = await nav.vendors.update('V00004', { primaryContactNumber: 'CT000105' }, { etag: updated.etag! }).catch((e: unknown) => e);
    expect(isValidationError(error)).toBe(true);
    expect((error as Error).message).toMatch(/not related to vendor V00004/);
    // A new vendor gets its company contact and business relation (Marketing Setup's Bus. Rel. Code for Vendors).
    const created = await nav.vendors.create({ name: 'Brand New Supplies' });
    const company = await nav.contacts.companyContactOfVendor(created.number);
    expect(sandbox.table('Contact').find((row) => row['No'] === company)).toMatchObject({ Type: 'Company', Name: 'Brand New Supplies' });
    const people = await all(nav.contacts.list({ where: { companyNumber: 'CT000004', type: 'Person' } }));
    expect(people.map((p) => p.number)).toEqual(['CT000104', person.number]);
  });

  it('writes shortcut dimension 3 on purchase lines, checked against General Ledger Setup; 4–8 unset refuse values', async () => {
    const { nav } = setup({}, { version });
    const { header, lines } = await nav.purchaseOrders.create({ vendorNumber: 'V00002', vendorOrderNumber: 'PO-DIM-1' }, [
      { type: 'G/L Account', number: '8110', description: 'Paper', quantity: 1, directUnitCost: 10, departmentCode: 'ADM', shortcutDimension3Code: '30' },
    ]);
    expect(lines[0]).toMatchObject({ departmentCode: 'ADM', shortcutDimension3Code: '30' });
    const read = await all(nav.purchaseOrders.lines.list(header.number));
    expect(read[0]?.shortcutDimension3Code).toBe('30');
    const unknown = await nav.purchaseOrders.lines.create(header.number, { type: 'G/L Account', number: '8110', quantity: 1, directUnitCost: 1, shortcutDimension3Code: '99' }).catch((e: unknown) => e);
    expect((unknown as Error).message).toMatch(/dimension value 99 has not been set up for dimension AREA/);
    const unset = await nav.purchaseOrders.lines.create(header.number, { type: 'G/L Account', number: '8110', quantity: 1, directUnitCost: 1, shortcutDimension4Code: 'X' }).catch((e: unknown) => e);
    expect(isValidationError(unset)).toBe(true);
    expect((unset as Error).message).toMatch(/Shortcut Dimension 4 Code is not set up/);
  });
});
