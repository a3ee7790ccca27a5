import { afterEach, describe, expect, it } from 'vitest';
import { isInvalidInputError } from '@ml-connector/core';
import { ReadOnlyEntityError, isReadOnlyEntityError } from '@ml-connector/business-central';
import { type Harness, createHarness } from './helpers.js';

let h: Harness;
afterEach(() => h?.sandbox.close());

describe('read-only entity sets', () => {
  it('lists and gets accounts, dimensions and dimension values', async () => {
    h = createHarness();
    const company = h.client.company(h.sandbox.companyId);
    const accounts = await company.accounts.list().toArray({ limit: 100 });
    expect(accounts.length).toBeGreaterThan(3);
    expect(await company.accounts.get(accounts[0]!.id)).toMatchObject({ number: accounts[0]!.number });
    const dimensions = await company.dimensions.list().toArray({ limit: 100 });
    expect(dimensions.map((d) => d.code)).toContain('DEPARTMENT');
    const values = await company.dimensionValues.list({ filter: (f) => f.eq('dimensionId', dimensions[0]!.id) }).toArray({ limit: 100 });
    expect(values.length).toBeGreaterThan(0);
    expect(await company.dimensionValues.get(values[0]!.id)).toMatchObject({ code: values[0]!.code });
    expect(await company.dimensions.listModifiedSince('2999-01-01T00:00:00Z').toArray({ limit: 5 })).toEqual([]);
  });

  it('refuses writes client-side with ReadOnlyEntityError and sends nothing', async () => {
    h = createHarness();
    const company = h.client.company(h.sandbox.companyId);
    const attempts = [
      () => company.accounts.create({ number: '9999' }),
      () => company.accounts.update('6f9619ff-8b86-d011-b42d-00c04fc964ff', {}, { etag: '*' }),
      () => company.dimensions.delete('6f9619ff-8b86-d011-b42d-00c04fc964ff'),
      () => company.dimensionValues.create({ code: 'X' }),
      () => (h.client.companies as unknown as { create(): Promise<never> }).create(),
    ];
    for (const attempt of attempts) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ReadOnlyEntityError);
      expect(isReadOnlyEntityError(error)).toBe(true);
      expect(isInvalidInputError(error)).toBe(true);
      expect((error as Error).message).toMatch(/read-only/);
    }
    expect(h.requests).toHaveLength(0);
  });
});
