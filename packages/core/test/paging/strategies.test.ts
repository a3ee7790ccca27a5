import { describe, expect, it } from 'vitest';
import {
  type ODataCollectionPage,
  type ODataPageRequest,
  type OffsetPageRequest,
  type PageTokenRequest,
  type StartAtPageRequest,
  isInvalidInputError,
  isResponseValidationError,
  nextPageTokenIsLast,
  odataNextLink,
  offsetLimitHasMore,
  paginate,
  startAtTotRecords,
} from '@ml-connector/core';

async function pagesOf<T>(listing: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of listing) out.push(value);
  return out;
}

describe('odataNextLink', () => {
  const base = 'https://api.businesscentral.dynamics.com/v2.0/tenant/Production/api/v2.0/companies(7d1e)/vendors';
  const pages: Record<string, ODataCollectionPage<{ number: string }>> = {
    first: {
      value: [{ number: 'V0010' }, { number: 'V0020' }],
      '@odata.nextLink': `${base}?aid=FIN&$skiptoken=V0020`,
    },
    [`${base}?aid=FIN&$skiptoken=V0020`]: { value: [{ number: 'V0030' }] },
  };
  function businessCentral() {
    const requests: ODataPageRequest[] = [];
    const fetchCollection = async (request: ODataPageRequest) => {
      requests.push(request);
      const page = pages[request.nextLink ?? 'first'];
      if (!page) throw new Error(`unexpected ${request.nextLink}`);
      return page;
    };
    return { requests, fetchCollection };
  }

  it('follows @odata.nextLink and sends Prefer: odata.maxpagesize', async () => {
    const bc = businessCentral();
    const result = await pagesOf(paginate(odataNextLink(bc.fetchCollection)).byPage({ maxPageSize: 2 }));
    expect(result).toEqual([
      { items: [{ number: 'V0010' }, { number: 'V0020' }], continuationToken: `${base}?aid=FIN&$skiptoken=V0020` },
      { items: [{ number: 'V0030' }], continuationToken: undefined },
    ]);
    expect(bc.requests.map((r) => [r.nextLink, r.headers])).toEqual([
      [undefined, { Prefer: 'odata.maxpagesize=2' }],
      [`${base}?aid=FIN&$skiptoken=V0020`, { Prefer: 'odata.maxpagesize=2' }],
    ]);
  });

  it('sends no Prefer header without maxPageSize, and resumes from a saved next link', async () => {
    const bc = businessCentral();
    const rest = await paginate(odataNextLink(bc.fetchCollection))
      .byPage({ continuationToken: `${base}?aid=FIN&$skiptoken=V0020` })
      .next();
    expect(rest.value).toEqual({ items: [{ number: 'V0030' }], continuationToken: undefined });
    expect(bc.requests[0]?.headers).toEqual({});
  });

  it('follows F&O $skip links and the OData v3 odata.nextLink spelling', async () => {
    const fo = 'https://contoso.operations.dynamics.com/data/CustomersV3?cross-company=true&$skip=10000';
    const listing = paginate(
      odataNextLink(async ({ nextLink }) =>
        nextLink === undefined ? { value: [1], 'odata.nextLink': fo } : { value: [2], '@odata.nextLink': undefined },
      ),
    );
    expect(await listing.toArray({ limit: 10 })).toEqual([1, 2]);
  });

  it.each(['offset:v1:20', 'not a url', 'javascript:alert(1)'])('rejects the garbage token %j before fetching', async (token) => {
    const bc = businessCentral();
    const error = await paginate(odataNextLink(bc.fetchCollection))
      .byPage({ continuationToken: token })
      .next()
      .catch((e: unknown) => e);
    expect(isInvalidInputError(error)).toBe(true);
    expect(bc.requests).toHaveLength(0);
  });

  it('reports a body without a value array', async () => {
    const listing = paginate(odataNextLink(async () => ({ id: 1 }) as never));
    const error = await listing.toArray({ limit: 1 }).catch((e: unknown) => e);
    expect(isResponseValidationError(error)).toBe(true);
  });
});

describe('offsetLimitHasMore (Oracle Fusion)', () => {
  const invoices = Array.from({ length: 5 }, (_, i) => ({ InvoiceId: 300100 + i, InvoiceNumber: `INV-${i}` }));
  function oracle() {
    const requests: OffsetPageRequest[] = [];
    const fetchItems = async (request: OffsetPageRequest) => {
      requests.push(request);
      const limit = request.limit ?? 25;
      const items = invoices.slice(request.offset, request.offset + limit);
      return { items, count: items.length, hasMore: request.offset + items.length < invoices.length, limit, offset: request.offset, links: [] };
    };
    return { requests, fetchItems };
  }

  it('walks offsets with versioned tokens until hasMore is false', async () => {
    const api = oracle();
    const pages = await pagesOf(paginate(offsetLimitHasMore(api.fetchItems)).byPage({ maxPageSize: 2 }));
    expect(pages.map((p) => p.continuationToken)).toEqual(['offset:v1:2', 'offset:v1:4', undefined]);
    expect(pages.flatMap((p) => p.items)).toEqual(invoices);
    expect(api.requests.map((r) => [r.offset, r.limit])).toEqual([
      [0, 2],
      [2, 2],
      [4, 2],
    ]);
  });

  it('resumes from a saved offset token', async () => {
    const api = oracle();
    const rest = await pagesOf(paginate(offsetLimitHasMore(api.fetchItems)).byPage({ continuationToken: 'offset:v1:3' }));
    expect(rest.flatMap((p) => p.items)).toEqual(invoices.slice(3));
    expect(api.requests[0]?.offset).toBe(3);
  });

  it.each(['offset:v2:3', 'offset:v1:-1', 'offset:v1:01', 'startAt:v1:3', 'offset:v1:99999999999999999', '3', 'https://x.test/'])(
    'rejects the garbage token %j',
    async (token) => {
      const api = oracle();
      const error = await paginate(offsetLimitHasMore(api.fetchItems))
        .byPage({ continuationToken: token })
        .next()
        .catch((e: unknown) => e);
      expect(isInvalidInputError(error)).toBe(true);
      expect(error).toMatchObject({ field: 'continuationToken' });
      expect(api.requests).toHaveLength(0);
    },
  );

  it('reports hasMore with an empty page as a paging loop instead of spinning', async () => {
    const listing = paginate(offsetLimitHasMore(async () => ({ items: [], hasMore: true })));
    await expect(listing.toArray({ limit: 1 })).rejects.toMatchObject({ code: 'PAGING_LOOP' });
  });

  it('reports a body without hasMore', async () => {
    const listing = paginate(offsetLimitHasMore(async () => ({ items: [] }) as never));
    await expect(listing.toArray({ limit: 1 })).rejects.toMatchObject({ code: 'RESPONSE_INVALID' });
  });
});

describe('startAtTotRecords (JAGGAER)', () => {
  const companies = Array.from({ length: 7 }, (_, i) => ({ bravoId: `${1000 + i}`, companyName: `Supplier ${i}` }));
  interface CompanyListResponse {
    returnCode: number;
    returnMessage: string;
    totRecords: number | string;
    returnedRecords: number | string;
    startAt: number;
    companyList?: typeof companies;
  }
  function jaggaer(pageSize = 3, numbersAsStrings = false) {
    const requests: StartAtPageRequest[] = [];
    const fetchRecords = async (request: StartAtPageRequest): Promise<CompanyListResponse> => {
      requests.push(request);
      const slice = companies.slice(request.startAt - 1, request.startAt - 1 + pageSize);
      const count = (n: number) => (numbersAsStrings ? String(n) : n);
      return {
        returnCode: 0,
        returnMessage: 'OK',
        totRecords: count(companies.length),
        returnedRecords: count(slice.length),
        startAt: request.startAt,
        ...(slice.length ? { companyList: slice } : {}),
      };
    };
    return { requests, fetchRecords };
  }

  it('walks 1-based startAt until startAt + returned exceeds totRecords', async () => {
    const api = jaggaer();
    const pages = await pagesOf(paginate(startAtTotRecords(api.fetchRecords, (body) => body.companyList)).byPage());
    expect(pages.map((p) => p.continuationToken)).toEqual(['startAt:v1:4', 'startAt:v1:7', undefined]);
    expect(pages.flatMap((p) => p.items)).toEqual(companies);
    expect(api.requests.map((r) => r.startAt)).toEqual([1, 4, 7]);
  });

  it('accepts counters sent as strings and ends exactly at totRecords', async () => {
    const api = jaggaer(7, true);
    expect(await paginate(startAtTotRecords(api.fetchRecords, (body) => body.companyList)).toArray({ limit: 100 })).toEqual(companies);
    expect(api.requests).toHaveLength(1);
  });

  it('ends on an empty page with a missing list', async () => {
    const api = jaggaer();
    const rest = await pagesOf(
      paginate(startAtTotRecords(api.fetchRecords, (body) => body.companyList)).byPage({ continuationToken: 'startAt:v1:50' }),
    );
    expect(rest).toEqual([{ items: [], continuationToken: undefined }]);
  });

  it.each(['startAt:v1:0', 'offset:v1:4', 'startAt:v1:abc', '???'])('rejects the garbage token %j', async (token) => {
    const api = jaggaer();
    const error = await paginate(startAtTotRecords(api.fetchRecords, (body) => body.companyList))
      .byPage({ continuationToken: token })
      .next()
      .catch((e: unknown) => e);
    expect(isInvalidInputError(error)).toBe(true);
    expect(api.requests).toHaveLength(0);
  });

  it('reports a body without totRecords', async () => {
    const listing = paginate(startAtTotRecords(async () => ({ returnCode: 0, totRecords: undefined, companyList: [] as string[] }), (body) => body.companyList));
    await expect(listing.toArray({ limit: 1 })).rejects.toMatchObject({ code: 'RESPONSE_INVALID', message: /totRecords/ });
  });
});

describe('nextPageTokenIsLast (Jira /search/jql)', () => {
  const issue = (key: string) => ({ id: key.replace('MLC-', '100'), key, fields: { summary: `Issue ${key}` } });
  const responses: Record<string, { issues: ReturnType<typeof issue>[]; nextPageToken?: string; isLast: boolean }> = {
    first: { issues: [issue('MLC-1'), issue('MLC-2')], nextPageToken: 'CAEaAggD', isLast: false },
    CAEaAggD: { issues: [issue('MLC-3')], isLast: true },
  };
  function jira() {
    const requests: PageTokenRequest[] = [];
    const fetchResults = async (request: PageTokenRequest) => {
      requests.push(request);
      const body = responses[request.nextPageToken ?? 'first'];
      if (!body) throw new Error('unexpected token');
      return body;
    };
    return { requests, fetchResults };
  }

  it('follows nextPageToken until isLast and maps maxPageSize to maxResults', async () => {
    const api = jira();
    const pages = await pagesOf(paginate(nextPageTokenIsLast(api.fetchResults, (body) => body.issues)).byPage({ maxPageSize: 2 }));
    expect(pages.map((p) => [p.items.map((i) => i.key), p.continuationToken])).toEqual([
      [['MLC-1', 'MLC-2'], 'CAEaAggD'],
      [['MLC-3'], undefined],
    ]);
    expect(api.requests).toEqual([
      { nextPageToken: undefined, maxResults: 2, signal: undefined },
      { nextPageToken: 'CAEaAggD', maxResults: 2, signal: undefined },
    ]);
  });

  it('stops when isLast is true even if a token is present', async () => {
    const listing = paginate(nextPageTokenIsLast(async () => ({ issues: [1], nextPageToken: 'more', isLast: true }), (b) => b.issues));
    expect(await pagesOf(listing.byPage())).toEqual([{ items: [1], continuationToken: undefined }]);
  });

  it('resumes from a saved token', async () => {
    const api = jira();
    const keys = (await paginate(nextPageTokenIsLast(api.fetchResults, (b) => b.issues)).toArray({ limit: 10 })).map((i) => i.key);
    expect(keys).toEqual(['MLC-1', 'MLC-2', 'MLC-3']);
    const resumed = await pagesOf(paginate(nextPageTokenIsLast(api.fetchResults, (b) => b.issues)).byPage({ continuationToken: 'CAEaAggD' }));
    expect(resumed.flatMap((p) => p.items.map((i) => i.key))).toEqual(['MLC-3']);
  });

  it('reports a non-object body', async () => {
    const listing = paginate(nextPageTokenIsLast(async () => null as never, (b: { issues: number[] }) => b.issues));
    await expect(listing.toArray({ limit: 1 })).rejects.toMatchObject({ code: 'RESPONSE_INVALID' });
  });
});
