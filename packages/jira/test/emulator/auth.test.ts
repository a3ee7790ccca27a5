import { describe, expect, it } from 'vitest';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, createJiraSandbox } from '@ml-connector/jira/testing';

const tokenRequest = (sandbox: ReturnType<typeof createJiraSandbox>, body: Record<string, string>, form = false) =>
  sandbox.fetch('https://auth.atlassian.com/oauth/token', {
    method: 'POST',
    headers: { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' },
    body: form ? new URLSearchParams(body).toString() : JSON.stringify(body),
  });
const refresh = (sandbox: ReturnType<typeof createJiraSandbox>, token: string, form = false) =>
  tokenRequest(sandbox, { grant_type: 'refresh_token', client_id: SANDBOX_CLIENT_ID, client_secret: SANDBOX_CLIENT_SECRET, refresh_token: token }, form);

describe('Atlassian token endpoint', () => {
  it('rotates refresh tokens: each use returns a new one, and a spent one is invalid_grant', async () => {
    const sandbox = createJiraSandbox();
    const first = sandbox.issueRefreshToken();
    const r1 = await refresh(sandbox, first);
    const b1 = (await r1.json()) as { access_token: string; refresh_token: string; expires_in: number; scope: string };
    expect(r1.status).toBe(200);
    expect(b1.expires_in).toBe(3600);
    expect(b1.refresh_token).not.toBe(first);
    const reuse = await refresh(sandbox, first, true);
    expect(reuse.status).toBe(403);
    expect(await reuse.json()).toEqual({ error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.' });
    expect((await refresh(sandbox, b1.refresh_token, true)).status).toBe(200);
    expect(sandbox.stats.invalidGrant).toBe(1);
  });

  it('allows reuse inside a configured grace period only', async () => {
    let t = 0;
    const sandbox = createJiraSandbox({ refreshTokenReuseIntervalMs: 1000, now: () => t });
    const token = sandbox.issueRefreshToken();
    expect((await refresh(sandbox, token)).status).toBe(200);
    t = 999;
    expect((await refresh(sandbox, token)).status).toBe(200);
    t = 1000;
    expect((await refresh(sandbox, token)).status).toBe(403);
  });

  it('refuses a wrong client secret and unknown grant types; no refresh token without offline_access', async () => {
    const sandbox = createJiraSandbox();
    const bad = await tokenRequest(sandbox, { grant_type: 'refresh_token', client_id: SANDBOX_CLIENT_ID, client_secret: 'nope', refresh_token: 'x' });
    expect(bad.status).toBe(401);
    const unknown = await tokenRequest(sandbox, { grant_type: 'password', client_id: SANDBOX_CLIENT_ID, client_secret: SANDBOX_CLIENT_SECRET });
    expect(((await unknown.json()) as { error: string }).error).toBe('unsupported_grant_type');
    const online = sandbox.issueRefreshToken({ scopes: ['read:jira-work'] });
    const body = (await (await refresh(sandbox, online)).json()) as Record<string, unknown>;
    expect(body.refresh_token).toBeUndefined();
  });

  it('serves accessible-resources per grant and checks scopes on the API gateway', async () => {
    const sandbox = createJiraSandbox({ sites: [{ name: 'acme' }, { name: 'globex' }] });
    const readOnly = (await (await refresh(sandbox, sandbox.issueRefreshToken({ scopes: ['read:jira-work', 'offline_access'], sites: ['globex'] }))).json()) as { access_token: string };
    const sites = (await (await sandbox.fetch('https://api.atlassian.com/oauth/token/accessible-resources', { headers: { authorization: `Bearer ${readOnly.access_token}` } })).json()) as Array<{ id: string; url: string; scopes: string[] }>;
    expect(sites).toEqual([expect.objectContaining({ id: sandbox.cloudId('globex'), url: 'https://globex.atlassian.net', scopes: ['read:jira-work'] })]);
    const api = (site: string, method = 'GET', path = 'field') =>
      sandbox.fetch(`https://api.atlassian.com/ex/jira/${sandbox.cloudId(site)}/rest/api/3/${path}`, {
        method,
        headers: { authorization: `Bearer ${readOnly.access_token}`, 'content-type': 'application/json' },
        ...(method === 'GET' ? {} : { body: '{}' }),
      });
    expect((await api('globex')).status).toBe(200);
    expect((await api('acme')).status).toBe(404);
    const write = await api('globex', 'POST', 'issue');
    expect(write.status).toBe(401);
    expect(await write.json()).toEqual({ code: 401, message: 'Unauthorized; scope does not match' });
    expect((await sandbox.fetch('https://api.atlassian.com/oauth/token/accessible-resources')).status).toBe(401);
  });

  it('refuses Basic auth with a wrong token', async () => {
    const sandbox = createJiraSandbox();
    const r = await sandbox.fetch('https://acme.atlassian.net/rest/api/3/field', { headers: { authorization: `Basic ${Buffer.from('a@b.c:nope').toString('base64')}` } });
    expect(r.status).toBe(401);
  });
});
