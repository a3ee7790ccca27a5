// Curated exports of the paging module.
export {
  type Page,
  type PageRequest,
  type PageSource,
  type PageSettings,
  type ToArrayOptions,
  type PaginateOptions,
  type PagedAsyncIterable,
  paginate,
} from './paginate.js';
export { PagingLoopError, type PagingLoopReason, isPagingLoopError } from './errors.js';
export { type ODataPageRequest, type ODataCollectionPage, odataNextLink } from './odata.js';
export { type OffsetPageRequest, type OffsetLimitResponse, offsetLimitHasMore } from './offset.js';
export { type StartAtPageRequest, type StartAtResponse, startAtTotRecords } from './start-at.js';
export { type PageTokenRequest, type PageTokenResponse, nextPageTokenIsLast } from './page-token.js';
