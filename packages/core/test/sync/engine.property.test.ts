import { createMemorySyncStore } from '@ml-connector/core/sync';
import { describe, it } from 'vitest';
import { checkLedgerProperty } from './engine-property.js';

describe('sync engine: property (memory store)', () => {
  it('always ends with exactly one target document per source record at its latest version, along allowed ledger edges', async () => {
    await checkLedgerProperty(async () => createMemorySyncStore(), 60);
  });
});
