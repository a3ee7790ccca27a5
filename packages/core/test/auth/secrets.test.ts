import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { http, HttpResponse } from 'msw';
import pino from 'pino';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Logger, createClientCredentialsProvider, createRefreshTokenProvider } from '@ml-connector/core';

const TOKEN_URL = 'https://login.example.test/tenant-1/oauth2/v2.0/token';
const CLIENT_SECRET = 'Sup3r-Secret~Value.2026';
const REFRESH_TOKEN = 'refresh-token-abcdef-123456';
const ACCESS_TOKEN = 'eyJ0eXAiOi.access-token-payload.signature';
const KEY_PEM = readFileSync(new URL('./fixtures/test-key.pem', import.meta.url), 'utf8');

/** A logger that serialises everything it is given, as a JSON log sink would. */
function capturingLogger(lines: string[]): Logger {
  const log = (level: string) => (fields: Record<string, unknown>, message?: string) => lines.push(JSON.stringify({ level, message, ...fields }));
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** Every way an error tends to end up in a log or a bug report. */
function renderings(error: unknown): string[] {
  const e = error as Error;
  return [
    String(e),
    e.message,
    JSON.stringify(e),
    inspect(e, { depth: 10 }),
    inspect(e.cause, { depth: 10, showHidden: true }),
    JSON.stringify(pino.stdSerializers.err(e)),
    e.stack ?? '',
  ];
}

describe('secrets never leak from token providers', () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  // Servers that echo what they received are the worst case: description, unknown fields and raw text.
  const echo = (status: number, asText = false) =>
    http.post(TOKEN_URL, async ({ request }) => {
      const raw = await request.text();
      const form = new URLSearchParams(raw);
      const received = [...form.values()].join(' ');
      return asText
        ? new HttpResponse(`bad request: ${raw}`, { status })
        : HttpResponse.json({ error: 'invalid_client', error_description: `rejected ${received}`, echo: Object.fromEntries(form) }, { status });
    });

  it.each([
    [401, false],
    [400, true],
    [500, false],
  ])('client secret: no leak in errors or logs for a %i echoing response (text body: %s)', async (status, asText) => {
    server.use(echo(status, asText));
    const lines: string[] = [];
    const provider = createClientCredentialsProvider({
      tokenUrl: TOKEN_URL,
      clientId: 'app-1',
      clientSecret: CLIENT_SECRET,
      logger: capturingLogger(lines),
      sleep: async () => {},
    });
    const error = await provider.getToken().catch((e: unknown) => e);
    const formEncoded = new URLSearchParams({ s: CLIENT_SECRET }).toString().slice(2);
    expect(formEncoded).not.toBe(CLIENT_SECRET);
    for (const text of [...renderings(error), ...lines]) {
      expect(text).not.toContain(CLIENT_SECRET);
      expect(text).not.toContain(formEncoded);
    }
    expect(JSON.stringify(error)).toContain('[REDACTED]');
  });

  it('client assertion: the signed JWT never appears in errors', async () => {
    let assertion = '';
    server.use(
      http.post(TOKEN_URL, async ({ request }) => {
        assertion = new URLSearchParams(await request.text()).get('client_assertion')!;
        return HttpResponse.json({ error: 'invalid_client', error_description: `bad assertion ${assertion}` }, { status: 401 });
      }),
    );
    const provider = createClientCredentialsProvider({
      tokenUrl: TOKEN_URL,
      clientId: 'app-1',
      clientAssertion: { privateKey: KEY_PEM, algorithm: 'PS256', thumbprintSha256: 'a'.repeat(64) },
    });
    const error = await provider.getToken().catch((e: unknown) => e);
    expect(assertion.length).toBeGreaterThan(100);
    for (const text of renderings(error)) {
      expect(text).not.toContain(assertion);
      expect(text).not.toContain(assertion.split('.')[2]);
    }
  });

  it('refresh and access tokens: absent from re-authorisation errors and success logs', async () => {
    let calls = 0;
    server.use(
      http.post(TOKEN_URL, async ({ request }) => {
        calls++;
        const refresh = new URLSearchParams(await request.text()).get('refresh_token');
        return calls === 1
          ? HttpResponse.json({ access_token: ACCESS_TOKEN, refresh_token: `${REFRESH_TOKEN}-2`, expires_in: 1 })
          : HttpResponse.json({ error: 'invalid_grant', error_description: `token ${refresh} expired` }, { status: 403 });
      }),
    );
    let stored = REFRESH_TOKEN;
    const lines: string[] = [];
    const provider = createRefreshTokenProvider({
      tokenUrl: TOKEN_URL,
      clientId: 'app-1',
      clientSecret: CLIENT_SECRET,
      store: { read: async () => stored, write: async (t) => void (stored = t) },
      logger: capturingLogger(lines),
    });
    await provider.getToken();
    const error = await provider.getToken({ forceRefresh: true }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/re-authorisation is needed/);
    for (const text of [...renderings(error), ...lines]) {
      for (const secret of [CLIENT_SECRET, REFRESH_TOKEN, ACCESS_TOKEN]) expect(text).not.toContain(secret);
    }
    expect(lines.length).toBeGreaterThan(0);
  });
});
