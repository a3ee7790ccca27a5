/**
 * Emulated Atlassian authorisation server (`auth.atlassian.com`) and the `accessible-resources` endpoint.
 * - `GET /authorize?…` → 302 to `redirect_uri?code=…&state=…` (the user consents to the configured sites).
 * - `POST /oauth/token` (JSON, as Atlassian documents; form-encoded also accepted — UNCONFIRMED whether the real
 *   server accepts it) with `grant_type=authorization_code` or `refresh_token`.
 * - Rotating refresh tokens: every refresh returns a new refresh token and kills the old one; reusing a spent one is
 *   403 `{"error":"invalid_grant","error_description":"Unknown or invalid refresh token."}` (status and text from
 *   community reports, UNCONFIRMED). `refreshTokenReuseIntervalMs` (default 0) allows reuse for a grace period.
 * - Codes are single use and expire after 10 minutes (UNCONFIRMED lifetime).
 */
import { randomBytes } from 'node:crypto';
import { json } from './errors.js';

/** An OAuth app registered with the emulator. */
export interface AtlassianOAuthApp {
  clientId: string;
  clientSecret: string;
  /** Redirect URIs allowed for this app. Default: any loopback or https URL. */
  redirectUris?: readonly string[];
}

/** What an access token grants. */
export interface AccessGrant {
  clientId: string;
  /** cloudIds the user consented to. */
  siteIds: string[];
  scopes: string[];
  /** Account the app acts as. */
  accountId: string;
  expiresAt: number;
}

interface RefreshState {
  clientId: string;
  siteIds: string[];
  scopes: string[];
  accountId: string;
  spentAt?: number;
  successor?: string;
}

/** @internal */
export interface AtlassianAuthServerOptions {
  apps: readonly AtlassianOAuthApp[];
  now: () => number;
  tokenLifetimeSeconds: number;
  refreshTokenReuseIntervalMs: number;
  /** Sites the user consents to on `/authorize` (default all). */
  consentSiteIds: () => string[];
}

/** @internal */
export class AtlassianAuthServer {
  private readonly codes = new Map<string, { clientId: string; redirectUri: string; scopes: string[]; siteIds: string[]; expiresAt: number; used: boolean }>();
  private readonly refresh = new Map<string, RefreshState>();
  private readonly access = new Map<string, AccessGrant>();
  /** Counters for assertions. */
  readonly stats = { tokenRequests: 0, invalidGrant: 0, refreshes: 0, codeExchanges: 0 };

  constructor(private readonly options: AtlassianAuthServerOptions) {}

  /** Issues an authorisation code directly (what a user's consent produces). */
  issueCode(input: { clientId: string; redirectUri: string; scopes: string[]; siteIds?: string[] }): string {
    const code = `code_${randomBytes(16).toString('base64url')}`;
    this.codes.set(code, {
      clientId: input.clientId,
      redirectUri: input.redirectUri,
      scopes: input.scopes,
      siteIds: input.siteIds ?? this.options.consentSiteIds(),
      expiresAt: this.options.now() + 10 * 60_000,
      used: false,
    });
    return code;
  }

  /** Seeds a refresh token directly (tests that skip the consent step). */
  issueRefreshToken(input: { clientId: string; scopes: string[]; siteIds?: string[] }): string {
    const token = `rt_${randomBytes(24).toString('base64url')}`;
    this.refresh.set(token, { clientId: input.clientId, scopes: input.scopes, siteIds: input.siteIds ?? this.options.consentSiteIds(), accountId: 'emulator-app-user' });
    return token;
  }

  /** The grant of a bearer token, or a reason it is not valid. */
  grantOf(token: string): AccessGrant | 'unknown' | 'expired' {
    const grant = this.access.get(token);
    if (!grant) return 'unknown';
    if (grant.expiresAt <= this.options.now()) return 'expired';
    return grant;
  }

  /** Revokes every access token (next API call answers 401). */
  revokeAccessTokens(): void {
    this.access.clear();
  }

  authorize(url: URL): Response {
    const q = url.searchParams;
    const app = this.options.apps.find((a) => a.clientId === q.get('client_id'));
    const redirect = q.get('redirect_uri') ?? '';
    if (!app) return json(400, { error: 'invalid_request', error_description: 'Unknown client_id' });
    if (q.get('response_type') !== 'code' || q.get('audience') !== 'api.atlassian.com') {
      return json(400, { error: 'invalid_request', error_description: 'response_type=code and audience=api.atlassian.com are required' });
    }
    if (app.redirectUris && !app.redirectUris.includes(redirect)) return json(400, { error: 'invalid_request', error_description: 'redirect_uri mismatch' });
    const code = this.issueCode({ clientId: app.clientId, redirectUri: redirect, scopes: (q.get('scope') ?? '').split(' ').filter(Boolean) });
    const target = new URL(redirect);
    target.searchParams.set('code', code);
    if (q.get('state') !== null) target.searchParams.set('state', q.get('state') as string);
    return new Response(null, { status: 302, headers: { location: target.href } });
  }

  async token(request: Request): Promise<Response> {
    this.stats.tokenRequests++;
    if (request.method !== 'POST') return json(405, { error: 'invalid_request', error_description: 'POST required' });
    const type = request.headers.get('content-type') ?? '';
    const text = await request.text();
    let params: Record<string, string>;
    try {
      params = type.includes('application/json') ? (JSON.parse(text) as Record<string, string>) : Object.fromEntries(new URLSearchParams(text));
    } catch {
      return json(400, { error: 'invalid_request', error_description: 'Malformed request body' });
    }
    const app = this.options.apps.find((a) => a.clientId === params.client_id);
    if (!app || params.client_secret !== app.clientSecret) {
      return json(401, { error: 'access_denied', error_description: 'Unauthorized' });
    }
    const now = this.options.now();
    if (params.grant_type === 'authorization_code') {
      const code = this.codes.get(params.code ?? '');
      if (!code || code.used || code.expiresAt <= now || code.clientId !== app.clientId || code.redirectUri !== params.redirect_uri) {
        this.stats.invalidGrant++;
        return json(403, { error: 'invalid_grant', error_description: 'Invalid authorization code' });
      }
      code.used = true;
      this.stats.codeExchanges++;
      return this.issue({ clientId: app.clientId, scopes: code.scopes, siteIds: code.siteIds, accountId: 'emulator-app-user' });
    }
    if (params.grant_type === 'refresh_token') {
      const state = this.refresh.get(params.refresh_token ?? '');
      const graceOver = state?.spentAt !== undefined && now - state.spentAt >= this.options.refreshTokenReuseIntervalMs;
      if (!state || state.clientId !== app.clientId || (state.spentAt !== undefined && graceOver)) {
        this.stats.invalidGrant++;
        return json(403, { error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.' });
      }
      state.spentAt ??= now;
      this.stats.refreshes++;
      return this.issue(state);
    }
    return json(400, { error: 'unsupported_grant_type', error_description: `grant_type ${params.grant_type} is not supported` });
  }

  private issue(grant: Omit<RefreshState, 'spentAt' | 'successor'>): Response {
    const lifetime = this.options.tokenLifetimeSeconds;
    const accessToken = `at_${randomBytes(24).toString('base64url')}`;
    this.access.set(accessToken, { ...grant, siteIds: [...grant.siteIds], scopes: [...grant.scopes], expiresAt: this.options.now() + lifetime * 1000 });
    const body: Record<string, unknown> = { access_token: accessToken, expires_in: lifetime, token_type: 'Bearer', scope: grant.scopes.join(' ') };
    if (grant.scopes.includes('offline_access')) {
      const refreshToken = `rt_${randomBytes(24).toString('base64url')}`;
      this.refresh.set(refreshToken, { clientId: grant.clientId, scopes: grant.scopes, siteIds: grant.siteIds, accountId: grant.accountId });
      body.refresh_token = refreshToken;
    }
    return json(200, body);
  }
}
