import { InvalidInputError } from '../errors/index.js';
import { encodeQueryName, encodeQueryValue } from './encoding.js';
import { createFilterBuilder, type FilterBuilder, FilterExpression } from './filter.js';
import { type ODataDialect, type ODataDialectOptions, resolveDialect } from './literals.js';
import { assertPropertyPath } from './names.js';
import type { NavigationProperty, PropertyPath, RelatedEntity } from './types.js';

/** Sort direction of one `$orderby` item. */
export type SortDirection = 'asc' | 'desc';

/** A `$filter` given either as a finished expression or as a function of the typed builder. */
export type FilterInput<T> = FilterExpression | ((f: FilterBuilder<T>) => FilterExpression);

/** Values accepted for extra, non-`$` query parameters such as F&O's `cross-company=true`. */
export type QueryParamValue = string | number | boolean;

interface ExpandItem {
  readonly navigation: string;
  readonly options: QueryState | undefined;
}

interface QueryState {
  readonly select: readonly string[];
  readonly expand: readonly ExpandItem[];
  readonly filter: FilterExpression | undefined;
  readonly orderBy: readonly string[];
  readonly top: number | undefined;
  readonly skip: number | undefined;
  readonly count: boolean | undefined;
  readonly search: string | undefined;
  readonly skipToken: string | undefined;
  readonly params: ReadonlyMap<string, string>;
  readonly dialect: ODataDialect;
}

const EMPTY_STATE: QueryState = Object.freeze({
  select: [],
  expand: [],
  filter: undefined,
  orderBy: [],
  top: undefined,
  skip: undefined,
  count: undefined,
  search: undefined,
  skipToken: undefined,
  params: new Map(),
  dialect: 'v4',
});

// System query options with a dedicated method; `param()` refuses them so they cannot be set twice.
const OPTIONS_WITH_METHODS = new Set(['$select', '$expand', '$filter', '$orderby', '$top', '$skip', '$count', '$search', '$skiptoken', '$inlinecount']);

function assertNonNegativeInteger(value: unknown, option: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidInputError(`${option} must be a non-negative integer, got ${String(value)}`, { field: option });
  }
}

function assertText(value: unknown, option: string): asserts value is string {
  if (typeof value !== 'string' || value === '') {
    throw new InvalidInputError(`${option} must be a non-empty string`, { field: option });
  }
}

/** The system query options of `state` in a stable order, as decoded name/value pairs. */
function systemOptions(state: QueryState): [string, string][] {
  const options: [string, string][] = [];
  if (state.select.length > 0) options.push(['$select', state.select.join(',')]);
  if (state.expand.length > 0) options.push(['$expand', state.expand.map(formatExpandItem).join(',')]);
  if (state.filter) options.push(['$filter', state.filter.text]);
  if (state.search !== undefined) options.push(['$search', state.search]);
  if (state.orderBy.length > 0) options.push(['$orderby', state.orderBy.join(',')]);
  if (state.top !== undefined) options.push(['$top', String(state.top)]);
  if (state.skip !== undefined) options.push(['$skip', String(state.skip)]);
  if (state.count !== undefined) {
    // OData v3 asks for the total with $inlinecount instead of $count.
    if (state.dialect === 'v3') options.push(['$inlinecount', state.count ? 'allpages' : 'none']);
    else options.push(['$count', String(state.count)]);
  }
  if (state.skipToken !== undefined) options.push(['$skiptoken', state.skipToken]);
  return options;
}

function formatExpandItem(item: ExpandItem): string {
  const nested = item.options ? systemOptions(item.options) : [];
  return nested.length === 0 ? item.navigation : `${item.navigation}(${nested.map(([name, value]) => `${name}=${value}`).join(';')})`;
}

/** Set by ODataQueryBuilder's static block: how code outside the class gets a builder. */
let builderFor: <T>(state: QueryState) => ODataQueryBuilder<T>;
const emptyBuilder = <T>() => builderFor<T>(EMPTY_STATE);

/**
 * An immutable OData query (`$select`, `$expand`, `$filter`, `$orderby`, `$top`, `$skip`, `$count`, `$search`,
 * `$skiptoken` and extra parameters) over entity type `T`. Every method returns a new builder, so a base query
 * can be shared and refined safely. Start with {@link odataQuery} or {@link buildODataQuery}.
 *
 * Example:
 *
 * {@includeCode ../../examples/transport.ts#odataQuery}
 */
export class ODataQueryBuilder<T> {
  readonly #state: QueryState;

  static {
    builderFor = <T>(state: QueryState) => new ODataQueryBuilder<T>(state);
  }

  // Private, so the state's shape stays out of the public API: start with odataQuery().
  private constructor(state: QueryState = EMPTY_STATE) {
    this.#state = state;
  }

  #with(changes: Partial<QueryState>): ODataQueryBuilder<T> {
    return new ODataQueryBuilder<T>(Object.freeze({ ...this.#state, ...changes }));
  }

  /** Adds properties to `$select`; repeated calls accumulate and duplicates are dropped. */
  select(...properties: PropertyPath<T>[]): ODataQueryBuilder<T> {
    properties.forEach((property) => assertPropertyPath(property, '$select property'));
    return this.#with({ select: [...new Set([...this.#state.select, ...properties])] });
  }

  /**
   * Adds a navigation property to `$expand`, optionally with nested options built on the related entity type,
   * e.g. `.expand('purchaseOrderLines', (lines) => lines.select('itemNo').top(5))`. Expanding the same
   * navigation property again replaces its options.
   */
  expand<K extends NavigationProperty<T>>(
    navigation: K,
    configure?: (related: ODataQueryBuilder<RelatedEntity<T, K>>) => ODataQueryBuilder<RelatedEntity<T, K>>,
  ): ODataQueryBuilder<T> {
    assertPropertyPath(navigation, '$expand navigation');
    let options: QueryState | undefined;
    if (configure !== undefined) {
      const related: unknown = configure(new ODataQueryBuilder<RelatedEntity<T, K>>());
      if (!(related instanceof ODataQueryBuilder)) {
        throw new InvalidInputError(`$expand options for ${navigation} must be returned from the configure function`, {
          field: '$expand',
        });
      }
      options = related.#state;
      if (options.skipToken !== undefined || options.params.size > 0) {
        throw new InvalidInputError(`$expand options for ${navigation} cannot contain $skiptoken or extra parameters`, {
          field: '$expand',
        });
      }
      if (this.#state.dialect === 'v3' && systemOptions(options).length > 0) {
        throw new InvalidInputError(
          `OData v3 has no options inside $expand (${navigation}); expand without options and select or filter the related entities in a separate query`,
          { field: '$expand' },
        );
      }
    }
    const others = this.#state.expand.filter((item) => item.navigation !== navigation);
    return this.#with({ expand: [...others, { navigation, options }] });
  }

  /** Sets `$filter`; when one is already set, the new condition is combined with `and`. */
  filter(condition: FilterInput<T>): ODataQueryBuilder<T> {
    const expression: unknown =
      typeof condition === 'function' ? condition(createFilterBuilder<T>(undefined, 0, this.#state.dialect)) : condition;
    if (!(expression instanceof FilterExpression)) {
      throw new InvalidInputError('filter must be built with the filter builder; wrap hand-written text in rawFilter("…")', {
        field: '$filter',
      });
    }
    const previous = this.#state.filter;
    const combined = previous ? createFilterBuilder<T>(undefined, 0, this.#state.dialect).and(previous, expression) : expression;
    return this.#with({ filter: combined });
  }

  /** Appends a sort key to `$orderby`; ascending unless `direction` is `desc`. */
  orderBy(property: PropertyPath<T>, direction: SortDirection = 'asc'): ODataQueryBuilder<T> {
    assertPropertyPath(property, '$orderby property');
    if (direction !== 'asc' && direction !== 'desc') {
      throw new InvalidInputError(`$orderby direction must be "asc" or "desc", got ${String(direction)}`, { field: '$orderby' });
    }
    return this.#with({ orderBy: [...this.#state.orderBy, direction === 'desc' ? `${property} desc` : property] });
  }

  /** Sets `$top`, the maximum number of entities to return. */
  top(count: number): ODataQueryBuilder<T> {
    assertNonNegativeInteger(count, '$top');
    return this.#with({ top: count });
  }

  /** Sets `$skip`, the number of entities to skip. */
  skip(count: number): ODataQueryBuilder<T> {
    assertNonNegativeInteger(count, '$skip');
    return this.#with({ skip: count });
  }

  /** Sets `$count` (`$inlinecount=allpages` in the v3 dialect), asking the server to include the total number of matching entities. */
  count(include = true): ODataQueryBuilder<T> {
    return this.#with({ count: include });
  }

  /** Sets `$search`; the text follows the server's search syntax and is only percent-encoded. */
  search(expression: string): ODataQueryBuilder<T> {
    assertText(expression, '$search');
    if (this.#state.dialect === 'v3') {
      throw new InvalidInputError('OData v3 has no $search; use a filter such as contains/substringof instead', { field: '$search' });
    }
    return this.#with({ search: expression });
  }

  /** Sets `$skiptoken`, passed through unchanged from a previous page (give the decoded value). */
  skipToken(token: string): ODataQueryBuilder<T> {
    assertText(token, '$skiptoken');
    return this.#with({ skipToken: token });
  }

  /**
   * Sets an extra query parameter, e.g. `param('cross-company', true)` or `param('company', 'CRONUS')`;
   * setting the same name again replaces it. Options with their own method (`$top`, …) are refused.
   */
  param(name: string, value: QueryParamValue): ODataQueryBuilder<T> {
    assertText(name, 'parameter name');
    if (OPTIONS_WITH_METHODS.has(name.toLowerCase())) {
      throw new InvalidInputError(`Set ${name} with its own method (e.g. .top(10)), not param()`, { field: name });
    }
    if (!['string', 'number', 'boolean'].includes(typeof value)) {
      throw new InvalidInputError(`Parameter ${name} must be a string, number or boolean`, { field: name });
    }
    return this.#with({ params: new Map([...this.#state.params, [name, String(value)]]) });
  }

  /** The literal syntax of this query's filters: `v4` unless created with `odataQuery({ dialect: 'v3' })`. */
  get dialect(): ODataDialect {
    return this.#state.dialect;
  }

  /** The query as decoded name/value pairs, system options first, in a stable order. */
  toEntries(): [string, string][] {
    return [...systemOptions(this.#state), ...this.#state.params];
  }

  /** The query as `URLSearchParams` (holding decoded values; its own `toString()` uses form encoding). */
  toSearchParams(): URLSearchParams {
    return new URLSearchParams(this.toEntries());
  }

  /**
   * The percent-encoded query string without a leading `?`. OData punctuation (`$ ( ) ' , / : ; = @`) stays
   * readable; `&`, `#`, `+`, `%`, `?` and spaces are escaped so no value can leave its parameter.
   */
  toString(): string {
    return this.toEntries()
      .map(([name, value]) => `${encodeQueryName(name, 'parameter name')}=${encodeQueryValue(value, name)}`)
      .join('&');
  }

  /** Appends the query to a resource path, e.g. `toUrl('vendors')` → `vendors?$top=10`. */
  toUrl(resourcePath: string): string {
    const query = this.toString();
    if (query === '') return resourcePath;
    return `${resourcePath}${resourcePath.includes('?') ? '&' : '?'}${query}`;
  }
}

/**
 * Starts an empty, immutable query over entity type `T`. With `{ dialect: 'v3' }` filter literals use OData v3
 * syntax, `count()` becomes `$inlinecount=allpages`, and `$search` and options inside `$expand` are refused.
 * A prebuilt `FilterExpression` passed to `filter()` keeps the syntax it was built with.
 */
export function odataQuery<T = Record<string, unknown>>(options?: ODataDialectOptions): ODataQueryBuilder<T> {
  const dialect = resolveDialect(options);
  return dialect === 'v4' ? emptyBuilder<T>() : builderFor<T>(Object.freeze({ ...EMPTY_STATE, dialect }));
}

/** One `$orderby` item: a property (ascending) or a `[property, direction]` pair. */
export type OrderByItem<T> = PropertyPath<T> | readonly [PropertyPath<T>, SortDirection];

/** Navigation properties of `T` to expand: a list, or an object mapping each to `true` or its nested options. */
export type ODataExpandInput<T> =
  | readonly NavigationProperty<T>[]
  | { readonly [K in NavigationProperty<T>]?: true | ODataExpandOptions<RelatedEntity<T, K>> };

/** Query options allowed inside `$expand(...)`: everything except `$skiptoken` and extra parameters. */
export interface ODataExpandOptions<T> {
  /** Properties for `$select`. */
  select?: readonly PropertyPath<T>[];
  /** `$filter` condition. */
  filter?: FilterInput<T>;
  /** Navigation properties to expand: a list, or an object mapping each to `true` or nested options. */
  expand?: ODataExpandInput<T>;
  /** Sort keys for `$orderby`, most significant first, e.g. `['vendorNo', ['postingDate', 'desc']]`. */
  orderBy?: readonly OrderByItem<T>[];
  /** `$top`: non-negative integer. */
  top?: number;
  /** `$skip`: non-negative integer. */
  skip?: number;
  /** `$count`. */
  count?: boolean;
  /** `$search` expression. */
  search?: string;
}

/** Options for {@link buildODataQuery}: the expand options plus `$skiptoken` and extra parameters. */
export interface ODataQueryOptions<T> extends ODataExpandOptions<T> {
  /** `$skiptoken` from a previous page. */
  skipToken?: string;
  /** Extra parameters such as `{ 'cross-company': true }`. */
  params?: Readonly<Record<string, QueryParamValue>>;
}

function applyOptions<T>(start: ODataQueryBuilder<T>, options: ODataQueryOptions<T>): ODataQueryBuilder<T> {
  let query = start;
  if (options.select) query = query.select(...options.select);
  if (options.expand) {
    const entries: [string, unknown][] = Array.isArray(options.expand)
      ? options.expand.map((navigation: string) => [navigation, true])
      : Object.entries(options.expand);
    for (const [navigation, nested] of entries) {
      if (nested === undefined || nested === false) continue;
      const configure =
        nested === true ? undefined : (related: ODataQueryBuilder<unknown>) => applyOptions(related, nested as ODataQueryOptions<unknown>);
      query = query.expand(navigation as NavigationProperty<T>, configure as never);
    }
  }
  if (options.filter) query = query.filter(options.filter);
  for (const item of options.orderBy ?? []) {
    query = typeof item === 'string' ? query.orderBy(item) : query.orderBy(...(item as readonly [PropertyPath<T>, SortDirection]));
  }
  if (options.top !== undefined) query = query.top(options.top);
  if (options.skip !== undefined) query = query.skip(options.skip);
  if (options.count !== undefined) query = query.count(options.count);
  if (options.search !== undefined) query = query.search(options.search);
  if (options.skipToken !== undefined) query = query.skipToken(options.skipToken);
  for (const [name, value] of Object.entries(options.params ?? {})) query = query.param(name, value);
  return query;
}

/**
 * Builds the same immutable query as the fluent {@link odataQuery} API from a plain options object.
 *
 * Example:
 *
 * {@includeCode ../../examples/transport.ts#buildODataQuery}
 *
 * Pass `{ dialect: 'v3' }` as the second argument for OData v3 syntax (see {@link odataQuery}).
 */
export function buildODataQuery<T = Record<string, unknown>>(options: ODataQueryOptions<T>, dialect?: ODataDialectOptions): ODataQueryBuilder<T> {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidInputError('buildODataQuery needs an options object', { field: 'options' });
  }
  return applyOptions(odataQuery<T>(dialect), options);
}
