import { describe, expect, it } from 'vitest';
import { buildODataQuery, edm, InvalidInputError, odataQuery, rawFilter } from '@ml-connector/core';

interface PurchaseLine {
  itemNo: string;
  quantity: number;
  item: { number: string; displayName: string };
}
interface PurchaseOrder {
  number: string;
  vendorNumber: string;
  orderDate: string;
  totalAmount: number;
  purchaseOrderLines: PurchaseLine[];
  vendor: { number: string; displayName: string } | null;
}

describe('odataQuery', () => {
  it('serialises every option in a stable order with readable OData punctuation', () => {
    const query = odataQuery<PurchaseOrder>()
      .param('company', 'CRONUS USA, Inc.')
      .top(10)
      .filter((f) => f.eq('vendorNumber', "V&1 'x' #2+3%?"))
      .orderBy('orderDate', 'desc')
      .orderBy('number')
      .select('number', 'orderDate')
      .skip(20)
      .count()
      .expand('vendor', (vendor) => vendor.select('displayName'))
      .skipToken("'V-100'");
    expect(query.toString()).toBe(
      '$select=number,orderDate&$expand=vendor($select=displayName)' +
        "&$filter=vendorNumber%20eq%20'V%261%20''x''%20%232%2B3%25%3F'" +
        '&$orderby=orderDate%20desc,number&$top=10&$skip=20&$count=true' +
        "&$skiptoken='V-100'&company=CRONUS%20USA,%20Inc.",
    );
    const params = query.toSearchParams();
    expect(params.get('$filter')).toBe("vendorNumber eq 'V&1 ''x'' #2+3%?'");
    expect(params.get('company')).toBe('CRONUS USA, Inc.');
    expect(new URLSearchParams(query.toString()).get('$filter')).toBe(params.get('$filter'));
  });

  it('nests $expand options with ";" and recursive expands', () => {
    const query = odataQuery<PurchaseOrder>().expand('purchaseOrderLines', (lines) =>
      lines
        .select('itemNo', 'quantity')
        .filter((f) => f.gt('quantity', 0))
        .orderBy('itemNo')
        .top(5)
        .expand('item', (item) => item.select('displayName')),
    );
    expect(query.toSearchParams().get('$expand')).toBe(
      'purchaseOrderLines($select=itemNo,quantity;$expand=item($select=displayName);$filter=quantity gt 0;$orderby=itemNo;$top=5)',
    );
    expect(odataQuery<PurchaseOrder>().expand('vendor').expand('purchaseOrderLines').toString()).toBe('$expand=vendor,purchaseOrderLines');
    expect(() => odataQuery().expand('lines', (q) => q.skipToken('x'))).toThrow(/cannot contain \$skiptoken/);
  });

  it('is immutable: every method returns a new builder', () => {
    const base = odataQuery<PurchaseOrder>().select('number');
    const first = base.top(1);
    const second = base.filter((f) => f.eq('number', 'A')).filter((f) => f.eq('vendorNumber', 'B'));
    expect(base.toString()).toBe('$select=number');
    expect(first.toString()).toBe('$select=number&$top=1');
    expect(second.toSearchParams().get('$filter')).toBe("number eq 'A' and vendorNumber eq 'B'");
    expect(base.select('number', 'orderDate').select('number').toSearchParams().get('$select')).toBe('number,orderDate');
  });

  it('combines repeated filters with and, parenthesising or and raw fragments', () => {
    const query = odataQuery()
      .filter((f) => f.or(f.eq('a', 1), f.eq('b', 2)))
      .filter(rawFilter('c eq 3 or d eq 4'));
    expect(query.toSearchParams().get('$filter')).toBe('(a eq 1 or b eq 2) and (c eq 3 or d eq 4)');
  });

  it('validates $top, $skip, parameters and filters', () => {
    for (const bad of [-1, 1.5, Number.NaN, Infinity, '5' as never]) {
      expect(() => odataQuery().top(bad)).toThrow(InvalidInputError);
      expect(() => odataQuery().skip(bad)).toThrow(/\$skip must be a non-negative integer/);
    }
    expect(odataQuery().top(0).toString()).toBe('$top=0');
    expect(() => odataQuery().param('$top', '5')).toThrow(/with its own method/);
    expect(() => odataQuery().param('', 'x')).toThrow(/non-empty/);
    expect(() => odataQuery().filter('a eq 1' as never)).toThrow(/rawFilter/);
    expect(() => odataQuery().orderBy('a', 'up' as never)).toThrow(/"asc" or "desc"/);
    expect(() => odataQuery().select('a,b' as never)).toThrow(/not a property path/);
    expect(() => odataQuery().search('\uDC00').toString()).toThrow(/unpaired UTF-16 surrogate/);
  });

  it('supports $search, extra parameters, $format-like options and toUrl', () => {
    const query = odataQuery().search('"blue chair" OR red').param('cross-company', true).param('$format', 'json');
    expect(query.toString()).toBe('$search=%22blue%20chair%22%20OR%20red&cross-company=true&$format=json');
    expect(query.param('cross-company', false).toSearchParams().get('cross-company')).toBe('false');
    expect(odataQuery().top(1).toUrl('vendors')).toBe('vendors?$top=1');
    expect(odataQuery().top(1).toUrl('vendors?company=X')).toBe('vendors?company=X&$top=1');
    expect(odataQuery().toUrl('vendors')).toBe('vendors');
  });

  it('escapes the "+" of a timestamp offset so it is not decoded as a space', () => {
    const query = odataQuery().filter((f) => f.ge('modifiedAt', edm.dateTimeOffset('2024-01-31T08:30:00+01:00')));
    expect(query.toString()).toBe('$filter=modifiedAt%20ge%202024-01-31T08:30:00%2B01:00');
    expect(new URLSearchParams(query.toString()).get('$filter')).toBe('modifiedAt ge 2024-01-31T08:30:00+01:00');
  });
});

describe('buildODataQuery', () => {
  it('builds the same query as the fluent API from an options object', () => {
    const fromOptions = buildODataQuery<PurchaseOrder>({
      select: ['number', 'totalAmount'],
      filter: (f) => f.and(f.ge('orderDate', edm.date('2024-01-01')), f.gt('totalAmount', 100)),
      expand: { purchaseOrderLines: { select: ['itemNo'], top: 3, expand: ['item'] }, vendor: true },
      orderBy: [['orderDate', 'desc'], 'number'],
      top: 50,
      skip: 0,
      count: true,
      params: { 'cross-company': true },
    });
    const fluent = odataQuery<PurchaseOrder>()
      .select('number', 'totalAmount')
      .expand('purchaseOrderLines', (lines) => lines.select('itemNo').expand('item').top(3))
      .expand('vendor')
      .filter((f) => f.and(f.ge('orderDate', edm.date('2024-01-01')), f.gt('totalAmount', 100)))
      .orderBy('orderDate', 'desc')
      .orderBy('number')
      .top(50)
      .skip(0)
      .count(true)
      .param('cross-company', true);
    expect(fromOptions.toString()).toBe(fluent.toString());
    expect(fromOptions.toSearchParams().get('$expand')).toBe('purchaseOrderLines($select=itemNo;$expand=item;$top=3),vendor');
  });

  it('handles an empty options object and rejects a missing one', () => {
    expect(buildODataQuery({}).toString()).toBe('');
    expect(buildODataQuery({ search: 'x', skipToken: 'abc' }).toString()).toBe('$search=x&$skiptoken=abc');
    expect(() => buildODataQuery(undefined as never)).toThrow(/options object/);
    expect(() => buildODataQuery({ top: -5 })).toThrow(/\$top must be a non-negative integer, got -5/);
  });
});
