import { describe, expect, it } from 'vitest';
import { appendKeyPredicate, edm, formatKeyPredicate, InvalidInputError } from '@ml-connector/core';

describe('key predicates', () => {
  it('formats single keys with literal rules', () => {
    expect(formatKeyPredicate('abc')).toBe("('abc')");
    expect(formatKeyPredicate("O'Neil")).toBe("('O''Neil')");
    expect(formatKeyPredicate(42)).toBe('(42)');
    expect(formatKeyPredicate(edm.guid('6f9619ff-8b86-d011-b42d-00c04fc964ff'))).toBe('(6f9619ff-8b86-d011-b42d-00c04fc964ff)');
  });

  it('formats composite keys in the given order', () => {
    expect(formatKeyPredicate({ dataAreaId: 'usmf', VendorAccountNumber: 'V-1' })).toBe(
      "(dataAreaId='usmf',VendorAccountNumber='V-1')",
    );
    expect(formatKeyPredicate({ Document_Type: edm.enum('NAV.Document_Type', 'Order'), No: '1001' })).toBe(
      "(Document_Type=NAV.Document_Type'Order',No='1001')",
    );
  });

  it('rejects empty or undefined key parts and bad property names', () => {
    expect(() => formatKeyPredicate('')).toThrow(/key is empty/);
    expect(() => formatKeyPredicate(undefined as never)).toThrow(InvalidInputError);
    expect(() => formatKeyPredicate({})).toThrow(/at least one key property/);
    expect(() => formatKeyPredicate({ dataAreaId: 'usmf', VendorAccountNumber: undefined as never })).toThrow(
      /key\.VendorAccountNumber is undefined/,
    );
    expect(() => formatKeyPredicate({ dataAreaId: null as never })).toThrow(InvalidInputError);
    expect(() => formatKeyPredicate({ "a='x'": 'y' })).toThrow(/not an identifier/);
  });

  it('appends an encoded key predicate to an entity set path', () => {
    expect(appendKeyPredicate('VendorsV2', { dataAreaId: 'usmf', VendorAccountNumber: 'V 1/#?%' })).toBe(
      "VendorsV2(dataAreaId='usmf',VendorAccountNumber='V%201%2F%23%3F%25')",
    );
    expect(appendKeyPredicate('companies(6f9619ff-8b86-d011-b42d-00c04fc964ff)/customers/', 'C&1')).toBe(
      "companies(6f9619ff-8b86-d011-b42d-00c04fc964ff)/customers('C%261')",
    );
    expect(() => appendKeyPredicate('', 'x')).toThrow(/entitySetPath/);
    expect(() => appendKeyPredicate('vendors?$top=1', 'x')).toThrow(/without "\?"/);
  });
});
