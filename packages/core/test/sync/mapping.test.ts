import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidInputError, isConnectorError } from '@ml-connector/core';
import {
  createMappingSet,
  DataError,
  defineCrosswalk,
  isDataError,
  isMissingMappingError,
  loadCrosswalkCsv,
  loadCrosswalkJson,
  loadMappingSet,
  MissingMappingError,
  parseCrosswalkCsv,
  parseCrosswalkJson,
  STANDARD_CROSSWALK_NAMES,
} from '@ml-connector/core/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const glAccounts = defineCrosswalk({
  name: 'gl-account',
  version: '2026-11-01',
  entries: [
    { key: '6000', value: { account: '8110' } },
    { key: '6100', value: { account: '8120' } },
  ],
});
const coding = defineCrosswalk({
  name: 'coding-dimension',
  version: '3',
  caseSensitive: false,
  entries: [{ key: ' adm ', value: { dimension: 'DEPARTMENT', value: 'ADM' } }],
});
const suppliers = defineCrosswalk({ name: 'supplier-vendor', version: '1', fallback: 'identity', entries: [{ key: 'S-1', value: 'V00001' }] });
const units = defineCrosswalk({ name: 'unit-of-measure', version: '1', fallback: { default: 'PCS' }, entries: [{ key: 'EA', value: 'PCS' }] });

describe('createMappingSet lookups', () => {
  const set = createMappingSet({ tables: [glAccounts, coding, suppliers, units] });

  it('returns records and strings, with trimming and case rules applied', () => {
    expect(set.lookupRecord('gl-account', '6000')).toEqual({ account: '8110' });
    expect(set.lookupRecord('gl-account', ' 6100\t')).toEqual({ account: '8120' });
    expect(set.lookupRecord('coding-dimension', 'Adm')).toEqual({ dimension: 'DEPARTMENT', value: 'ADM' });
    expect(set.lookupString('supplier-vendor', 'S-1')).toBe('V00001');
    expect(set.names).toEqual(['coding-dimension', 'gl-account', 'supplier-vendor', 'unit-of-measure']);
    expect(STANDARD_CROSSWALK_NAMES).toContain('gl-account');
  });

  it('applies the fallback: identity returns the key, a default returns the default, error throws', () => {
    expect(set.lookupString('supplier-vendor', ' V00099 ')).toBe('V00099');
    expect(set.lookupString('unit-of-measure', 'BOX')).toBe('PCS');
    expect(set.find('gl-account', '9999')).toBeUndefined();
    expect(() => set.lookup('gl-account', '9999', { field: 'lines[1].glCode' })).toThrow(MissingMappingError);
  });

  it('throws MissingMappingError, a DataError with reason missing-mapping naming table, key, field and fix', () => {
    let error: unknown;
    try {
      set.lookup('gl-account', '9999', { field: 'lines[1].glCode' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DataError);
    expect(isDataError(error) && isMissingMappingError(error) && isConnectorError(error)).toBe(true);
    const missing = error as MissingMappingError;
    expect(missing.reason).toBe('missing-mapping');
    expect(missing.field).toBe('lines[1].glCode');
    expect(missing.table).toBe('gl-account');
    expect(missing.key).toBe('9999');
    expect(missing.message).toBe(
      'No mapping for "9999" in crosswalk table "gl-account" (field lines[1].glCode): add a row for "9999" to the "gl-account" table, then replay the record',
    );
  });

  it('refuses unknown tables and kind mismatches as configuration errors', () => {
    expect(() => set.lookup('tax-code', 'X')).toThrow(InvalidInputError);
    expect(() => set.lookup('tax-code', 'X')).toThrow(/add the file tax-code\.csv or tax-code\.json/);
    expect(() => set.lookupString('gl-account', '6000')).toThrow(/use lookupRecord/);
    expect(() => set.lookupRecord('supplier-vendor', 'S-1')).toThrow(/use lookupString/);
    expect(() => createMappingSet({ tables: [glAccounts, glAccounts] })).toThrow(/Two crosswalk tables are named "gl-account"/);
  });

  it('has a stable version over names, versions and entries, whatever the order', () => {
    const again = createMappingSet({ tables: [units, suppliers, coding, glAccounts] });
    expect(again.version).toBe(set.version);
    expect(set.version).toMatch(/^[0-9a-f]{64}$/);
    const reordered = defineCrosswalk({ ...glAccountsDefinition(), entries: [...glAccountsDefinition().entries].reverse() });
    expect(createMappingSet({ tables: [reordered, coding, suppliers, units] }).version).toBe(set.version);
    const bumped = defineCrosswalk({ ...glAccountsDefinition(), version: '2026-11-02' });
    expect(createMappingSet({ tables: [bumped, coding, suppliers, units] }).version).not.toBe(set.version);
    const changed = defineCrosswalk({ ...glAccountsDefinition(), entries: [{ key: '6000', value: { account: '8111' } }, { key: '6100', value: { account: '8120' } }] });
    expect(createMappingSet({ tables: [changed, coding, suppliers, units] }).version).not.toBe(set.version);
  });
});

function glAccountsDefinition() {
  return {
    name: 'gl-account',
    version: '2026-11-01',
    entries: [
      { key: '6000', value: { account: '8110' } },
      { key: '6100', value: { account: '8120' } },
    ],
  };
}

describe('defineCrosswalk', () => {
  it('rejects conflicting duplicates (never last-wins) and accepts identical repeats', () => {
    expect(() =>
      defineCrosswalk({ name: 'currency', version: '1', entries: [{ key: 'EUR', value: 'EUR' }, { key: 'EUR ', value: 'USD' }] }),
    ).toThrow(/entries\[1\]: key "EUR " is already mapped by entries\[0\] to "EUR", here to "USD"; keep one row/);
    expect(() =>
      defineCrosswalk({ name: 'currency', version: '1', caseSensitive: false, entries: [{ key: 'eur', value: 'EUR' }, { key: 'EUR', value: 'USD' }] }),
    ).toThrow(/ignoring case/);
    const repeated = defineCrosswalk({ name: 'currency', version: '1', entries: [{ key: 'EUR', value: 'EUR' }, { key: 'EUR', value: 'EUR' }] });
    expect(repeated.entries.size).toBe(1);
  });

  it('keeps white space when trim is false and tells empty keys, values and bad names apart', () => {
    const raw = defineCrosswalk({ name: 'tax-code', version: '1', trim: false, entries: [{ key: ' A', value: 'X ' }] });
    expect(createMappingSet({ tables: [raw] }).lookupString('tax-code', ' A')).toBe('X ');
    expect(createMappingSet({ tables: [raw] }).find('tax-code', 'A')).toBeUndefined();
    expect(() => defineCrosswalk({ name: 'tax-code', version: '1', entries: [{ key: '  ', value: 'X' }] })).toThrow(/the key is empty/);
    expect(() => defineCrosswalk({ name: 'tax-code', version: '1', entries: [{ key: 'A', value: { code: '' } }] })).toThrow(/code is empty/);
    expect(() => defineCrosswalk({ name: 'tax code!', version: '1', entries: [] })).toThrow(InvalidInputError);
    expect(() => defineCrosswalk({ name: 'tax-code', version: '', entries: [] })).toThrow(/needs a non-empty version/);
  });
});

describe('parseCrosswalkJson', () => {
  it('reads version, rules and rows', () => {
    const table = parseCrosswalkJson(
      JSON.stringify({ name: 'payment-terms', version: '7', caseSensitive: false, fallback: { default: '30 DAYS' }, entries: [{ key: 'net30', value: '30 DAYS' }] }),
      { name: 'payment-terms' },
    );
    const set = createMappingSet({ tables: [table] });
    expect(set.lookupString('payment-terms', 'NET30')).toBe('30 DAYS');
    expect(set.lookupString('payment-terms', 'NET45')).toBe('30 DAYS');
    expect(table.version).toBe('7');
  });

  it('names the field or the line at fault', () => {
    const bad = (text: string) => () => parseCrosswalkJson(text, { name: 'currency', source: 'mappings/currency.json' });
    expect(bad('{"version":"1","entries":[{"key":"EUR","value":"EUR"},{"key":"USD","value":5}]}')).toThrow(/mappings\/currency\.json: entries\[1\]\.value: /);
    expect(bad('{"version":"1","entries":[],"extra":true}')).toThrow(InvalidInputError);
    expect(bad('{\n  "version": "1",\n  "entries": [\n    {"key": "EUR" "value": "EUR"}\n  ]\n}')).toThrow(/not valid JSON: .*line 4/);
    expect(bad('{"name":"currencies","version":"1","entries":[]}')).toThrow(/"name" is "currencies"/);
    expect(bad('{"version":"1","entries":[{"key":"EUR","value":"EUR"},{"key":"EUR","value":"USD"}]}')).toThrow(/entries\[1\]: key "EUR" is already mapped/);
  });
});

describe('parseCrosswalkCsv', () => {
  it('reads records or strings from chosen columns; quotes, commas, line breaks and a BOM survive', () => {
    const text = '\uFEFFglCode,account,note\r\n6000,8110,"rent, office"\r\n"6,100","81""20","two\nlines"\r\n\r\n';
    const records = parseCrosswalkCsv(text, { name: 'gl-account', keyColumn: 'glCode', valueColumns: ['account', 'note'] });
    const set = createMappingSet({ tables: [records] });
    expect(set.lookupRecord('gl-account', '6000')).toEqual({ account: '8110', note: 'rent, office' });
    expect(set.lookupRecord('gl-account', '6,100')).toEqual({ account: '81"20', note: 'two\nlines' });
    const strings = parseCrosswalkCsv(text, { name: 'gl-account', keyColumn: 'glCode', valueColumns: 'account' });
    expect(createMappingSet({ tables: [strings] }).lookupString('gl-account', '6000')).toBe('8110');
    expect(strings.version).toMatch(/^sha256:[0-9a-f]{16}$/);
  });

  it('names the line and the column at fault', () => {
    const bad = (text: string, options = {}) => () => parseCrosswalkCsv(text, { name: 'currency', source: 'currency.csv', ...options });
    expect(bad('key,value\nEUR,EUR\nUSD,USD,extra\n')).toThrow(/currency\.csv: line 3: not valid CSV/);
    expect(bad('key,value\nEUR,EUR\nEUR,USD\n')).toThrow('currency.csv line 3: key "EUR" is already mapped by line 2 to "EUR", here to "USD"; keep one row');
    expect(bad('key,value\nEUR,\n')).toThrow(/line 2.*empty/);
    expect(bad('code,value\nEUR,EUR\n')).toThrow(/no key column "key" \(columns: code, value\)/);
    expect(bad('key,value\nEUR,EUR\n', { valueColumns: ['target'] })).toThrow(/no value column "target"/);
    expect(bad('key,key\nEUR,EUR\n')).toThrow(/names column "key" twice/);
    expect(bad('')).toThrow(/the file is empty/);
    expect(bad('key,value\n"EUR,EUR\n')).toThrow(InvalidInputError);
  });
});

describe('loadMappingSet', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlc-mapping-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads every .json and .csv file of a directory, named after the file; the error names the file to fix', async () => {
    await writeFile(join(dir, 'gl-account.csv'), 'key,account\n6000,8110\n');
    await writeFile(join(dir, 'currency.json'), JSON.stringify({ version: '1', entries: [{ key: 'EUR', value: 'EUR' }] }));
    await writeFile(join(dir, 'coding-dimension.csv'), 'segment,dimension,value\nADM,DEPARTMENT,ADM\n');
    await writeFile(join(dir, 'unit-of-measure.csv'), 'key,value\nEA,PCS\n');
    await writeFile(join(dir, 'README.md'), '# not a table');
    const set = await loadMappingSet(dir, { csv: { 'coding-dimension': { keyColumn: 'segment' } }, require: ['gl-account'] });
    expect(set.names).toEqual(['coding-dimension', 'currency', 'gl-account', 'unit-of-measure']);
    expect(set.lookupString('unit-of-measure', 'EA')).toBe('PCS');
    expect(set.lookupRecord('gl-account', '6000')).toEqual({ account: '8110' });
    expect(set.lookupRecord('coding-dimension', 'ADM')).toEqual({ dimension: 'DEPARTMENT', value: 'ADM' });
    expect(set.lookupString('currency', 'EUR')).toBe('EUR');
    expect(() => set.lookup('gl-account', '7000', { field: 'lines[0].glCode' })).toThrow(
      `add a row for "7000" to the file ${join(dir, 'gl-account.csv')}`,
    );
  });

  it('reads single files, named after the file unless told otherwise', async () => {
    await writeFile(join(dir, 'tax-code.csv'), 'code,target\nVAT20,S\n');
    await writeFile(join(dir, 'terms.json'), JSON.stringify({ version: '2', entries: [{ key: 'N30', value: '30 DAYS' }] }));
    const tax = await loadCrosswalkCsv(join(dir, 'tax-code.csv'), { keyColumn: 'code', valueColumns: 'target' });
    const terms = await loadCrosswalkJson(join(dir, 'terms.json'), { name: 'payment-terms' });
    const set = createMappingSet({ tables: [tax, terms] });
    expect(set.lookupString('tax-code', 'VAT20')).toBe('S');
    expect(set.lookupString('payment-terms', 'N30')).toBe('30 DAYS');
    expect(tax.source).toBe(join(dir, 'tax-code.csv'));
    await expect(loadCrosswalkCsv(join(dir, 'missing.csv'))).rejects.toThrow(/Cannot read the crosswalk file .*missing\.csv: ENOENT/);
  });

  it('refuses two files for one table, a missing required table and a missing directory', async () => {
    await writeFile(join(dir, 'currency.csv'), 'key,value\nEUR,EUR\n');
    await expect(loadMappingSet(dir, { require: ['gl-account'] })).rejects.toThrow(/has no gl-account\.csv or gl-account\.json/);
    await writeFile(join(dir, 'currency.json'), JSON.stringify({ version: '1', entries: [] }));
    await expect(loadMappingSet(dir)).rejects.toThrow(/define the crosswalk "currency"; keep one/);
    await expect(loadMappingSet(join(dir, 'nope'))).rejects.toThrow(/Cannot read the mapping directory .*ENOENT/);
  });
});
