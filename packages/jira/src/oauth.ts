/**
 * Atlassian OAuth 2.0 (3LO) helpers: the authorisation URL with `state`, the code exchange that seeds the refresh
 * token store, and `accessible-resources` to find the site's cloudId.
 * (developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/; api-facts.md §6 "Auth")
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  type HttpClient,
  InvalidInputError,
  type RefreshTokenStore,
  RefreshTokenPersistError,
  type SecretSource,
  type TokenProvider,
  createHttpClient,
  validateTenantHost,
} from '@ml-connector/core';
import { z } from 'zod';
import { type JiraSite, JiraSiteSelectionError } from './errors.js';
import { JIRA_DEFAULTS } from './options.js';

/** Options of {@link createAuthorizationUrl}. */
export interface AuthorizationUrlOptions {
  /** Client id of the app. */
  clientId: string;
  /** Callback URL registered for the app. */
  redirectUri: string;
  /** Scopes, e.g. `['read:jira-work', 'write:jira-work', 'manage:jira-webhook']`. `offline_access` is always added. */
  scopes: readonly string[];
  /** Unguessable value bound to the user's session (see {@link createOAuthState}); checked on the callback. */
  state: string;
  /** Authorisation server. Default `https://auth.atlassian.com`. */
  authHost?: string;
  /** Accept a loopback `authHost` (emulators). */
  allowLoopback?: boolean;
}

/** A random `state` value (32 bytes, base64url) for {@link createAuthorizationUrl}. */
export function createOAuthState(): string {
  return randomBytes(32).toString('base64url');
}

/** Compares the `state` returned on the callback with the one sent, in constant time. */
export function verifyOAuthState(expected: string, received: string | null | undefined): boolean {
  if (typeof received !== 'string' || typeof expected !== 'string' || expected === '') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(received);
  return a.length === b.length && timingSafeEqual(a, b);
}

const nonEmpty = (value: unknown, field: string, hint: string): string => {
  if (typeof value !== 'string' || value.trim() === '') throw new InvalidInputError(`${field} is required: ${hint}`, { field });
  return value;
};

/**
 * Builds the URL to send the user to: `{authHost}/authorize?audience=api.atlassian.com&client_id=…&scope=…
 * &redirect_uri=…&state=…&response_type=code&prompt=consent`, always with `offline_access` so a refresh token is issued.
 */
export function createAuthorizationUrl(options: AuthorizationUrlOptions): string {
  nonEmpty(options?.clientId, 'clientId', 'the app client id from developer.atlassian.com');
  nonEmpty(options.redirectUri, 'redirectUri', 'the callback URL registered for the app');
  const state = nonEmpty(options.state, 'state', 'an unguessable value bound to the session (createOAuthState())');
  if (state.length < 16) throw new InvalidInputError('state must be at least 16 characters so it cannot be guessed (use createOAuthState())', { field: 'state' });
  if (!Array.isArray(options.scopes) || options.scopes.some((s) => typeof s !== 'string' || /\s/.test(s) || s === '')) {
    throw new InvalidInputError('scopes must be an array of scope names without spaces, e.g. ["read:jira-work"]', { field: 'scopes' });
  }
  const authHost = validateTenantHost(options.authHost ?? JIRA_DEFAULTS.authHost, {
    allowLoopback: options.allowLoopback,
    allowHttp: options.allowLoopback,
    field: 'authHost',
  });
  const scopes = [...new Set([...options.scopes, 'offline_access'])];
  const url = new URL('/authorize', authHost);
  url.search = new URLSearchParams({
    audience: 'api.atlassian.com',
    client_id: options.clientId,
    scope: scopes.join(' '),
    redirect_uri: options.redirectUri,
    state,
    response_type: 'code',
    prompt: 'consent',
  }).toString();
  return url.href;
}

/** Options of {@link exchangeAuthorizationCode}. */
export interface CodeExchangeOptions {
  /** Client id of the app. */
  clientId: string;
  /** Client secret, or a function returning it. Never logged. */
  clientSecret: SecretSource;
  /** The `code` from the callback. Single use. */
  code: string;
  /** The same redirect URI as in the authorisation URL. */
  redirectUri: string;
  /** Where the refresh token goes; written before this function returns. */
  refreshTokenStore: RefreshTokenStore;
  /** Authorisation server. Default `https://auth.atlassian.com`. */
  authHost?: string;
  /** Accept a loopback `authHost` (emulators). */
  allowLoopback?: boolean;
  /** `fetch` for the token call. Default global fetch. */
  fetch?: typeof fetch;
}

/** Result of {@link exchangeAuthorizationCode} (the refresh token is only in the store). */
export interface CodeExchangeResult {
  /** Scopes granted. */
  scope: string;
  /** Access token lifetime in seconds. */
  expiresIn: number;
}

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.number(),
  scope: z.string().optional(),
});

/**
 * Exchanges the authorisation code for tokens (`grant_type=authorization_code`) and persists the refresh token.
 * Never retried: a code is single-use. Throws InvalidInputError when no refresh token came back (the
 * `offline_access` scope was not granted).
 */
export async function exchangeAuthorizationCode(options: CodeExchangeOptions): Promise<CodeExchangeResult> {
  nonEmpty(options?.clientId, 'clientId', 'the app client id');
  nonEmpty(options.code, 'code', 'the code query parameter of the callback');
  nonEmpty(options.redirectUri, 'redirectUri', 'the callback URL used in the authorisation URL');
  const store = options.refreshTokenStore;
  if (typeof store?.write !== 'function') throw new InvalidInputError('refreshTokenStore with write() is required', { field: 'refreshTokenStore' });
  const secret = typeof options.clientSecret === 'function' ? await options.clientSecret() : options.clientSecret;
  nonEmpty(secret, 'clientSecret', 'the app client secret');
  const http = createHttpClient({
    baseUrl: options.authHost ?? JIRA_DEFAULTS.authHost,
    allowLoopback: options.allowLoopback ?? false,
    retry: false,
    throttle: false,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const body = await http.post('oauth/token', {
    json: { grant_type: 'authorization_code', client_id: options.clientId, client_secret: secret, code: options.code, redirect_uri: options.redirectUri },
    schema: tokenResponseSchema,
    operation: 'oauth.exchangeCode',
  });
  if (!body.refresh_token) {
    throw new InvalidInputError('No refresh token was issued: request the offline_access scope (createAuthorizationUrl adds it) and authorise again', {
      field: 'scopes',
    });
  }
  try {
    await store.write(body.refresh_token);
  } catch (cause) {
    throw new RefreshTokenPersistError({ cause });
  }
  return { scope: body.scope ?? '', expiresIn: body.expires_in };
}

const siteSchema = z.object({ id: z.string().min(1), name: z.string(), url: z.string(), scopes: z.array(z.string()).default([]) });

/** Lists the sites an OAuth token can reach (`GET {apiHost}/oauth/token/accessible-resources`). */
export async function listAccessibleResources(options: {
  tokenProvider: TokenProvider;
  apiHost?: string;
  allowLoopback?: boolean;
  fetch?: typeof fetch;
  http?: HttpClient;
}): Promise<JiraSite[]> {
  const http =
    options.http ??
    createHttpClient({
      baseUrl: options.apiHost ?? JIRA_DEFAULTS.apiHost,
      allowLoopback: options.allowLoopback ?? false,
      auth: options.tokenProvider,
      throttle: false,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  return http.get('oauth/token/accessible-resources', { schema: z.array(siteSchema), operation: 'oauth.accessibleResources' });
}

const normalizeSite = (url: string): string => {
  try {
    return new URL(url).origin.toLowerCase();
  } catch {
    return url.trim().replace(/\/+$/, '').toLowerCase();
  }
};

/**
 * Picks the site: by `siteUrl` when given, the only one when there is one; otherwise a
 * {@link JiraSiteSelectionError} that lists the sites.
 */
export function selectSite(sites: readonly JiraSite[], siteUrl?: string): JiraSite {
  const list = sites.map((s) => `${s.url} (cloudId ${s.id})`).join(', ');
  if (sites.length === 0) {
    throw new JiraSiteSelectionError('The OAuth grant gives access to no Jira site: authorise the app on a site (the user must pick one on the consent screen)', sites);
  }
  if (siteUrl !== undefined) {
    const wanted = normalizeSite(siteUrl);
    const match = sites.find((s) => normalizeSite(s.url) === wanted);
    if (!match) throw new JiraSiteSelectionError(`The OAuth grant does not cover ${siteUrl}; it covers: ${list}`, sites);
    return match;
  }
  if (sites.length > 1) {
    throw new JiraSiteSelectionError(`The OAuth grant covers ${sites.length} Jira sites; set auth.siteUrl (or auth.cloudId) to one of: ${list}`, sites);
  }
  return sites[0] as JiraSite;
}
