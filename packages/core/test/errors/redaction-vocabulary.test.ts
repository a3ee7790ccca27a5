import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  REDACTED,
  ValidationError,
  isSecretUrlParamName,
  redactHeaders,
  redactText,
  redactUrl,
  redactValue,
} from '@ml-connector/core';

// Secrets made of characters that survive URL encoding unchanged, long enough not to occur by chance.
const secretValue = fc.stringMatching(/^[A-Za-z0-9_-]{12,40}$/);

describe('URL parameters', () => {
  const secretParams = ['access_token', 'code', 'code_verifier', 'client_secret', 'key', 'sig', 'subscription-key', 'jwt', 'api_key', 'password', 'client_assertion', 'id_token', 'refresh_token'];
  const keptParams = ['$skiptoken', 'nextPageToken', 'pageToken', 'continuationToken', '$deltatoken', 'company', '$filter', 'state'];

  it('redacts credential parameters in the query and in #fragments, keeps paging tokens', () => {
    fc.assert(
      fc.property(fc.constantFrom(...secretParams), fc.constantFrom(...keptParams), secretValue, secretValue, (secret, kept, a, b) => {
        // A kept value that happens to contain the secret would be found by the first assertion, not leaked.
        fc.pre(!b.includes(a));
        for (const sep of ['?', '#']) {
          const out = redactUrl(`https://erp.example.com/cb${sep}${encodeURIComponent(secret)}=${a}&${encodeURIComponent(kept)}=${b}`);
          expect(out).not.toContain(a);
          expect(out).toContain(b);
        }
      }),
    );
  });
  it('names implicit-grant fragments and user info', () => {
    const out = redactUrl('https://user:pa55word@app.example.com/cb#access_token=eyJabc.def.ghi&token_type=Bearer&expires_in=3600');
    expect(out).toBe('https://app.example.com/cb#access_token=%5BREDACTED%5D&token_type=Bearer&expires_in=3600');
    expect(redactUrl('not a url?code=abc#x')).toBe(`not a url?${REDACTED}`);
  });
  it('vocabulary by name', () => {
    for (const name of secretParams) expect(isSecretUrlParamName(name), name).toBe(true);
    for (const name of keptParams) expect(isSecretUrlParamName(name), name).toBe(false);
  });
});

describe('body keys', () => {
  it('keeps vendor error codes, record keys and paging tokens; redacts credentials', () => {
    fc.assert(
      fc.property(secretValue, (v) => {
        const body = {
          error: { code: v, message: 'x' },
          key: v,
          nextPageToken: v,
          '@odata.nextLink': `https://h/x?$skiptoken=${v}`,
          code_verifier: `${v}-1`,
          jwt: `${v}-2`,
          client_secret: `${v}-3`,
          nested: [{ refresh_token: `${v}-4`, subscriptionKey: `${v}-5`, password: `${v}-6` }],
          passwordExpired: true,
        };
        const out = redactValue(body);
        expect(out.error.code).toBe(v);
        expect(out.key).toBe(v);
        expect(out.nextPageToken).toBe(v);
        expect(out['@odata.nextLink']).toContain(v);
        expect(out.passwordExpired).toBe(true);
        for (const i of [1, 2, 3, 4, 5, 6]) expect(JSON.stringify(out)).not.toContain(`${v}-${i}`);
      }),
    );
    expect(redactValue({ code: 'E1', nextPageToken: 't' })).toEqual({ code: 'E1', nextPageToken: 't' });
  });
});

describe('headers by pattern', () => {
  it.each([
    ['Authorization', true],
    ['Proxy-Authorization', true],
    ['Cookie', true],
    ['Set-Cookie', true],
    ['X-Auth-Token', true],
    ['X-CSRF-Token', true],
    ['Ocp-Apim-Subscription-Key', true],
    ['X-Functions-Key', true],
    ['X-Client-Secret-Value', true],
    ['api-key', true],
    ['Content-Type', false],
    ['X-Request-Id', false],
    ['X-Continuation-Token', false],
    ['Keep-Alive', false],
  ])('%s secret: %s', (name, secret) => {
    expect(redactHeaders({ [name]: 'value-123' })[name.toLowerCase()]).toBe(secret ? REDACTED : 'value-123');
  });
});

describe('free text', () => {
  it('removes credentials from messages and keeps prose', () => {
    expect(redactText('GET https://h/x?access_token=abc123456&company=C failed')).toBe(
      'GET https://h/x?access_token=%5BREDACTED%5D&company=C failed',
    );
    expect(redactText('header was Bearer eyJhbGciOi.payload.sig')).toBe(`header was Bearer ${REDACTED}`);
    expect(redactText('body client_secret=s3cr3t-value&grant_type=client_credentials')).toBe(
      `body client_secret=${REDACTED}&grant_type=client_credentials`,
    );
    expect(redactText('Basic authentication is disabled; error code=42')).toBe('Basic authentication is disabled; error code=42');
    // URLs without credentials are kept verbatim, not normalised.
    const odata = "See HTTPS://Api.Example.com/v2.0/companies(1)/vendors?$filter=number%20eq%20'V1'&$top=5 for details";
    expect(redactText(odata)).toBe(odata);
  });
});

describe('echoed secrets (property)', () => {
  it('a secret passed as `secrets` never survives in any field or rendering, however it is embedded', () => {
    const token = fc.stringMatching(/^[A-Za-z0-9+/=._~-]{8,60}$/);
    const text = fc.string({ maxLength: 20 });
    fc.assert(
      fc.property(token, text, text, fc.constantFrom<'raw' | 'uri' | 'form'>('raw', 'uri', 'form'), (secret, before, after, spelling) => {
        const echoed =
          spelling === 'raw' ? secret : spelling === 'uri' ? encodeURIComponent(secret) : new URLSearchParams({ s: secret }).toString().slice(2);
        const error = new ValidationError(`Request rejected: ${before}${echoed}${after}`, {
          method: 'POST',
          url: 'https://erp.example.com/x',
          vendorMessage: `${before}${echoed}${after}`,
          data: { anything: [`${before}${echoed}${after}`], other: { deep: echoed } },
          details: { echoed },
          secrets: [`Bearer ${secret}`, secret],
        });
        const views = [String(error), error.message, error.vendorMessage ?? '', JSON.stringify(error), inspect(error, { depth: 10 }), error.stack ?? ''];
        for (const view of views) expect(view).not.toContain(secret);
      }),
      { numRuns: 200 },
    );
  });
});
