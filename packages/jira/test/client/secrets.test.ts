import { describe, expect, it } from 'vitest';
import type { Logger } from '@ml-connector/core';
import { connectJira } from '@ml-connector/jira';
import { SANDBOX_API_TOKEN, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_EMAIL, createJiraSandbox } from '@ml-connector/jira/testing';
import { FAST_THROTTLE, memoryStore } from './helpers.js';

function capturingLogger(): { logger: Logger; text: () => string } {
  const lines: unknown[] = [];
  const log = (...args: unknown[]) => void lines.push(args);
  return { logger: { debug: log, info: log, warn: log, error: log }, text: () => JSON.stringify(lines) };
}

describe('secrets never reach the logs', () => {
  it('OAuth: refresh tokens, access tokens and the client secret stay out of every log line, through retries and errors', async () => {
    const sandbox = createJiraSandbox({ indexLagMs: 0 });
    const store = memoryStore(sandbox.issueRefreshToken());
    const seen = new Set<string>([store.value as string]);
    const tokens: string[] = [];
    const { logger, text } = capturingLogger();
    const jira = await connectJira({
      auth: { kind: 'oauth', clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET, refreshTokenStore: store },
      fetch: async (input, init) => {
        const request = new Request(input as RequestInfo, init);
        const bearer = request.headers.get('authorization')?.replace(/^Bearer /, '');
        if (bearer) tokens.push(bearer);
        return sandbox.fetch(request);
      },
      throttle: FAST_THROTTLE,
      logger,
      retry: { baseDelayMs: 0, maxDelayMs: 0 },
    });
    sandbox.faults.enqueue({ kind: 'status', status: 503, retryAfterSeconds: 0 });
    await jira.issues.create({ project: 'FIN', issueType: 'Task', summary: 'x' });
    sandbox.revokeAccessTokens();
    await jira.issues.get('FIN-1');
    await jira.issues.get('FIN-404').catch(() => undefined);
    seen.add(store.value as string);
    expect(tokens.length).toBeGreaterThan(0);
    expect(text().length).toBeGreaterThan(100); // the logger was used
    for (const secret of [...seen, ...tokens, SANDBOX_CLIENT_SECRET]) expect(text()).not.toContain(secret);
  });

  it('API token: the token and its Basic encoding stay out of the logs', async () => {
    const sandbox = createJiraSandbox();
    const { logger, text } = capturingLogger();
    const jira = await connectJira({ auth: { kind: 'api-token', siteUrl: sandbox.siteUrl(), email: SANDBOX_EMAIL, apiToken: SANDBOX_API_TOKEN }, fetch: sandbox.fetch, throttle: FAST_THROTTLE, logger });
    await jira.issues.get('FIN-1').catch(() => undefined);
    expect(text().length).toBeGreaterThan(10);
    expect(text()).not.toContain(SANDBOX_API_TOKEN);
    expect(text()).not.toContain(Buffer.from(`${SANDBOX_EMAIL}:${SANDBOX_API_TOKEN}`).toString('base64'));
  });
});
