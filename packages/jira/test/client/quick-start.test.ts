import { describe, expect, it } from 'vitest';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, createJiraSandbox } from '@ml-connector/jira/testing';
import { quickStart } from '../examples/quick-start.js';
import { memoryStore } from './helpers.js';

describe('README quick start', () => {
  it('runs against the sandbox and does not duplicate on a second run', async () => {
    const sandbox = createJiraSandbox({ indexLagMs: 0 });
    const store = memoryStore(sandbox.issueRefreshToken());
    const options = { clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET, refreshTokenStore: store, lock: <T>(fn: () => Promise<T>) => fn(), siteUrl: 'https://acme.atlassian.net', fetch: sandbox.fetch };
    const log = console.log;
    console.log = () => undefined;
    try {
      const key = await quickStart(options);
      expect(await quickStart({ ...options })).toBe(key);
    } finally {
      console.log = log;
    }
    expect(sandbox.sites.get('acme')?.issues.size).toBe(1);
  });
});
