import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, basicAuthorization, isInvalidInputError, validateBaseUrl, validateTenantHost } from '@ml-connector/core';

function rejection(fn: () => unknown): InvalidInputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return error as InvalidInputError;
  }
  throw new Error('expected InvalidInputError');
}

describe('validateTenantHost', () => {
  it.each([
    ['acme.api.jaggaer.com', 'https://acme.api.jaggaer.com'],
    ['https://acme.atlassian.net/', 'https://acme.atlassian.net'],
    ['  HTTPS://ACME.Atlassian.NET  ', 'https://acme.atlassian.net'],
    ['nav.example.test:7048', 'https://nav.example.test:7048'],
    ['https://acme.example.test:443', 'https://acme.example.test'],
  ])('normalises %j to %j', (input, origin) => {
    expect(validateTenantHost(input)).toBe(origin);
  });

  it.each([
    ['http://acme.example.test', /must use https/],
    ['ftp://acme.example.test', /must use https/],
    ['https://acme.example.test/j1p/api', /remove the path/],
    ['https://acme.example.test/?x=1', /query/],
    ['https://acme.example.test/#top', /fragment/],
    ['acme.example.test?', /query/],
    ['https://10.0.0.5', /IP address/],
    ['https://[2001:db8::1]', /IP address/],
    ['', /required/],
    ['https://exa mple.test', /not a valid host/],
  ])('rejects %j', (input, message) => {
    const error = rejection(() => validateTenantHost(input));
    expect(error.message).toMatch(message);
    expect(error.field).toBe('host');
  });

  it('rejects credentials without echoing them', () => {
    const error = rejection(() => validateTenantHost('https://admin:hunter2@acme.example.test'));
    expect(error.message).toMatch(/credentials/);
    expect(error.message).not.toContain('hunter2');
  });

  it.each(['localhost', 'LOCALHOST.', 'tenant.localhost', '127.0.0.1', '127.1.2.3', '[::1]', '0x7f.1', '2130706433', '[::ffff:127.0.0.1]'])(
    'rejects loopback %j unless allowLoopback',
    (host) => {
      expect(rejection(() => validateTenantHost(host)).message).toMatch(/loopback/);
      expect(validateTenantHost(host, { allowLoopback: true })).toMatch(/^https:\/\//);
    },
  );

  it('accepts http only for loopback hosts with both allowLoopback and allowHttp', () => {
    expect(validateTenantHost('http://127.0.0.1:8080', { allowLoopback: true, allowHttp: true })).toBe('http://127.0.0.1:8080');
    rejection(() => validateTenantHost('http://127.0.0.1:8080', { allowLoopback: true }));
    rejection(() => validateTenantHost('http://acme.example.test', { allowLoopback: true, allowHttp: true }));
  });

  it('accepts IP addresses with allowIpAddress and reports a custom field', () => {
    expect(validateTenantHost('10.0.0.5', { allowIpAddress: true })).toBe('https://10.0.0.5');
    expect(rejection(() => validateTenantHost('http://x.example.test', { field: 'jaggaer.host' })).field).toBe('jaggaer.host');
  });

  it('property: DNS host names normalise to their lower-cased https origin', () => {
    const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/);
    const host = fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom('com', 'net', 'test')).map(([labels, tld]) => [...labels, tld].join('.'))
      .filter((h) => !/^[\d.]+$/.test(h));
    fc.assert(
      fc.property(host, fc.boolean(), (h, withScheme) => {
        const input = withScheme ? `https://${h.toUpperCase()}/` : h;
        expect(validateTenantHost(input)).toBe(`https://${h}`);
      }),
    );
  });

  it('property: any string either yields a credential-free https origin or throws InvalidInputError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.domain()), (input) => {
        let result: string;
        try {
          result = validateTenantHost(input);
        } catch (error) {
          expect(isInvalidInputError(error)).toBe(true);
          return;
        }
        const url = new URL(result);
        expect(url.protocol).toBe('https:');
        expect(url.username + url.password + url.search + url.hash).toBe('');
        expect(result).toBe(url.origin);
      }),
    );
  });
});

describe('validateBaseUrl', () => {
  it('keeps the service root path and ends it with a slash', () => {
    expect(validateBaseUrl('https://contoso.operations.dynamics.com/data/')).toBe('https://contoso.operations.dynamics.com/data/');
    expect(validateBaseUrl('contoso.operations.dynamics.com/data')).toBe('https://contoso.operations.dynamics.com/data/');
    expect(validateBaseUrl('https://pod.fa.example.test')).toBe('https://pod.fa.example.test/');
  });

  it('rejects query strings, credentials and http with field baseUrl', () => {
    for (const input of ['https://x.example.test/data/?$top=1', 'https://u:p@x.example.test/data', 'http://x.example.test/data']) {
      expect(rejection(() => validateBaseUrl(input)).field).toBe('baseUrl');
    }
  });
});

describe('basicAuthorization', () => {
  it('builds a UTF-8 Basic header value', () => {
    expect(basicAuthorization({ username: 'jira@example.test', password: 'api-token' })).toBe(
      `Basic ${Buffer.from('jira@example.test:api-token').toString('base64')}`,
    );
    expect(basicAuthorization({ username: 'jürgen', password: 'pä:ss' })).toBe(`Basic ${Buffer.from('jürgen:pä:ss', 'utf8').toString('base64')}`);
  });

  it.each([
    [{ username: 'a:b', password: 'x' }, 'username'],
    [{ username: '', password: 'x' }, 'username'],
    [{ username: 'a', password: '' }, 'password'],
    [{ username: 'a\r\nX-Evil: 1', password: 'x' }, 'username'],
    [{ username: 'a', password: 'x\n' }, 'password'],
  ])('rejects %j', (credentials, field) => {
    const error = rejection(() => basicAuthorization(credentials));
    expect(error.field).toBe(field);
    expect(error.message).not.toContain(credentials.password || '\u0000');
  });

  it('property: decoding the header gives back user and password', () => {
    const printable = fc.string({ minLength: 1 }).filter((s) => !/[\u0000-\u001f\u007f]/.test(s));
    fc.assert(
      fc.property(printable.filter((s) => !s.includes(':')), printable, (username, password) => {
        const header = basicAuthorization({ username, password });
        const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
        expect(decoded).toBe(`${username}:${password}`);
      }),
    );
  });
});
