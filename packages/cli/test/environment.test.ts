import { describe, expect, it } from 'vitest';
import { ENV_GROUPS, loadConnectorEnvironment, readEnvGroup, readSystemEnvironment } from '../src/index.js';

describe('environment variable groups', () => {
  it('reads nothing as undefined, a full mode as values, and names what a partial one lacks (never a value)', () => {
    expect(readSystemEnvironment({}, 'jira')).toBeUndefined();
    expect(readSystemEnvironment({ JIRA_SITE_URL: 'https://acme.atlassian.net', JIRA_EMAIL: 'a@b.c', JIRA_API_TOKEN: 'tok' }, 'jira')).toEqual({
      siteUrl: 'https://acme.atlassian.net',
      email: 'a@b.c',
      apiToken: 'tok',
    });
    // The mode follows what is set: a client id means OAuth, which needs its secret, not an e-mail.
    expect(() => readSystemEnvironment({ JIRA_SITE_URL: 'https://acme.atlassian.net', JIRA_CLIENT_ID: 'app', JIRA_API_TOKEN: 'leaked-value' }, 'jira')).toThrow(
      /^Jira is partly configured \(JIRA_SITE_URL, JIRA_API_TOKEN, JIRA_CLIENT_ID set\) but JIRA_CLIENT_SECRET is missing\. Set JIRA_SITE_URL, JIRA_CLIENT_ID, JIRA_CLIENT_SECRET \(OAuth\) or JIRA_SITE_URL, JIRA_EMAIL, JIRA_API_TOKEN \(API token\)/,
    );
    expect(() => readSystemEnvironment({ JIRA_SITE_URL: 'x', JIRA_CLIENT_ID: 'app', JIRA_API_TOKEN: 'leaked-value' }, 'jira')).not.toThrow(/leaked-value/);
    // With a vault, secrets may be left out.
    expect(readEnvGroup({ JIRA_SITE_URL: 'https://acme.atlassian.net', JIRA_CLIENT_ID: 'app' }, ENV_GROUPS.jira, true)).toEqual({ siteUrl: 'https://acme.atlassian.net', clientId: 'app' });
  });

  it('shapes Oracle by its mode and requires NAV_SCOPE only off Business Central online', () => {
    expect(readSystemEnvironment({ ORACLE_HOST: 'h', ORACLE_USERNAME: 'u', ORACLE_PASSWORD: 'p' }, 'oracleFusion')).toEqual({ host: 'h', basic: { username: 'u', password: 'p' } });
    const nav = { NAV_CLIENT_ID: 'app', NAV_CLIENT_SECRET: 's' };
    expect(() => readSystemEnvironment({ ...nav, NAV_URL: "https://nav.local/NAV/ODataV4/Company('C')" }, 'nav')).toThrow(/NAV_SCOPE is missing/);
    expect(readSystemEnvironment({ ...nav, NAV_URL: "https://api.businesscentral.dynamics.com/v2.0/t/Production/ODataV4/Company('C')" }, 'nav')?.clientId).toBe('app');
  });

  it('loads only the systems asked for (default Business Central and JAGGAER)', () => {
    const partialFo = { FO_ENVIRONMENT_URL: 'https://contoso.operations.dynamics.com' };
    expect(loadConnectorEnvironment(partialFo, '/repo').financeOperations).toBeUndefined();
    expect(() => loadConnectorEnvironment(partialFo, '/repo', { systems: ['financeOperations'] })).toThrow(/FO_TENANT_ID, FO_CLIENT_ID, FO_CLIENT_SECRET are missing/);
  });
});
