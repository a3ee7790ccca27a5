// Examples of the transport, OData builders and webhook verification, included in the API docs with
// {@includeCode} and typechecked by `pnpm typecheck` (tsconfig.test.json).
import {
  type TokenProvider,
  appendKeyPredicate,
  buildMultipartBatch,
  buildODataQuery,
  createHttpClient,
  edm,
  matchMultipartBatchResponse,
  odataFilter,
  odataQuery,
  parseMultipartBatchResponse,
  verifyHmacSignature,
} from '@ml-connector/core';

declare const tokenProvider: TokenProvider;
declare const rawBody: string;
declare const request: { headers: Record<string, string | undefined> };
declare const secret: string;
declare const root: string;
declare const customer: Record<string, unknown>;
interface Vendor { number: string; displayName: string; blocked: string; lastModifiedDateTime: string }

export async function createHttpClientExample() {
  // #region createHttpClient
  const http = createHttpClient({ baseUrl: 'https://api.example.com/v1/', auth: tokenProvider });
  const vendors = await http.get<{ value: Vendor[] }>('vendors', { query: { $top: 10 } });
  // #endregion createHttpClient
  return vendors;
}

export function verifyHmacSignatureExample() {
  // #region verifyHmacSignature
  verifyHmacSignature({ payload: rawBody, signature: request.headers['x-hub-signature'], secret });
  // #endregion verifyHmacSignature
}

export function odataExamples() {
  // #region odataQuery
  odataQuery<Vendor>().select('number', 'displayName').filter((f) => f.eq('number', 'V1')).top(10).toString();
  // $select=number,displayName&$filter=number%20eq%20'V1'&$top=10
  // #endregion odataQuery
  // #region buildODataQuery
  buildODataQuery<Vendor>({ select: ['number'], filter: (f) => f.eq('blocked', ' '), top: 5, params: { company: 'CRONUS' } }).toString();
  // #endregion buildODataQuery
  // #region edm
  edm.guid('6f9619ff-8b86-d011-b42d-00c04fc964ff'); // 6f9619ff-8b86-d011-b42d-00c04fc964ff
  edm.enum('Microsoft.Dynamics.DataEntities.NoYes', 'Yes'); // Microsoft.Dynamics.DataEntities.NoYes'Yes'
  // #endregion edm
  // #region appendKeyPredicate
  appendKeyPredicate('VendorsV2', { dataAreaId: 'usmf', VendorAccountNumber: 'V 1' });
  // VendorsV2(dataAreaId='usmf',VendorAccountNumber='V%201')
  // #endregion appendKeyPredicate
  // #region odataFilter
  odataFilter<Vendor>((f) => f.and(f.eq('number', 'V1'), f.gt('lastModifiedDateTime', new Date('2024-01-01'))));
  // number eq 'V1' and lastModifiedDateTime gt 2024-01-01T00:00:00.000Z
  // #endregion odataFilter
}

export async function multipartBatchExample() {
  // #region buildMultipartBatch
  const batch = buildMultipartBatch([{ changeset: [{ method: 'POST', url: 'CustomersV3', body: customer }] }]);
  const response = await fetch(`${root}/data/$batch`, { method: 'POST', headers: batch.headers, body: batch.body });
  const results = matchMultipartBatchResponse(
    batch,
    parseMultipartBatchResponse(await response.text(), response.headers.get('content-type') ?? ''),
  );
  // #endregion buildMultipartBatch
  return results;
}
