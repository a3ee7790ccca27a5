import { describe, expect, it } from 'vitest';
import { isConflictError, isInvalidInputError, isValidationError } from '@ml-connector/core';
import { createJaggaerSandbox } from '@ml-connector/jaggaer-j1p/testing';
import { failure, setup } from './helpers.js';

describe('catalog items', () => {
  it('creates, updates and leaves unchanged items by item number, and lists them with filters', async () => {
    const { sandbox, client } = setup();
    const first = await client.catalogItems.upsert([
      { itemNumber: 'ITEM-1', description: 'Stapler', unitOfMeasure: 'EA', price: { amount: 12.5, currency: 'USD' }, category: 'Office supplies', supplierNumber: 'V00001' },
      { itemNumber: 'ITEM-2', description: 'Paper', unitOfMeasure: 'BOX', price: { amount: 30, currency: 'USD' } },
    ]);
    expect(first).toEqual({ total: 2, created: 2, updated: 0, unchanged: 0 });
    const second = await client.catalogItems.upsert([
      { itemNumber: 'item-1', description: 'Stapler', unitOfMeasure: 'EA', price: { amount: 12.5, currency: 'USD' } },
      { itemNumber: 'ITEM-2', active: false },
    ]);
    expect(second).toEqual({ total: 2, created: 0, updated: 1, unchanged: 1 });
    expect(sandbox.catalogItems().find((item) => item.itemNumber === 'ITEM-1')).toMatchObject({ supplierNumber: 'V00001', category: 'Office supplies' });
    const inactive = await client.catalogItems.list({ active: false }).toArray({ limit: 10 });
    expect(inactive.map((item) => [item.itemNumber, item.price, item.currency, item.active])).toEqual([['ITEM-2', 30, 'USD', false]]);
    // Kept across a restart (snapshot → data).
    const restored = createJaggaerSandbox({ data: JSON.parse(JSON.stringify(sandbox.snapshot())) });
    expect(restored.catalogItems()).toEqual(sandbox.catalogItems());
  });

  it('refuses incomplete new items, unknown suppliers and CREATE of an existing item (whole batch), and bad input before sending', async () => {
    const { sandbox, client } = setup();
    const incomplete = await failure(client.catalogItems.upsert([{ itemNumber: 'ITEM-9', description: 'No price' }]));
    expect(isValidationError(incomplete) && /required to create item ITEM-9/.test((incomplete as Error).message)).toBe(true);
    const supplier = await failure(client.catalogItems.upsert([
      { itemNumber: 'ITEM-7', description: 'Ok', unitOfMeasure: 'EA', price: { amount: 1, currency: 'USD' } },
      { itemNumber: 'ITEM-8', description: 'X', unitOfMeasure: 'EA', price: { amount: 1, currency: 'USD' }, supplierNumber: 'NOPE' },
    ]));
    expect((supplier as Error).message).toMatch(/supplier NOPE does not exist/);
    expect(sandbox.catalogItems().some((item) => item.itemNumber === 'ITEM-7')).toBe(false); // all or nothing
    await client.catalogItems.upsert([{ itemNumber: 'ITEM-7', description: 'Ok', unitOfMeasure: 'EA', price: { amount: 1, currency: 'USD' } }]);
    expect(isConflictError(await failure(client.catalogItems.upsert([{ itemNumber: 'ITEM-7', description: 'Again' }], { operation: 'CREATE' })))).toBe(true);
    const before = sandbox.stats().byRoute.catalogItems ?? 0;
    expect(isInvalidInputError(await failure(client.catalogItems.upsert([{ itemNumber: 'A', price: { amount: -1, currency: 'USD' } }])))).toBe(true);
    expect(isInvalidInputError(await failure(client.catalogItems.upsert([{ itemNumber: 'A' }, { itemNumber: 'a' }])))).toBe(true);
    expect(isInvalidInputError(await failure(client.catalogItems.upsert([{ itemNumber: 'A', price: { amount: 1, currency: 'usd' } }])))).toBe(true);
    expect(sandbox.stats().byRoute.catalogItems ?? 0).toBe(before);
  });
});
