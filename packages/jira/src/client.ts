import {
  type HttpClient,
  type HttpClientOptions,
  InvalidInputError,
  type TokenProvider,
  connectorHttpClientOptions,
  createHttpClient,
  createRefreshTokenProvider,
  validateBaseUrl,
  validateTenantHost,
} from '@ml-connector/core';
import { MissingCustomFieldError, type JiraSite, withRateLimitInfo } from './errors.js';
import { listAccessibleResources, selectSite } from './oauth.js';
import { JIRA_DEFAULTS, type JiraClientOptions } from './options.js';
import { JIRA_THROTTLE_DEFAULTS, type JiraRateLimitState, RATE_LIMIT_POLICY_NAME, type RateLimitRecorder, createRateLimitRecorder } from './rate-limits.js';
import { type IssuesResource, issuesResource } from './resources/issues.js';
import { type MetadataResource, metadataResource } from './resources/metadata.js';
import { type SearchResource, searchResource } from './resources/search.js';
import { type CustomFieldMap, resolveCustomFields } from './resources/shared.js';
import { type WebhooksResource, webhooksResource } from './resources/webhooks.js';

/** A connected Jira Cloud client. Create it with {@link connectJira}. */
export interface JiraClient<A extends string = string> {
  /** Issues: create (single, bulk), get, update, transitions, comments, links. */
  readonly issues: IssuesResource;
  /** Enhanced JQL search (`/rest/api/3/search/jql`). */
  readonly search: SearchResource;
  /** Fields, projects and issue types. */
  readonly metadata: MetadataResource;
  /** Dynamic webhooks (OAuth apps only). */
  readonly webhooks: WebhooksResource;
  /** Custom fields discovered at connect time, by alias. */
  readonly customFields: CustomFieldMap<A>;
  /** The site in use (`cloudId` is undefined with API-token auth). */
  readonly site: {
    /** Site URL, e.g. `https://acme.atlassian.net` (undefined with a token provider and a bare cloudId). */
    readonly url: string | undefined;
    /** cloudId of the site (undefined with API-token auth). */
    readonly cloudId: string | undefined;
  };
  /** Rate-limit headers of the latest response and 429/503 counters. */
  readonly rateLimit: JiraRateLimitState;
  /** Base URL: `{apiHost}/ex/jira/{cloudId}/` (OAuth) or `{siteUrl}/` (API token). */
  readonly baseUrl: string;
  /** The transport (same auth, retries and throttle) for calls this client does not model; paths start `rest/api/3/`. */
  readonly http: HttpClient;
}

/**
 * Connects to Jira Cloud: builds the auth (OAuth 2.0 3LO with rotating refresh tokens, or Basic with an API token),
 * resolves the cloudId from accessible-resources (OAuth), and discovers the configured custom fields by name.
 *
 * Example:
 *
 * {@includeCode ../examples/client.ts#connectJira}
 * @throws InvalidInputError for bad options; JiraSiteSelectionError when the site is ambiguous; MissingCustomFieldError.
 */
export async function connectJira<A extends string = string>(options: JiraClientOptions & { customFields?: Record<A, string> }): Promise<JiraClient<A>> {
  if (typeof options !== 'object' || options === null || typeof options.auth !== 'object' || options.auth === null) {
    throw new InvalidInputError('options.auth is required: { kind: "oauth" | "api-token" | "token-provider", … }', { field: 'auth' });
  }
  const now = options.now ?? Date.now;
  const allowLoopback = options.allowLoopback ?? false;
  const hostOptions = { allowLoopback, allowHttp: allowLoopback };
  const apiHost = validateTenantHost(options.apiHost ?? JIRA_DEFAULTS.apiHost, { ...hostOptions, field: 'apiHost' });
  const authHost = validateTenantHost(options.authHost ?? JIRA_DEFAULTS.authHost, { ...hostOptions, field: 'authHost' });
  const recorder = createRateLimitRecorder(now);

  const transport = (baseUrl: string, auth: HttpClientOptions['auth']): HttpClient => {
    const inner = createHttpClient({
      baseUrl,
      auth,
      requestIdHeader: JIRA_DEFAULTS.requestIdHeader,
      ...connectorHttpClientOptions(options, { timeoutMs: JIRA_DEFAULTS.timeoutMs, throttle: { ...JIRA_THROTTLE_DEFAULTS, now } }),
    });
    return withRateLimitErrors(inner, recorder);
  };

  const auth = options.auth;
  let http: HttpClient;
  let site: { url: string | undefined; cloudId: string | undefined };
  if (auth.kind === 'api-token') {
    if (typeof auth.email !== 'string' || !auth.email.includes('@')) {
      throw new InvalidInputError('auth.email must be the Atlassian account e-mail the API token belongs to', { field: 'auth.email' });
    }
    if (typeof auth.apiToken !== 'string' || auth.apiToken === '') {
      throw new InvalidInputError('auth.apiToken is required (create one at id.atlassian.com/manage-profile/security/api-tokens)', { field: 'auth.apiToken' });
    }
    const siteUrl = validateBaseUrl(String(auth.siteUrl ?? ''), { ...hostOptions, field: 'auth.siteUrl' });
    http = transport(siteUrl, { username: auth.email, password: auth.apiToken });
    site = { url: siteUrl.replace(/\/$/, ''), cloudId: undefined };
  } else if (auth.kind === 'oauth' || auth.kind === 'token-provider') {
    const tokenProvider: TokenProvider =
      auth.kind === 'token-provider'
        ? auth.tokenProvider
        : createRefreshTokenProvider({
            tokenUrl: `${authHost}/oauth/token`,
            clientId: auth.clientId,
            clientSecret: auth.clientSecret,
            store: auth.refreshTokenStore,
            ...(auth.lock ? { lock: auth.lock } : {}),
            ...(auth.principal ? { principal: auth.principal } : {}),
            now,
            ...(options.fetch ? { fetch: options.fetch } : {}),
            ...(options.tokenCache ? { cache: options.tokenCache } : {}),
            ...(options.logger ? { logger: options.logger } : {}),
          });
    let cloudId = auth.cloudId;
    let siteUrl = auth.siteUrl;
    if (cloudId === undefined) {
      const sites: JiraSite[] = await listAccessibleResources({ tokenProvider, http: transport(apiHost, tokenProvider) });
      const chosen = selectSite(sites, auth.siteUrl);
      cloudId = chosen.id;
      siteUrl = chosen.url;
    }
    if (typeof cloudId !== 'string' || !/^[A-Za-z0-9-]+$/.test(cloudId)) {
      throw new InvalidInputError(`auth.cloudId must be the site's cloud id (a UUID), got ${JSON.stringify(cloudId)}`, { field: 'auth.cloudId' });
    }
    http = transport(`${apiHost}/ex/jira/${cloudId}/`, tokenProvider);
    site = { url: siteUrl, cloudId };
  } else {
    throw new InvalidInputError(`auth.kind must be "oauth", "api-token" or "token-provider", got ${JSON.stringify((auth as { kind?: unknown }).kind)}`, {
      field: 'auth.kind',
    });
  }

  const metadata = metadataResource(http);
  let customFields: Record<string, never> | Record<string, import('./resources/shared.js').ResolvedCustomField> = {};
  const wanted = options.customFields ?? {};
  if (Object.keys(wanted).length > 0) {
    const { resolved, problems } = resolveCustomFields(await metadata.listFields(), wanted);
    if (problems.length > 0) throw new MissingCustomFieldError(problems);
    customFields = resolved;
  }
  const frozenFields = Object.freeze(customFields) as CustomFieldMap<A>;
  return {
    issues: issuesResource(http, frozenFields),
    search: searchResource(http, frozenFields),
    metadata,
    webhooks: webhooksResource(http, now),
    customFields: frozenFields,
    site,
    rateLimit: recorder.state,
    baseUrl: http.baseUrl,
    http,
  };
}

/**
 * Adds the rate-limit recorder as the innermost policy and wraps the transport so 429/503 failures carry the
 * headers (JiraRateLimitError, JiraServiceUnavailableError). `withPipeline` and `extend` keep both.
 */
function withRateLimitErrors(base: HttpClient, recorder: RateLimitRecorder): HttpClient {
  let http = base;
  if (!base.pipeline.getOrderedPolicies().some((p) => p.name === RATE_LIMIT_POLICY_NAME)) {
    const pipeline = base.pipeline.clone();
    pipeline.addPolicy(recorder.policy);
    http = base.withPipeline(pipeline);
  }
  const take = recorder.take;
  const request: HttpClient['request'] = async (o) => {
    try {
      return await http.request(o);
    } catch (error) {
      throw withRateLimitInfo(error, take);
    }
  };
  const shorthand =
    (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE') =>
    async <T>(path: string, rest: Omit<Parameters<HttpClient['request']>[0], 'path' | 'method'> = {}): Promise<T> =>
      (await request<T>({ ...(rest as object), path, method } as Parameters<HttpClient['request']>[0] as never)).data as T;
  return {
    request,
    get: shorthand('GET') as HttpClient['get'],
    post: shorthand('POST') as HttpClient['post'],
    patch: shorthand('PATCH') as HttpClient['patch'],
    put: shorthand('PUT') as HttpClient['put'],
    delete: shorthand('DELETE') as HttpClient['delete'],
    get pipeline() {
      return http.pipeline;
    },
    baseUrl: http.baseUrl,
    withPipeline: (next) => withRateLimitErrors(http.withPipeline(next), recorder),
    extend: (changes) => withRateLimitErrors(http.extend(changes), recorder),
  };
}
