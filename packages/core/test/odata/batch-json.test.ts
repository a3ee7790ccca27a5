import { describe, expect, it } from 'vitest';
import {
  buildJsonBatch,
  chunkBatchRequests,
  InvalidInputError,
  isOutcomeUnknownError,
  isResponseValidationError,
  isValidationError,
  type JsonBatchRequest,
  MAX_BATCH_OPERATIONS,
  parseJsonBatchResponse,
  ResponseValidationError,
} from '@ml-connector/core';

const company = 'companies(6f9619ff-8b86-d011-b42d-00c04fc964ff)';

describe('buildJsonBatch', () => {
  it('builds the Business Central request document with default ids and JSON content type', () => {
    const batch = buildJsonBatch(
      [
        { method: 'POST', url: `${company}/customers`, body: { displayName: 'Adatum' }, atomicityGroup: 'g1' },
        { id: 'c2', method: 'PATCH', url: `${company}/customers(1)`, headers: { 'If-Match': '*' }, body: { blocked: 'All' }, atomicityGroup: 'g1' },
        { method: 'GET', url: `${company}/customers?$top=1`, dependsOn: ['g1'] },
      ],
      { isolation: 'snapshot' },
    );
    expect(batch.headers).toEqual({ 'Content-Type': 'application/json', Accept: 'application/json', Isolation: 'snapshot' });
    expect(batch.body).toEqual({
      requests: [
        {
          id: '1',
          method: 'POST',
          url: `${company}/customers`,
          headers: { 'Content-Type': 'application/json' },
          body: { displayName: 'Adatum' },
          atomicityGroup: 'g1',
        },
        {
          id: 'c2',
          method: 'PATCH',
          url: `${company}/customers(1)`,
          headers: { 'If-Match': '*', 'Content-Type': 'application/json' },
          body: { blocked: 'All' },
          atomicityGroup: 'g1',
        },
        { id: '3', method: 'GET', url: `${company}/customers?$top=1`, dependsOn: ['g1'] },
      ],
    });
    expect(buildJsonBatch([{ method: 'GET', url: 'items' }]).headers).not.toHaveProperty('Isolation');
  });

  it('refuses more than 100 operations and tells the caller to split', () => {
    const requests: JsonBatchRequest[] = Array.from({ length: 101 }, (_, i) => ({ method: 'GET', url: `items(${i})` }));
    expect(() => buildJsonBatch(requests)).toThrow(/at most 100 operations, got 101; split them with chunkBatchRequests/);
    expect(buildJsonBatch(requests.slice(0, MAX_BATCH_OPERATIONS)).body.requests).toHaveLength(100);
  });

  it('validates urls, methods, headers, ids, dependencies and groups', () => {
    const bad: [JsonBatchRequest[], RegExp][] = [
      [[{ method: 'GET', url: 'https://api.businesscentral.dynamics.com/v2.0/x' }], /relative to the service root/],
      [[{ method: 'GET', url: '//evil.example/x' }], /relative to the service root/],
      [[{ method: 'GET', url: 'items ?x' }], /without spaces/],
      [[{ method: 'HEAD' as never, url: 'items' }], /method must be one of/],
      [[{ method: 'GET', url: 'items', headers: { 'X-A': 'a\r\nAuthorization: x' } }], /without line breaks/],
      [[{ id: 'a', method: 'GET', url: 'x' }, { id: 'a', method: 'GET', url: 'y' }], /unique/],
      [[{ method: 'GET', url: 'x', dependsOn: ['2'] }, { method: 'GET', url: 'y' }], /earlier request id/],
      [
        [
          { method: 'POST', url: 'x', atomicityGroup: 'g' },
          { method: 'POST', url: 'y' },
          { method: 'POST', url: 'z', atomicityGroup: 'g' },
        ],
        /adjacent/,
      ],
      [[{ method: 'POST', url: 'x', atomicityGroup: 'g', dependsOn: ['g'] }], /earlier request id or atomicity group/],
      [
        [
          { id: 'a', method: 'POST', url: 'x', atomicityGroup: 'g1' },
          { id: 'b', method: 'POST', url: 'y', atomicityGroup: 'g2', dependsOn: ['a'] },
        ],
        /points into atomicity group "g1"; depend on the group "g1" instead/,
      ],
      [
        [
          { id: 'a', method: 'POST', url: 'x', atomicityGroup: 'g1' },
          { id: 'b', method: 'GET', url: 'y', dependsOn: ['a'] },
        ],
        /points into atomicity group "g1"/,
      ],
      [[], /at least one request/],
    ];
    for (const [requests, message] of bad) expect(() => buildJsonBatch(requests)).toThrow(message);
  });
});

describe('chunkBatchRequests', () => {
  it('allows dependsOn inside one atomicity group and on another group by its name', () => {
    const batch = buildJsonBatch([
      { id: 'a', method: 'POST', url: 'x', atomicityGroup: 'g1' },
      { id: 'b', method: 'POST', url: 'y', atomicityGroup: 'g1', dependsOn: ['a'] },
      { id: 'c', method: 'POST', url: 'z', atomicityGroup: 'g2', dependsOn: ['g1'] },
    ]);
    expect(batch.body.requests.map((r) => r.dependsOn)).toEqual([undefined, ['a'], ['g1']]);
  });

  it('splits into ordered batches of at most 100', () => {
    const items = Array.from({ length: 250 }, (_, i) => i);
    const chunks = chunkBatchRequests(items);
    expect(chunks.map((c) => c.length)).toEqual([100, 100, 50]);
    expect(chunks.flat()).toEqual(items);
    expect(chunkBatchRequests(items, 3)[1]).toEqual([3, 4, 5]);
    expect(chunkBatchRequests([])).toEqual([]);
    expect(() => chunkBatchRequests(items, 101)).toThrow(InvalidInputError);
    expect(() => chunkBatchRequests(items, 0)).toThrow(/from 1 to 100/);
  });
});

// A Business Central v2.0 $batch response, answered out of order, with operation 3 missing.
const businessCentralResponse = {
  responses: [
    {
      id: '2',
      status: 400,
      headers: { 'content-type': 'application/json; odata.metadata=minimal', 'odata-version': '4.0' },
      body: {
        error: {
          code: 'BadRequest',
          message: "The field Blocked of table Customer contains a value (Everything) that cannot be found in the related table (Customer Blocked).  CorrelationId:  0b3e41a3-5bd5-4c1e-9a0d-3a1f50f7c2a4.",
        },
      },
    },
    {
      id: '1',
      status: 201,
      headers: {
        Location: `https://api.businesscentral.dynamics.com/v2.0/tenant/Production/api/v2.0/${company}/customers(5d115c9c-44e3-ea11-bb43-000d3a2feca1)`,
        'Content-Type': 'application/json; odata.metadata=minimal; odata.streaming=true',
        ETag: 'W/"JzE5OzgxNzI5ODY1NjU0NDY1NzY4MTExOzAwOyc="',
      },
      body: {
        '@odata.context': `https://api.businesscentral.dynamics.com/v2.0/tenant/Production/api/v2.0/$metadata#companies(6f9619ff-8b86-d011-b42d-00c04fc964ff)/customers/$entity`,
        '@odata.etag': 'W/"JzE5OzgxNzI5ODY1NjU0NDY1NzY4MTExOzAwOyc="',
        id: '5d115c9c-44e3-ea11-bb43-000d3a2feca1',
        number: 'C00010',
        displayName: 'Adatum Corporation',
      },
    },
  ],
};

describe('parseJsonBatchResponse', () => {
  const batch = buildJsonBatch([
    { method: 'POST', url: `${company}/customers`, body: { displayName: 'Adatum Corporation' } },
    { method: 'PATCH', url: `${company}/customers(1)`, headers: { 'If-Match': '*' }, body: { blocked: 'Everything' } },
    { method: 'POST', url: `${company}/customers`, body: { displayName: 'Fabrikam' } },
  ]);

  it('matches responses by id in request order, with typed errors and explicit missing results', () => {
    const results = parseJsonBatchResponse(businessCentralResponse, batch);
    expect(results.map((r) => [r.id, r.status, r.ok])).toEqual([
      ['1', 201, true],
      ['2', 400, false],
      ['3', undefined, false],
    ]);
    const [created, rejected, missing] = results;
    expect(created?.headers.etag).toBe('W/"JzE5OzgxNzI5ODY1NjU0NDY1NzY4MTExOzAwOyc="');
    expect((created?.body as { number: string }).number).toBe('C00010');
    expect(created?.error).toBeUndefined();
    expect(isValidationError(rejected?.error)).toBe(true);
    expect(rejected?.error).toMatchObject({ status: 400, vendorCode: 'BadRequest', method: 'PATCH' });
    expect(rejected?.request.headers).toEqual({ 'If-Match': '*', 'Content-Type': 'application/json' });
    expect(isOutcomeUnknownError(missing?.error)).toBe(true);
    expect(missing?.error?.message).toMatch(/no result for operation "3" \(POST companies/);
  });

  it('accepts the response as text and reports a missing GET as a response error', () => {
    const reads = buildJsonBatch([{ method: 'GET', url: 'items' }, { method: 'GET', url: 'vendors' }]);
    const text = JSON.stringify({ responses: [{ id: '1', status: 200, headers: {}, body: { value: [] } }] });
    const [first, second] = parseJsonBatchResponse(text, reads);
    expect(first).toMatchObject({ id: '1', ok: true, body: { value: [] } });
    expect(isResponseValidationError(second?.error)).toBe(true);
  });

  it('rejects documents that are not batch responses', () => {
    expect(() => parseJsonBatchResponse('<html>', batch)).toThrow(ResponseValidationError);
    expect(() => parseJsonBatchResponse({ value: [] }, batch)).toThrow(/no "responses" array/);
    expect(() => parseJsonBatchResponse({ responses: [{ id: '1', status: '200' }] }, batch)).toThrow(/numeric status/);
  });
});
