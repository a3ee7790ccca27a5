import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { decodeProtectedHeader, importX509, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { createClientCredentialsProvider, isInvalidInputError } from '@ml-connector/core';
import { fakeTokenEndpoint, tokenJson } from './token-endpoint-fake.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const CERT_PEM = fixture('test-cert.pem');
const KEY_PEM = fixture('test-key.pem');
// From `openssl x509 -noout -fingerprint -sha1|-sha256` (see fixtures/README.md).
const SHA1_HEX = '75:D4:55:37:54:1E:B1:EA:3D:70:D7:E1:C4:32:24:7A:61:37:69:63';
const SHA256_HEX = 'ED:EE:35:10:69:AD:3D:32:3A:C5:B8:7C:92:90:58:86:49:EB:00:73:07:A3:2F:E5:4F:B8:98:F0:70:83:F6:10';
const b64url = (hex: string) => Buffer.from(hex.replace(/:/g, ''), 'hex').toString('base64url');

const TOKEN_URL = 'https://login.example.test/tenant-1/oauth2/v2.0/token';

async function assertionFor(clientAssertion: Parameters<typeof createClientCredentialsProvider>[0]['clientAssertion'], now = 1_700_000_000_000) {
  const { fetch, requests } = fakeTokenEndpoint(() => tokenJson({ access_token: 'at', expires_in: 3600 }));
  const provider = createClientCredentialsProvider({
    tokenUrl: TOKEN_URL,
    clientId: 'app-1',
    scope: 'https://api.example.test/.default',
    clientAssertion: clientAssertion!,
    fetch,
    now: () => now,
  });
  await provider.getToken();
  const form = requests[0]!.form;
  return { form, assertion: form.get('client_assertion')!, provider, requests };
}

describe('certificate client assertion', () => {
  it('signs an RS256 JWT with x5t (SHA-1 thumbprint) and the claims Entra requires', async () => {
    const now = Date.now();
    const { form, assertion } = await assertionFor({ privateKey: KEY_PEM, certificate: CERT_PEM, algorithm: 'RS256' }, now);
    expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    expect(form.has('client_secret')).toBe(false);

    const header = decodeProtectedHeader(assertion);
    expect(header).toMatchObject({ alg: 'RS256', typ: 'JWT', x5t: b64url(SHA1_HEX) });
    expect(header['x5t#S256']).toBeUndefined();

    const { payload } = await jwtVerify(assertion, await importX509(CERT_PEM, 'RS256'), {
      issuer: 'app-1',
      subject: 'app-1',
      audience: TOKEN_URL,
    });
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(payload.iat).toBe(Math.floor(now / 1000));
    expect(payload.nbf).toBe(payload.iat);
    expect(payload.exp! - payload.iat!).toBe(300);
  });

  it('signs PS256 with x5t#S256 (SHA-256 thumbprint), verifiable with the certificate', async () => {
    const { assertion } = await assertionFor({ privateKey: KEY_PEM, certificate: CERT_PEM, algorithm: 'PS256' }, Date.now());
    const header = decodeProtectedHeader(assertion);
    expect(header).toMatchObject({ alg: 'PS256', 'x5t#S256': b64url(SHA256_HEX) });
    expect(header.x5t).toBeUndefined();
    await expect(jwtVerify(assertion, await importX509(CERT_PEM, 'PS256'), { audience: TOKEN_URL })).resolves.toBeDefined();
  });

  it('accepts a DER certificate', async () => {
    const der = Buffer.from(CERT_PEM.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const { assertion } = await assertionFor({ privateKey: KEY_PEM, certificate: new Uint8Array(der), algorithm: 'RS256' });
    expect(decodeProtectedHeader(assertion).x5t).toBe(b64url(SHA1_HEX));
  });

  it('sends the only thumbprint given, whatever the algorithm (hex with colons or base64url)', async () => {
    const ps = await assertionFor({ privateKey: KEY_PEM, thumbprintSha1: SHA1_HEX, algorithm: 'PS256' });
    expect(decodeProtectedHeader(ps.assertion)).toMatchObject({ alg: 'PS256', x5t: b64url(SHA1_HEX) });
    const rs = await assertionFor({ privateKey: KEY_PEM, thumbprintSha256: b64url(SHA256_HEX), algorithm: 'RS256' });
    expect(decodeProtectedHeader(rs.assertion)).toMatchObject({ alg: 'RS256', 'x5t#S256': b64url(SHA256_HEX) });
  });

  it('accepts a KeyObject and a kid, and mints a fresh jti for every token request', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { provider, requests } = await assertionFor({ privateKey, algorithm: 'RS256', keyId: 'key-7' });
    await provider.getToken({ forceRefresh: true });
    const assertions = requests.map((r) => r.form.get('client_assertion')!);
    expect(decodeProtectedHeader(assertions[0]!).kid).toBe('key-7');
    const jtis = await Promise.all(
      assertions.map(async (a) => (await jwtVerify(a, publicKey, { currentDate: new Date(1_700_000_000_000) })).payload.jti),
    );
    expect(new Set(jtis).size).toBe(2);
  });

  it('accepts a WebCrypto CryptoKey', async () => {
    const { privateKey, publicKey } = (await crypto.subtle.generateKey(
      { name: 'RSA-PSS', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    )) as CryptoKeyPair;
    const { assertion } = await assertionFor({ privateKey, algorithm: 'PS256' }, Date.now());
    await expect(jwtVerify(assertion, publicKey)).resolves.toBeDefined();
  });

  it('rejects bad keys, certificates, thumbprints and algorithms with InvalidInputError naming the field', () => {
    const fieldOf = (clientAssertion: object) => {
      try {
        createClientCredentialsProvider({ tokenUrl: TOKEN_URL, clientId: 'app-1', clientAssertion: clientAssertion as never });
      } catch (error) {
        expect(isInvalidInputError(error)).toBe(true);
        expect(String((error as Error).message)).not.toContain('MII');
        return (error as { field?: string }).field;
      }
      return undefined;
    };
    expect(fieldOf({ privateKey: KEY_PEM.slice(0, 200), algorithm: 'RS256' })).toBe('clientAssertion.privateKey');
    expect(fieldOf({ privateKey: KEY_PEM, algorithm: 'HS256' })).toBe('clientAssertion.algorithm');
    expect(fieldOf({ privateKey: KEY_PEM, algorithm: 'RS256', certificate: 'not a cert' })).toBe('clientAssertion.certificate');
    expect(fieldOf({ privateKey: KEY_PEM, algorithm: 'RS256', thumbprintSha1: 'abc' })).toBe('clientAssertion.thumbprintSha1');
    expect(fieldOf({ privateKey: KEY_PEM, algorithm: 'RS256', lifetimeSeconds: 3600 })).toBe('clientAssertion.lifetimeSeconds');
  });
});
