export {
  EdmLiteral,
  isEdmLiteral,
  type ODataValue,
  edm,
  formatLiteral,
  type ODataDialect,
  type ODataDialectOptions,
} from './literals.js';
export { type KeyValue, type EntityKey, formatKeyPredicate, appendKeyPredicate } from './keys.js';
export type { Scalar, Countdown, PropertyPath, PropertyType, PropertyPathOfType, NavigationProperty, RelatedEntity } from './types.js';
export {
  type FilterExpression,
  type FilterOperand,
  type FilterValue,
  type FilterComparison,
  type ComparableLiteral,
  type StringSource,
  type SearchText,
  type FilterBuilder,
  odataFilter,
  rawFilter,
} from './filter.js';
export {
  type SortDirection,
  type FilterInput,
  type QueryParamValue,
  type ODataQueryBuilder,
  odataQuery,
  type OrderByItem,
  type ODataExpandInput,
  type ODataExpandOptions,
  type ODataQueryOptions,
  buildODataQuery,
} from './query.js';
export { DEFAULT_MAX_URL_LENGTH, type ChunkedKeyFiltersOptions, chunkedKeyFilters } from './chunks.js';
export {
  MAX_BATCH_OPERATIONS,
  type BatchMethod,
  type BatchRequest,
  type BatchOperationResult,
  chunkBatchRequests,
  BatchOperationNotExecutedError,
  isBatchOperationNotExecutedError,
} from './batch.js';
export {
  type JsonBatchRequest,
  type JsonBatchOperation,
  type JsonBatchOptions,
  type JsonBatch,
  type JsonBatchOperationResult,
  buildJsonBatch,
  parseJsonBatchResponse,
} from './batch-json.js';
export {
  type MultipartBatchRequest,
  type MultipartChangeset,
  type MultipartBatchPart,
  type MultipartBatchOptions,
  type MultipartBatch,
  type MultipartOperationResponse,
  type MultipartBatchResponsePart,
  type MultipartBatchOperationResult,
  buildMultipartBatch,
  parseMultipartBatchResponse,
  matchMultipartBatchResponse,
} from './batch-multipart.js';
