import { describe, expect, it } from 'vitest';
import {
  type PipelinePolicy,
  type PipelineRequest,
  createHttpClient,
  createPipeline,
  isInvalidInputError,
} from '@ml-connector/core';

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
