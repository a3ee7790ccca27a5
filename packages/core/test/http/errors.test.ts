import { inspect } from 'node:util';
import { HttpResponse, http } from 'msw';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  type HttpError,
  RateLimitError,
  createHttpClient,
  isAuthenticationError,
  isConflictError,
  isConnectorError,
  isHttpError,
  isInvalidInputError,
  isNotFoundError,
  isPermissionError,
  isRateLimitError,
  isResponseValidationError,
  isServerError,
  isValidationError,
} from '@ml-connector/core';
import { BASE, captureLogger, sequenceTokenProvider, useMswServer } from './helpers.js';

const server = useMswServer();
const url = (p: string) => new URL(p, BASE).href;
const client = (extra: Partial<Parameters<typeof createHttpClient>[0]> = {}) =>
  createHttpClient({ baseUrl: BASE, allowLoopback: true, retry: false, throttle: false, ...extra });

async function failWith(status: number, body: unknown, headers: Record<string, string> = {}): Promise<HttpError> {
  server.use(
    http.all(url('thing'), () =>
      typeof body === 'string'
        ? new HttpResponse(body, { status, headers: { 'content-type': 'text/plain', ...headers } })
        : HttpResponse.json(body as object, { status, headers }),
    ),
  );
  try {
    await client().get('thing');
  } catch (e) {
    expect(isHttpError(e)).toBe(true);
    return e as HttpError;
  }
  throw new Error('expected a failure');
}

describe('error mapping: one row per status class and vendor envelope', () => {
  const odata = (code: string, message: string) => ({ error: { code, message } });
  it.each([
    [400, odata('BadRequest_InvalidToken', 'Bad token'), isValidationError, 'VALIDATION_FAILED', 'BadRequest_InvalidToken', 'Bad token'],
    [413, odata('RequestEntityTooLarge', 'Too big'), isValidationError, 'VALIDATION_FAILED', 'RequestEntityTooLarge', 'Too big'],
    [422, { errorMessages: ['Field is required'], errors: { summary: 'too long' } }, isValidationError, 'VALIDATION_FAILED', undefined, 'Field is required; summary: too long'],
    [401, odata('Authentication_InvalidCredentials', 'The credentials provided are incorrect'), isAuthenticationError, 'AUTHENTICATION_FAILED', 'Authentication_InvalidCredentials', 'The credentials provided are incorrect'],
    [403, { error: 'insufficient_scope', error_description: 'Missing API.ReadWrite.All' }, isPermissionError, 'PERMISSION_DENIED', 'insufficient_scope', 'Missing API.ReadWrite.All'],
    [404, odata('BadRequest_NotFound', 'The specified resource was not found.'), isNotFoundError, 'NOT_FOUND', 'BadRequest_NotFound', 'The specified resource was not found.'],
    [409, { title: 'Conflict', detail: 'Duplicate InvoiceNumber', 'o:errorCode': 'AP-123' }, isConflictError, 'CONFLICT', 'AP-123', 'Conflict: Duplicate InvoiceNumber'],
    [412, odata('Request_EntityChanged', 'Another user has already changed the record.'), isConflictError, 'PRECONDITION_FAILED', 'Request_EntityChanged', 'Another user has already changed the record.'],
    [429, odata('Application_TooManyRequests', 'Too many requests'), isRateLimitError, 'RATE_LIMITED', 'Application_TooManyRequests', 'Too many requests'],
    [500, { returnCode: 500, returnMessage: 'Internal failure' }, isServerError, 'SERVER_ERROR', '500', 'Internal failure'],
    [503, 'Service Unavailable', isServerError, 'SERVER_ERROR', undefined, 'Service Unavailable'],
    [418, { message: 'teapot' }, isHttpError, 'HTTP_ERROR', undefined, 'teapot'],
  ] as const)('%i → %s', async (status, body, guard, code, vendorCode, vendorMessage) => {
    const error = await failWith(status, body, { 'request-id': 'srv-123' });
    expect(guard(error)).toBe(true);
    expect(error).toMatchObject({ status, code, method: 'GET', url: url('thing') });
    expect(error.vendorCode).toBe(vendorCode);
    expect(error.vendorMessage).toBe(vendorMessage);
    expect(error.requestId).toMatch(/^[0-9a-f-]{36} \(server srv-123\)$/);
    expect(error.message).toContain(`GET ${url('thing')} ${status}`);
  });
  it('OData v3 messages in { value } form are read too', async () => {
    const error = await failWith(400, { error: { code: 'x', message: { lang: 'en-US', value: 'Old style' } } });
    expect(error.vendorMessage).toBe('Old style');
  });
  it('OData v3 JSON envelopes (`odata.error`, as NAV answers on /OData/) are read too', async () => {
    const error = await failWith(400, { 'odata.error': { code: 'Internal_ServerError', message: { lang: 'en-US', value: 'Vendor No. must have a value' } } });
    expect(isValidationError(error)).toBe(true);
    expect(error).toMatchObject({ vendorCode: 'Internal_ServerError', vendorMessage: 'Vendor No. must have a value' });
  });
  it('carries retryAfterMs on a final 429', async () => {
    const error = await failWith(429, {}, { 'retry-after': '7' });
    expect(error.retryAfterMs).toBe(7000);
  });
});

describe('type guards', () => {
  it('work across duplicate package copies (no instanceof)', () => {
    const real = new RateLimitError('x', { method: 'GET', url: 'https://a.example.com/' });
    // Simulate a second copy of the package: same brand symbol and kinds, different prototype.
    const foreign = Object.assign(Object.create(null), { kinds: real.kinds, [Symbol.for('@ml-connector/core/ConnectorError')]: true });
    expect(isRateLimitError(foreign)).toBe(true);
    expect(isHttpError(foreign)).toBe(true);
    expect(isConnectorError(foreign)).toBe(true);
    expect(isAuthenticationError(foreign)).toBe(false);
    expect(isConnectorError({ kinds: ['ConnectorError'] })).toBe(false);
    expect(isConnectorError(new Error('plain'))).toBe(false);
    expect(isConnectorError(null)).toBe(false);
  });
});

describe('secrets never leak', () => {
  const SECRET_TOKEN = 'eyJ-SECRET-TOKEN-abcdef123456';
  it('keeps tokens, Authorization and secret query values out of messages, JSON, inspect and logs', async () => {
    server.use(http.get(url('secure'), () => HttpResponse.json({ error: { code: 'Denied', message: 'nope' } }, { status: 403 })));
    const logger = captureLogger();
    const http_ = client({ auth: sequenceTokenProvider([SECRET_TOKEN]), logger });
    let caught: unknown;
    try {
      await http_.get('secure', { query: { access_token: 'QUERY-SECRET-999', company: 'CRONUS' } });
    } catch (e) {
      caught = e;
    }
    expect(isPermissionError(caught)).toBe(true);
    const views = [
      String(caught),
      JSON.stringify(caught),
      inspect(caught, { depth: 10 }),
      inspect((caught as Error).cause, { depth: 10, showHidden: true }),
      JSON.stringify(pino.stdSerializers.err(caught as Error)),
      (caught as Error).stack ?? '',
      JSON.stringify(logger.lines),
    ];
    for (const view of views) {
      expect(view).not.toContain(SECRET_TOKEN);
      expect(view).not.toContain('QUERY-SECRET-999');
    }
    expect((caught as HttpError).url).toContain('access_token=%5BREDACTED%5D');
    expect((caught as HttpError).url).toContain('company=CRONUS');
  });
  it('redacts credential-like keys in error bodies', async () => {
    const error = await failWith(400, { error: 'invalid_request', client_secret: 'echoed-secret-value', refresh_token: 'rt-value' });
    expect(JSON.stringify(error)).not.toContain('echoed-secret-value');
    expect(JSON.stringify(error)).not.toContain('rt-value');
  });
  it('never logs the Basic password', async () => {
    server.use(http.get(url('basic'), ({ request }) => HttpResponse.json({ auth: request.headers.get('authorization') })));
    const logger = captureLogger();
    const data = await client({ auth: { username: 'svc', password: 'Pa55-word-secret' }, logger }).get<{ auth: string }>('basic');
    expect(data.auth).toBe(`Basic ${Buffer.from('svc:Pa55-word-secret').toString('base64')}`);
    expect(JSON.stringify(logger.lines)).not.toContain('Pa55-word-secret');
    expect(JSON.stringify(logger.lines)).not.toContain(Buffer.from('svc:Pa55-word-secret').toString('base64'));
  });
});

describe('auth policy', () => {
  it('on 401 invalidates the token and retries once with a fresh one', async () => {
    const seen: string[] = [];
    server.use(
      http.get(url('me'), ({ request }) => {
        const auth = request.headers.get('authorization') ?? '';
        seen.push(auth);
        return auth === 'Bearer fresh' ? HttpResponse.json({ ok: true }) : HttpResponse.json({}, { status: 401 });
      }),
    );
    const provider = sequenceTokenProvider(['stale', 'fresh']);
    const res = await client({ auth: provider }).request({ path: 'me' });
    expect(res.data).toEqual({ ok: true });
    expect(seen).toEqual(['Bearer stale', 'Bearer fresh']);
    expect(provider.invalidated).toEqual(['stale']);
    expect(res.retries).toEqual([{ attempt: 1, reason: 'unauthorized-token-refreshed', delayMs: 0, status: 401 }]);
  });
  it('a second 401 becomes an AuthenticationError (no loop)', async () => {
    let calls = 0;
    server.use(http.post(url('me'), () => (calls++, HttpResponse.json({}, { status: 401 }))));
    await expect(client({ auth: sequenceTokenProvider(['a', 'b', 'c']) }).post('me', { json: {} })).rejects.toSatisfy(isAuthenticationError);
    expect(calls).toBe(2);
  });
});

describe('request shaping', () => {
  it('sends JSON, query parameters and a request id; parses with a zod schema', async () => {
    server.use(
      http.post(url('vendors'), async ({ request }) =>
        HttpResponse.json({
          got: await request.json(),
          q: new URL(request.url).search,
          rid: request.headers.get('x-ms-client-request-id'),
          ct: request.headers.get('content-type'),
        }),
      ),
    );
    const c = client({ requestIdHeader: 'x-ms-client-request-id', createRequestId: () => 'rid-1' });
    const schema = z.object({ got: z.object({ n: z.number() }), q: z.string(), rid: z.string(), ct: z.string() });
    const res = await c.request({ method: 'POST', path: 'vendors', json: { n: 1 }, query: { $top: 5, skip: undefined, company: 'A&B' }, schema });
    expect(res.data).toEqual({ got: { n: 1 }, q: '?%24top=5&company=A%26B', rid: 'rid-1', ct: 'application/json' });
    expect(res.requestId).toBe('rid-1');
  });
  it('rejects a body that does not match the schema with ResponseValidationError naming the path', async () => {
    server.use(http.get(url('v'), () => HttpResponse.json({ value: [{ id: 1 }] })));
    const schema = z.object({ value: z.array(z.object({ id: z.string() })) });
    await expect(client().request({ path: 'v', schema })).rejects.toSatisfy(
      (e: unknown) => isResponseValidationError(e) && /value\.0\.id/.test((e as Error).message),
    );
  });
  it('follows absolute links on the same origin but refuses other hosts', async () => {
    server.use(http.get(url('page2'), () => HttpResponse.json({ page: 2 })));
    expect(await client().get(url('page2'))).toEqual({ page: 2 });
    await expect(client().get('https://evil.example.com/steal')).rejects.toSatisfy(isInvalidInputError);
  });
  it('validates baseUrl and timeoutMs up front', () => {
    expect(() => createHttpClient({ baseUrl: 'http://erp.example.com/' })).toThrowError(/https/);
    expect(() => createHttpClient({ baseUrl: 'http://127.0.0.1:1/' })).toThrowError(/loopback/);
    expect(() => createHttpClient({ baseUrl: 'https://erp.example.com/', timeoutMs: 0 })).toThrowError(/timeoutMs/);
  });
});
