import {
  AuthenticationError,
  ConflictError,
  InvalidInputError,
  NetworkError,
  NotFoundError,
  OutcomeUnknownError,
  PermissionError,
  RateLimitError,
  ServerError,
  ValidationError,
} from '@ml-connector/core';
import { DataError, classifyFailure, contentHash } from '@ml-connector/core/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const init = { method: 'POST', url: 'http://127.0.0.1/x' };

describe('classifyFailure', () => {
  it.each([
    ['retryable', new RateLimitError('429', { ...init, status: 429 })],
    ['retryable', new ServerError('503', { ...init, status: 503 })],
    ['retryable', new NetworkError('reset', init)],
    ['retryable', new OutcomeUnknownError('reset after send', init)],
    ['retryable', new Error('something unexpected')],
    ['data', new DataError('missing-mapping', 'no account for GL 6000')],
    ['data', new ValidationError('400', { ...init, status: 400 })],
    ['data', new ConflictError('409', { ...init, status: 409 })],
    ['data', new NotFoundError('404', { ...init, status: 404 })],
    ['fatal', new AuthenticationError('401', { ...init, status: 401 })],
    ['fatal', new PermissionError('403', { ...init, status: 403 })],
    ['fatal', new InvalidInputError('tenant is not set')],
  ] as const)('%s: %o', (expected, error) => {
    expect(classifyFailure(error)).toBe(expected);
  });
});

describe('contentHash', () => {
  it('does not depend on key order, at any depth', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (value) => {
        const reversed = Object.fromEntries(Object.entries(value).reverse());
        expect(contentHash({ nested: reversed, list: [reversed] })).toBe(contentHash({ list: [value], nested: value }));
      }),
    );
  });

  it('changes with content, ignores undefined fields like JSON, and is hex SHA-256', () => {
    expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: 2 }));
    expect(contentHash({ a: 1, b: undefined })).toBe(contentHash({ a: 1 }));
    expect(contentHash([1, 2])).not.toBe(contentHash([2, 1]));
    expect(contentHash({ at: new Date(0) })).toBe(contentHash({ at: '1970-01-01T00:00:00.000Z' }));
    expect(contentHash('x')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a value that contains itself', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => contentHash(cyclic)).toThrow(InvalidInputError);
  });
});
