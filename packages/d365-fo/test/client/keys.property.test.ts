import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHarness } from '../helpers.js';

// Any vendor account text (quotes, spaces, #, %, /, ?, unicode) survives the client's key predicate and
// filter escaping and the emulator's parsing: the record created is the record read back and found.
const accountText = fc
  .string({ unit: fc.constantFrom('A', 'b', '7', "'", ' ', '#', '%', '/', '?', '&', '+', 'é', '(', ')', ',', '='), minLength: 1, maxLength: 12 })
  .filter((s) => s.trim() === s && s.trim() !== '' && !s.includes('*'));

describe('composite keys and filters (property)', () => {
  it('round-trips arbitrary business keys through create, get and filter', async () => {
    const h = createHarness();
    const vendors = h.client.legalEntity('usmf').vendors;
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(accountText, async (account) => {
        if (seen.has(account.toLowerCase())) return;
        seen.add(account.toLowerCase());
        await vendors.create({ VendorAccountNumber: account, VendorOrganizationName: `Name ${account}`, VendorGroupId: '10', CurrencyCode: 'USD' });
        expect((await vendors.get({ VendorAccountNumber: account })).VendorAccountNumber).toBe(account);
        const found = await vendors.list({ filter: (f) => f.eq('VendorAccountNumber', account) }).toArray({ limit: 5 });
        expect(found.map((v) => v.VendorAccountNumber)).toEqual([account]);
      }),
      { numRuns: 60 },
    );
  });
});
