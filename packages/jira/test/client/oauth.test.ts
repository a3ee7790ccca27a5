import { describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { isAuthenticationError, isInvalidInputError, type RefreshLock } from '@ml-connector/core';
import {
  connectJira,
  createAuthorizationUrl,
  createOAuthState,
  exchangeAuthorizationCode,
  isJiraSiteSelectionError,
  type JiraSiteSelectionError,
  verifyOAuthState,
} from '@ml-connector/jira';
import { SANDBOX_API_TOKEN, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_EMAIL, createJiraSandbox } from '@ml-connector/jira/testing';
import { FAST_THROTTLE, memoryStore } from './helpers.js';

const oauth = (store: ReturnType<typeof memoryStore>, extra: Record<string, unknown> = {}) => ({
  kind: 'oauth' as const,
  clientId: SANDBOX_CLIENT_ID,
  clientSecret: SANDBOX_CLIENT_SECRET,
  refreshTokenStore: store,
  ...extra,
});

describe('authorisation URL and code exchange', () => {
  it('builds the authorize URL with state, audience and offline_access', () => {
    const state = createOAuthState();
    const url = new URL(createAuthorizationUrl({ clientId: 'app', redirectUri: 'https://app.example.com/cb', scopes: ['read:jira-work'], state }));
    expect(url.origin + url.pathname).toBe('https://auth.atlassian.com/authorize');
    expect(url.searchParams.get('audience')).toBe('api.atlassian.com');
    expect(url.searchParams.get('scope')).toBe('read:jira-work offline_access');
    expect(url.searchParams.get('state')).toBe(state);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(verifyOAuthState(state, url.searchParams.get('state'))).toBe(true);
    expect(verifyOAuthState(state, `${state}x`)).toBe(false);
    expect(() => createAuthorizationUrl({ clientId: 'app', redirectUri: 'https://x/cb', scopes: [], state: 'short' })).toThrow(/at least 16/);
  });

  it('follows the consent redirect, exchanges the code, persists the refresh token and refuses code reuse', async () => {
    const sandbox = createJiraSandbox();
    const state = createOAuthState();
    const redirectUri = 'http://127.0.0.1:9/callback';
    const authorize = createAuthorizationUrl({ clientId: SANDBOX_CLIENT_ID, redirectUri, scopes: ['read:jira-work', 'write:jira-work'], state });
    const consent = await sandbox.fetch(authorize, { redirect: 'manual' });
    expect(consent.status).toBe(302);
    const callback = new URL(consent.headers.get('location') ?? '');
    expect(verifyOAuthState(state, callback.searchParams.get('state'))).toBe(true);
    const store = memoryStore();
    const code = callback.searchParams.get('code') as string;
    const result = await exchangeAuthorizationCode({ clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET, code, redirectUri, refreshTokenStore: store, fetch: sandbox.fetch });
    expect(result.scope).toContain('offline_access');
    expect(store.value).toMatch(/^rt_/);
    const reuse = await exchangeAuthorizationCode({ clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET, code, redirectUri, refreshTokenStore: memoryStore(), fetch: sandbox.fetch }).catch((e: unknown) => e);
    expect((reuse as { vendorCode?: string }).vendorCode).toBe('invalid_grant');
    const jira = await connectJira({ auth: oauth(store), fetch: sandbox.fetch, throttle: FAST_THROTTLE });
    expect(jira.site).toEqual({ url: 'https://acme.atlassian.net', cloudId: sandbox.cloudId() });
    expect(jira.baseUrl).toBe(`https://api.atlassian.com/ex/jira/${sandbox.cloudId()}/`);
    expect(store.writes).toBe(2); // the exchange, then the first refresh (rotated before use)
  });
});

describe('site selection from accessible-resources', () => {
  const twoSites = () => createJiraSandbox({ sites: [{ name: 'acme' }, { name: 'globex' }] });

  it('lists the sites in a clear error when several are accessible and none is chosen', async () => {
    const sandbox = twoSites();
    const error = await connectJira({ auth: oauth(memoryStore(sandbox.issueRefreshToken())), fetch: sandbox.fetch }).catch((e: unknown) => e);
    expect(isJiraSiteSelectionError(error)).toBe(true);
    const e = error as JiraSiteSelectionError;
    expect(e.sites.map((s) => s.url)).toEqual(['https://acme.atlassian.net', 'https://globex.atlassian.net']);
    expect(e.message).toContain('set auth.siteUrl');
    expect(e.message).toContain(sandbox.cloudId('globex'));
  });

  it('picks the site by URL and routes calls through its cloudId', async () => {
    const sandbox = twoSites();
    const jira = await connectJira({ auth: oauth(memoryStore(sandbox.issueRefreshToken()), { siteUrl: 'https://GLOBEX.atlassian.net/' }), fetch: sandbox.fetch, throttle: FAST_THROTTLE });
    expect(jira.site.cloudId).toBe(sandbox.cloudId('globex'));
    await jira.issues.create({ project: 'FIN', issueType: 'Task', summary: 'on globex' });
    expect(sandbox.sites.get('globex')?.issues.size).toBe(1);
    expect(sandbox.sites.get('acme')?.issues.size).toBe(0);
    const wrong = await connectJira({ auth: oauth(memoryStore(sandbox.issueRefreshToken()), { siteUrl: 'https://initech.atlassian.net' }), fetch: sandbox.fetch }).catch((e: unknown) => e);
    expect((wrong as Error).message).toMatch(/does not cover https:\/\/initech/);
  });

  it('refuses a grant that covers no site', async () => {
    const sandbox = twoSites();
    const error = await connectJira({ auth: oauth(memoryStore(sandbox.issueRefreshToken({ sites: [] }))), fetch: sandbox.fetch }).catch((e: unknown) => e);
    expect(isJiraSiteSelectionError(error)).toBe(true);
  });
});

describe('rotating refresh tokens', () => {
  /** A lock shared by "processes" (here: clients with their own token caches), like an advisory lock. */
  const createLock = (): RefreshLock => {
    let tail: Promise<unknown> = Promise.resolve();
    return (fn) => {
      const run = tail.then(fn, fn);
      tail = run.catch(() => undefined);
      return run;
    };
  };

  it('two processes sharing one refresh token with the lock hook: 0 invalid_grant, every call succeeds', async () => {
    const sandbox = createJiraSandbox({ tokenLifetimeSeconds: 3600 });
    const store = memoryStore(sandbox.issueRefreshToken());
    const lock = createLock();
    const connect = () => connectJira({ auth: oauth(store, { lock, cloudId: sandbox.cloudId() }), fetch: sandbox.fetch, throttle: FAST_THROTTLE });
    const [p1, p2] = await Promise.all([connect(), connect()]);
    const calls = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? p1 : p2).issues.create({ project: 'FIN', issueType: 'Task', summary: `call ${i}` })),
    );
    expect(calls.filter((c) => c.status === 'rejected')).toEqual([]);
    // Each process refreshed once, one after the other, each with the token the other had just persisted.
    sandbox.revokeAccessTokens();
    await Promise.all([p1.issues.get('FIN-1'), p2.issues.get('FIN-2')]);
    expect(sandbox.stats.invalidGrant).toBe(0);
    expect(sandbox.stats.refreshes).toBe(4);
    expect(store.writes).toBe(4);
  });

  it('without a lock, a spent refresh token is refused (invalid_grant) and the error says to re-authorise', async () => {
    const sandbox = createJiraSandbox();
    const token = sandbox.issueRefreshToken();
    // Two processes each with their own copy of the same token (separate stores: no re-read can save them).
    const a = await connectJira({ auth: oauth(memoryStore(token), { cloudId: sandbox.cloudId() }), fetch: sandbox.fetch, throttle: FAST_THROTTLE });
    await a.issues.create({ project: 'FIN', issueType: 'Task', summary: 'a' });
    const b = await connectJira({ auth: oauth(memoryStore(token), { cloudId: sandbox.cloudId() }), fetch: sandbox.fetch, throttle: FAST_THROTTLE });
    const error = await b.issues.get('FIN-1').catch((e: unknown) => e);
    expect(isAuthenticationError(error)).toBe(true);
    expect((error as Error).message).toMatch(/re-authorisation is needed/);
    expect(sandbox.stats.invalidGrant).toBeGreaterThan(0);
    const text = `${JSON.stringify(error)} ${inspect(error)}`;
    expect(text).not.toContain(token);
    expect(text).not.toContain(SANDBOX_CLIENT_SECRET);
  });
});

describe('API token auth', () => {
  it('uses Basic email:token against the site URL and never leaks the token', async () => {
    const sandbox = createJiraSandbox();
    const seen: string[] = [];
    const jira = await connectJira({
      auth: { kind: 'api-token', siteUrl: 'https://acme.atlassian.net', email: SANDBOX_EMAIL, apiToken: SANDBOX_API_TOKEN },
      fetch: async (input, init) => {
        const request = new Request(input as RequestInfo, init);
        seen.push(`${request.url} ${request.headers.get('authorization')?.split(' ')[0]}`);
        return sandbox.fetch(request);
      },
      throttle: FAST_THROTTLE,
    });
    await jira.issues.create({ project: 'FIN', issueType: 'Task', summary: 'x' });
    expect(seen).toEqual(['https://acme.atlassian.net/rest/api/3/issue Basic']);
    const bad = await connectJira({
      auth: { kind: 'api-token', siteUrl: 'https://acme.atlassian.net', email: SANDBOX_EMAIL, apiToken: 'wrong-token-value' },
      customFields: { documentKey: 'ML Document Key' },
      fetch: sandbox.fetch,
    }).catch((e: unknown) => e);
    expect(isAuthenticationError(bad)).toBe(true);
    expect(`${JSON.stringify(bad)} ${inspect(bad)}`).not.toContain('wrong-token-value');
    await expect(connectJira({ auth: { kind: 'api-token', siteUrl: 'http://acme.atlassian.net', email: 'a@b.c', apiToken: 't' } })).rejects.toSatisfy(isInvalidInputError);
    await expect(connectJira({ auth: { kind: 'api-token', siteUrl: 'https://acme.atlassian.net', email: 'nope', apiToken: 't' } })).rejects.toThrow(/e-mail/);
  });

  it('dynamic webhooks are refused for API-token callers (OAuth apps only)', async () => {
    const sandbox = createJiraSandbox();
    const jira = await connectJira({ auth: { kind: 'api-token', siteUrl: sandbox.siteUrl(), email: SANDBOX_EMAIL, apiToken: SANDBOX_API_TOKEN }, fetch: sandbox.fetch, throttle: FAST_THROTTLE });
    await expect(jira.webhooks.register('https://hooks.example.com/jira', [{ events: ['jira:issue_created'], jqlFilter: 'project = FIN' }])).rejects.toThrow(/OAuth 2.0 apps/);
  });
});
