import { HttpResponse, http } from 'msw';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type PipelinePolicy,
  type PipelineRequest,
  type RetryReason,
  type RetryRecord,
  createHttpClient,
  createPipeline,
  createRetryBudget,
  isInvalidInputError,
} from '@ml-connector/core';
import { BASE, captureLogger, useMswServer } from './helpers.js';

const server = useMswServer();

const trace: string[] = [];
const policy = (name: string): PipelinePolicy => ({
  name,
  async sendRequest(request, next) {
    trace.push(`>${name}`);
    const res = await next(request);
    trace.push(`<${name}`);
    return res;
  },
});
const request = { context: { attempt: 1, retries: [] } } as unknown as PipelineRequest;
const transport = async (r: PipelineRequest) => {
  trace.push('transport');
  return { status: 200, headers: new Headers(), body: undefined, request: r };
};

describe('createPipeline', () => {
  it('runs policies outermost first and supports before/after/remove', async () => {
    const p = createPipeline([policy('a'), policy('c')]);
    p.addPolicy(policy('b'), { after: 'a' });
    p.addPolicy(policy('z'), { before: 'a' });
    expect(p.getOrderedPolicies().map((x) => x.name)).toEqual(['z', 'a', 'b', 'c']);
    expect(p.removePolicy('c')?.name).toBe('c');
    expect(p.removePolicy('nope')).toBeUndefined();
    trace.length = 0;
    await p.sendRequest(request, transport);
    expect(trace).toEqual(['>z', '>a', '>b', 'transport', '<b', '<a', '<z']);
  });
  it('clones independently', () => {
    const p = createPipeline([policy('a')]);
    const q = p.clone();
    q.addPolicy(policy('b'));
    expect(p.getOrderedPolicies()).toHaveLength(1);
    expect(q.getOrderedPolicies()).toHaveLength(2);
  });
  it('rejects duplicate names and unknown anchors with typed errors', () => {
    const p = createPipeline([policy('a')]);
    expect(() => p.addPolicy(policy('a'))).toThrowError(/already in the pipeline/);
    try {
      p.addPolicy(policy('x'), { before: 'missing' });
      expect.unreachable();
    } catch (e) {
      expect(isInvalidInputError(e)).toBe(true);
      expect((e as Error).message).toContain('present: a');
    }
  });
  it('default client pipeline has the documented order', () => {
    const client = createHttpClient({
      baseUrl: 'https://erp.example.com/api/',
      auth: { username: 'u', password: 'p' },
    });
    expect(client.pipeline.getOrderedPolicies().map((p) => p.name)).toEqual(['requestId', 'retry', 'log', 'throttle', 'auth']);
    const noRetry = createHttpClient({ baseUrl: 'https://erp.example.com/', retry: false, throttle: false });
    expect(noRetry.pipeline.getOrderedPolicies().map((p) => p.name)).toEqual(['requestId', 'log']);
  });
});

const tenantHeader: PipelinePolicy = {
  name: 'tenantHeader',
  sendRequest(request, next) {
    const headers = new Headers(request.headers);
    headers.set('x-tenant', 'cronus');
    return next({ ...request, headers });
  },
};

describe('client pipeline cannot be misused', () => {
  it('client.pipeline is a read-only view: no addPolicy to silently do nothing', () => {
    const client = createHttpClient({ baseUrl: 'https://erp.example.com/api/' });
    expect('addPolicy' in client.pipeline).toBe(false);
    expect('removePolicy' in client.pipeline).toBe(false);
    expect(Object.isFrozen(client.pipeline)).toBe(true);
    // @ts-expect-error the view has no addPolicy: clone it and pass the copy to withPipeline
    expect(() => client.pipeline.addPolicy(tenantHeader)).toThrow(TypeError);
    expect(client.pipeline).toBe(client.pipeline); // one view, not a fresh clone per read
  });
  it('withPipeline runs a custom policy, and extend() keeps it while rebuilding the built-ins', async () => {
    const seen: Array<string | null> = [];
    server.use(http.get(new URL('me', BASE).href, ({ request }) => (seen.push(request.headers.get('x-tenant')), HttpResponse.json({}))));
    const base = createHttpClient({ baseUrl: BASE, allowLoopback: true, throttle: false });
    const draft = base.pipeline.clone();
    draft.addPolicy(tenantHeader, { after: 'requestId' });
    const custom = base.withPipeline(draft);
    draft.removePolicy('tenantHeader'); // later edits of the draft do not leak into the client
    await custom.get('me');
    const extended = custom.extend({ timeoutMs: 5000, auth: { username: 'svc', password: 'pw' } });
    await extended.get('me');
    expect(seen).toEqual(['cronus', 'cronus']);
    expect(extended.pipeline.getOrderedPolicies().map((p) => p.name)).toEqual(['requestId', 'tenantHeader', 'retry', 'log', 'auth']);
    expect(custom.extend({ retry: false }).pipeline.getOrderedPolicies().map((p) => p.name)).toEqual(['requestId', 'tenantHeader', 'log']);
  });
});

describe('log policy', () => {
  it('logs each attempt, with its number, as documented', async () => {
    let n = 0;
    server.use(http.get(new URL('flaky', BASE).href, () => (++n === 1 ? HttpResponse.json({}, { status: 503 }) : HttpResponse.json({ ok: true }))));
    const logger = captureLogger();
    const c = createHttpClient({ baseUrl: BASE, allowLoopback: true, throttle: false, logger, retry: { baseDelayMs: 1, random: () => 0 } });
    await c.get('flaky');
    const responses = logger.lines.filter((l) => l.level === 'debug' && l.message === 'response');
    expect(responses.map((l) => [l.fields.attempt, l.fields.status])).toEqual([
      [1, 503],
      [2, 200],
    ]);
  });
});

describe('retry records and budget', () => {
  it('RetryRecord.reason is the RetryReason union (auth refresh included)', () => {
    expectTypeOf<RetryRecord['reason']>().toEqualTypeOf<RetryReason>();
    expectTypeOf<'unauthorized-token-refreshed'>().toExtend<RetryRecord['reason']>();
  });
  it('a successful retry gives back its cost (AWS standard retry quota)', async () => {
    let n = 0;
    server.use(http.get(new URL('once', BASE).href, () => (++n % 2 === 1 ? HttpResponse.json({}, { status: 500 }) : HttpResponse.json({}))));
    const budget = createRetryBudget({ capacity: 10, retryCost: 5, successRefund: 1 });
    const c = createHttpClient({ baseUrl: BASE, allowLoopback: true, throttle: false, retryBudget: budget, retry: { baseDelayMs: 1, random: () => 0 } });
    await c.get('once');
    expect(budget.available).toBe(10);
    await c.get('once');
    await c.get('once');
    expect(budget.available).toBe(10); // refunding only 1 per success would leave 2
  });
});
