export { EdmLiteral, isEdmLiteral, type ODataValue, edm, formatLiteral } from './literals.js';
export { type KeyValue, type EntityKey, formatKeyPredicate, appendKeyPredicate } from './keys.js';
export type { PropertyPath, PropertyType, PropertyPathOfType, NavigationProperty, RelatedEntity } from './types.js';
export {
  type FilterExpression,
  type FilterOperand,
  type FilterValue,
  type FilterComparison,
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
  type ODataExpandOptions,
  type ODataQueryOptions,
  buildODataQuery,
} from './query.js';
