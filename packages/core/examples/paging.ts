// Examples of the paging strategies, included in the API docs with {@includeCode} and typechecked by
// `pnpm typecheck` (tsconfig.test.json), so they cannot drift from the API.
import {
  type HttpClient,
  type ODataCollectionPage,
  type OffsetLimitResponse,
  nextPageTokenIsLast,
  odataNextLink,
  offsetLimitHasMore,
  paginate,
  startAtTotRecords,
} from '@ml-connector/core';

declare const http: HttpClient;
declare const companyId: string;
declare const jql: string;
interface Customer { number: string }
interface Vendor { number: string }
interface Invoice { InvoiceId: number }
interface Issue { key: string }
interface SearchResults { issues: Issue[]; nextPageToken?: string; isLast?: boolean }
interface Company { companyCode: string }
interface CompanyListResponse { totRecords: number; companyList: Company[] }

export async function paginateExample(): Promise<void> {
  // #region paginate
  const vendors = paginate(
    odataNextLink(({ nextLink, headers, signal }) =>
      http.get<ODataCollectionPage<Vendor>>(nextLink ?? `companies(${companyId})/vendors`, { headers, signal }),
    ),
  );
  for await (const vendor of vendors) console.log(vendor.number);
  // #endregion paginate
}

export function odataNextLinkExample() {
  // #region odataNextLink
  const customers = paginate(
    odataNextLink(({ nextLink, headers, signal }) =>
      http.get<ODataCollectionPage<Customer>>(nextLink ?? `companies(${companyId})/customers`, { headers, signal }),
    ),
  );
  // #endregion odataNextLink
  return customers;
}

export function offsetLimitHasMoreExample() {
  // #region offsetLimitHasMore
  const invoices = paginate(
    offsetLimitHasMore(({ offset, limit, signal }) =>
      http.get<OffsetLimitResponse<Invoice>>('fscmRestApi/resources/latest/invoices', {
        query: { offset, limit: limit ?? 100 },
        signal,
      }),
    ),
  );
  // #endregion offsetLimitHasMore
  return invoices;
}

export function nextPageTokenIsLastExample() {
  // #region nextPageTokenIsLast
  const issues = paginate(
    nextPageTokenIsLast(
      ({ nextPageToken, maxResults, signal }) =>
        http.post<SearchResults>('rest/api/3/search/jql', { json: { jql, nextPageToken, maxResults }, signal }),
      (body) => body.issues,
    ),
  );
  // #endregion nextPageTokenIsLast
  return issues;
}

export function startAtTotRecordsExample() {
  // #region startAtTotRecords
  const companies = paginate(
    startAtTotRecords(
      ({ startAt, signal }) => http.get<CompanyListResponse>('api/company', { query: { startAt }, signal }),
      (body) => body.companyList,
    ),
  );
  // #endregion startAtTotRecords
  return companies;
}
