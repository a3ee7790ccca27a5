import { describe, expect, it } from 'vitest';
import { edm, InvalidInputError, odataFilter, rawFilter } from '@ml-connector/core';

interface Address {
  city: string;
  countryRegionCode: string;
}
interface PurchaseLine {
  itemNo: string;
  quantity: number;
}
interface Vendor {
  id: string;
  number: string;
  displayName: string;
  balance: number;
  blocked: boolean;
  lastModifiedDateTime: string;
  createdAt: Date;
  address: Address;
  purchaseLines: PurchaseLine[];
  category: 'Domestic' | 'Foreign' | null;
}

const vendorFilter = (build: Parameters<typeof odataFilter<Vendor>>[0]) => odataFilter<Vendor>(build).text;

describe('odataFilter', () => {
  it('builds comparisons with inferred and explicit literals', () => {
    expect(vendorFilter((f) => f.eq('number', "V'1"))).toBe("number eq 'V''1'");
    expect(vendorFilter((f) => f.ne('blocked', true))).toBe('blocked ne true');
    expect(vendorFilter((f) => f.gt('balance', 10.5))).toBe('balance gt 10.5');
    expect(vendorFilter((f) => f.ge('lastModifiedDateTime', new Date(Date.UTC(2024, 0, 1))))).toBe(
      'lastModifiedDateTime ge 2024-01-01T00:00:00.000Z',
    );
    expect(vendorFilter((f) => f.lt('createdAt', new Date(Date.UTC(2024, 0, 1))))).toBe('createdAt lt 2024-01-01T00:00:00.000Z');
    expect(vendorFilter((f) => f.le('balance', edm.decimal('99.90')))).toBe('balance le 99.90');
    expect(vendorFilter((f) => f.eq('id', edm.guid('6f9619ff-8b86-d011-b42d-00c04fc964ff')))).toBe(
      'id eq 6f9619ff-8b86-d011-b42d-00c04fc964ff',
    );
    expect(vendorFilter((f) => f.eq('category', null))).toBe('category eq null');
    expect(vendorFilter((f) => f.eq('address/city', 'Oslo'))).toBe("address/city eq 'Oslo'");
  });

  it('parenthesises only where OData precedence requires', () => {
    expect(vendorFilter((f) => f.and(f.eq('number', 'V1'), f.or(f.eq('blocked', true), f.gt('balance', 0))))).toBe(
      "number eq 'V1' and (blocked eq true or balance gt 0)",
    );
    expect(vendorFilter((f) => f.or(f.and(f.eq('number', 'a'), f.eq('blocked', false)), f.eq('number', 'b')))).toBe(
      "number eq 'a' and blocked eq false or number eq 'b'",
    );
    expect(vendorFilter((f) => f.and(f.eq('number', 'a'), f.and(f.eq('balance', 1), f.eq('balance', 2))))).toBe(
      "number eq 'a' and balance eq 1 and balance eq 2",
    );
    expect(vendorFilter((f) => f.not(f.eq('blocked', true)))).toBe('not (blocked eq true)');
    expect(vendorFilter((f) => f.not(f.contains('displayName', 'x')))).toBe("not contains(displayName,'x')");
    expect(vendorFilter((f) => f.not(f.or(f.eq('balance', 1), f.eq('balance', 2))))).toBe('not (balance eq 1 or balance eq 2)');
    expect(vendorFilter((f) => f.and(f.eq('balance', 1)))).toBe('balance eq 1');
  });

  it('builds in, string functions, property operands and lambdas', () => {
    expect(vendorFilter((f) => f.in('number', ['V1', "V'2"]))).toBe("number in ('V1','V''2')");
    expect(vendorFilter((f) => f.startsWith('number', 'V-'))).toBe("startswith(number,'V-')");
    expect(vendorFilter((f) => f.endsWith(f.toUpper('displayName'), 'LTD'))).toBe("endswith(toupper(displayName),'LTD')");
    expect(vendorFilter((f) => f.eq(f.toLower('displayName'), 'contoso'))).toBe("tolower(displayName) eq 'contoso'");
    expect(vendorFilter((f) => f.gt(f.length(f.trim('displayName')), 3))).toBe('length(trim(displayName)) gt 3');
    expect(vendorFilter((f) => f.ne(f.indexOf('displayName', '&'), -1))).toBe("indexof(displayName,'&') ne -1");
    expect(vendorFilter((f) => f.ne('number', f.prop('displayName')))).toBe('number ne displayName');
    expect(vendorFilter((f) => f.any('purchaseLines'))).toBe('purchaseLines/any()');
    expect(vendorFilter((f) => f.any('purchaseLines', (line) => line.and(line.eq('itemNo', 'X'), line.gt('quantity', 1))))).toBe(
      "purchaseLines/any(x:x/itemNo eq 'X' and x/quantity gt 1)",
    );
    expect(vendorFilter((f) => f.and(f.all('purchaseLines', (line) => line.gt('quantity', 0)), f.eq('blocked', false)))).toBe(
      'purchaseLines/all(x:x/quantity gt 0) and blocked eq false',
    );
  });

  it('gives nested lambdas distinct variables', () => {
    const text = odataFilter((f) => f.any('orders', (order) => order.any('lines', (line) => line.eq('itemNo', 'A')))).text;
    expect(text).toBe("orders/any(x:x/lines/any(x1:x1/itemNo eq 'A'))");
  });

  it('accepts raw fragments only when marked raw, and always parenthesises them when combined', () => {
    const raw = rawFilter("Status eq Microsoft.Dynamics.DataEntities.Status'Open' or Status eq 1");
    expect(odataFilter(() => raw).text).toBe(raw.text);
    expect(vendorFilter((f) => f.and(f.eq('blocked', false), f.raw('a eq 1 or b eq 2')))).toBe('blocked eq false and (a eq 1 or b eq 2)');
    expect(vendorFilter((f) => f.not(raw))).toBe(`not (${raw.text})`);
    expect(() => vendorFilter((f) => f.and(f.eq('blocked', false), "a eq 1" as never))).toThrow(/rawFilter/);
    expect(() => odataFilter(() => 'number eq 1' as never)).toThrow(InvalidInputError);
    expect(() => rawFilter('  ')).toThrow(/non-empty/);
  });

  it('rejects bad input at runtime even when types are bypassed', () => {
    expect(() => odataFilter((f) => f.eq("number eq 'x' or 1" as never, 1))).toThrow(/not a property path/);
    expect(() => vendorFilter((f) => f.eq('balance', Number.NaN))).toThrow(/eq\(\) value NaN is not a finite number/);
    expect(() => vendorFilter((f) => f.in('number', []))).toThrow(/non-empty array/);
    expect(() => vendorFilter((f) => f.or())).toThrow(/at least one condition/);
    expect(() => vendorFilter((f) => f.all('purchaseLines', undefined as never))).toThrow(/predicate function/);
    expect(() => vendorFilter((f) => f.any('purchaseLines', () => 'x' as never))).toThrow(/any\(\) predicate result/);
  });

  it('checks property names and value types at compile time', () => {
    // These lines only need to compile (or fail to compile) under tsc; at runtime they are not run.
    const typeChecks = () => [
      // @ts-expect-error unknown property
      odataFilter<Vendor>((f) => f.eq('nmber', 'x')),
      // @ts-expect-error number property compared with a string
      odataFilter<Vendor>((f) => f.eq('balance', 'x')),
      // @ts-expect-error literal union property
      odataFilter<Vendor>((f) => f.eq('category', 'Other')),
      // @ts-expect-error string function on a number property
      odataFilter<Vendor>((f) => f.contains('balance', 'x')),
      // @ts-expect-error lambda over a non-collection
      odataFilter<Vendor>((f) => f.any('address')),
      // @ts-expect-error unknown nested property
      odataFilter<Vendor>((f) => f.eq('address/zip', 'x')),
      odataFilter<Vendor>((f) => f.eq('category', 'Foreign')),
      odataFilter<Vendor>((f) => f.eq(f.length('displayName'), 3)),
      // @ts-expect-error length() yields a number
      odataFilter<Vendor>((f) => f.eq(f.length('displayName'), 'three')),
    ];
    expect(typeof typeChecks).toBe('function');
  });
});
