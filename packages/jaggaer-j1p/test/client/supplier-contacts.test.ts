import { describe, expect, it } from 'vitest';
import { isInvalidInputError } from '@ml-connector/core';
import { failure, setup } from './helpers.js';

describe('supplier contacts and payment terms', () => {
  it('reads the super user as the main contact, sub users only with includeContacts, and the payment terms', async () => {
    const { client, sandbox } = setup();
    const seeded = sandbox.supplier('V00003')!;
    const plain = await client.suppliers.get('V00003');
    expect(plain.primaryContact).toEqual({ firstName: seeded.superUser?.name, lastName: seeded.superUser?.surname, email: seeded.superUser?.email, phone: seeded.superUser?.phone });
    expect(plain.paymentTermsCode).toBe('Net 30');
    expect(plain.contacts).toBeUndefined();
    const full = await client.suppliers.get('V00003', { includeContacts: true });
    expect(full.contacts).toEqual([{ firstName: 'Accounts', lastName: 'Receivable', email: expect.stringMatching(/^ar@/), login: 'ar.3', userId: '90003' }]);
    expect((await client.suppliers.get('V00006')).paymentTermsCode).toBe('Net 14');
  });

  it('writes the main contact field by field, clears with an empty string, and sends the payment terms under the configured field', async () => {
    const { client, sandbox } = setup({ supplierPaymentTermsField: 'paymentTerms' }, { supplierPaymentTermsField: 'paymentTerms' });
    await client.suppliers.upsert({ supplierNumber: 'V00002', phone: '+1 555 0000', primaryContact: { firstName: 'Zoe', email: 'zoe@example.test', phone: '' }, paymentTermsCode: 'COD' });
    const stored = sandbox.supplier('V00002')!;
    expect(stored.superUser).toMatchObject({ name: 'Zoe', email: 'zoe@example.test' });
    expect(stored.superUser?.phone).toBeUndefined();
    expect(stored.superUser?.surname).toBeDefined(); // left out: unchanged
    expect(stored).toMatchObject({ bizPhone: '+1 555 0000', paymentTermsCode: 'COD' });
    const read = await client.suppliers.get('V00002');
    expect(read.raw).toHaveProperty('paymentTerms', 'COD');
    expect(read).toMatchObject({ phone: '+1 555 0000', paymentTermsCode: 'COD', primaryContact: { firstName: 'Zoe' } });
    // A client configured with the default field does not see the tenant's field.
    const { client: other } = setup({ supplierPaymentTermsField: 'paymentTerms' });
    expect((await other.suppliers.get('V00002')).paymentTermsCode).toBeUndefined();
  });

  it('refuses a bad payment terms field name and a non-object contact before sending', async () => {
    expect(() => setup({}, { supplierPaymentTermsField: 'payment terms' })).toThrow(/supplierPaymentTermsField/);
    const { client } = setup();
    expect(isInvalidInputError(await failure(client.suppliers.upsert({ supplierNumber: 'V00001', primaryContact: 'Zoe' as never })))).toBe(true);
  });
});
