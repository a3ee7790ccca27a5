import { isConnectorError } from '@ml-connector/core';
import { DataError, isDataError, isStoreConflictError, StoreConflictError } from '@ml-connector/core/sync';
import { describe, expect, it } from 'vitest';

describe('sync errors', () => {
  it('are connector errors recognised by their guards', () => {
    const error = new DataError('missing-mapping', 'No account for GL code 9999', { field: 'lines[0].glCode' });
    expect(isConnectorError(error)).toBe(true);
    expect(isDataError(error)).toBe(true);
    expect(error.reason).toBe('missing-mapping');
    expect(error.field).toBe('lines[0].glCode');
    expect(isStoreConflictError(error)).toBe(false);
    expect(isStoreConflictError(new StoreConflictError('revision 3 expected, 4 found'))).toBe(true);
  });
});
