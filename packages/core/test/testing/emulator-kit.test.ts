import { readFileSync } from 'node:fs';
import { SignJWT, importPKCS8 } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import {
  EmulatedConnectionDrop,
  TRUNCATE_HEADER,
  createFaultInjector,
  createInProcessFetch,
  createOAuthEmulator,
  createSeededRandom,
  serveOnLoopback,
  type LoopbackServer,
} from '@ml-connector/core/testing';
import { isInvalidInputError } from '@ml-connector/core';

describe('createSeededRandom', () => {
  it('repeats the same sequence for the same seed', () => {
    const a = createSeededRandom('seed-1');
    const b = createSeededRandom('seed-1');
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
    expect(createSeededRandom(2).next()).not.toEqual(createSeededRandom(3).next());
  });
});

describe('createFaultInjector', () => {
  const req = new Request('http://127.0.0.1/x');
  it('injects faults at the configured rate, deterministically', () => {
    const run = () => {
      const f = createFaultInjector({ seed: 7, statusRates: { 503: 0.3 } });
      return Array.from({ length: 1000 }, () => f.nextFault(req)?.kind ?? 'none');
    };
    const faults = run();
    expect(faults).toEqual(run());
    const count = faults.filter((k) => k === 'status').length;
    expect(count).toBeGreaterThan(240);
    expect(count).toBeLessThan(360);
  });
  it('serves queued faults first and respects appliesTo', () => {
    const f = createFaultInjector({ appliesTo: (r) => !r.url.endsWith('/token') });
    f.enqueue({ kind: 'reset-after' });
    expect(f.nextFault(new Request('http://127.0.0.1/token'))).toBeUndefined();
    expect(f.nextFault(req)).toEqual({ kind: 'reset-after' });
    expect(f.nextFault(req)).toBeUndefined();
  });
  it('rejects rates outside [0, 1] with a typed error', () => {
    expect(() => createFaultInjector({ resetBeforeRate: 2 })).toThrowError(/between 0 and 1/);
    let error: unknown;
    try {
      createFaultInjector({ statusRates: { 200: 0.1 } });
      expect.unreachable('a 200 "fault" must be refused');
    } catch (e) {
      error = e;
    }
    expect(isInvalidInputError(error)).toBe(true);
  });
});

describe('serveOnLoopback', () => {
  let server: LoopbackServer | undefined;
  afterEach(async () => server?.close());

  it('serves a fetch handler over real HTTP', async () => {
    server = await serveOnLoopback(async (r) => Response.json({ path: new URL(r.url).pathname, body: await r.text() }));
    const res = await fetch(`${server.url}/hello?x=1`, { method: 'POST', body: 'abc' });
    expect(await res.json()).toEqual({ path: '/hello', body: 'abc' });
  });
  it('drops the connection on an emulated drop and truncates bodies on request', async () => {
    let mode: 'drop' | 'truncate' = 'drop';
    server = await serveOnLoopback(async () => {
      if (mode === 'drop') throw new EmulatedConnectionDrop('after');
      return new Response('x'.repeat(1000), { headers: { [TRUNCATE_HEADER]: '1' } });
    });
    await expect(fetch(server.url)).rejects.toThrow(TypeError);
    mode = 'truncate';
    const res = await fetch(server.url);
    await expect(res.text()).rejects.toThrow();
  });
  it('refuses non-loopback hosts', async () => {
    await expect(serveOnLoopback(async () => new Response(), { host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });
});

describe('createInProcessFetch', () => {
  it('turns drops into fetch-style network errors', async () => {
    const f = createInProcessFetch(async () => {
      throw new EmulatedConnectionDrop('before');
    });
    await expect(f('http://127.0.0.1/')).rejects.toMatchObject({ message: 'fetch failed', cause: { code: 'ECONNRESET' } });
  });
  it('honours an AbortSignal, before and while the handler runs', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let handled = 0;
    const f = createInProcessFetch(async () => {
      handled++;
      await gate;
      return new Response('late');
    });
    const controller = new AbortController();
    const pending = f('http://127.0.0.1/slow', { signal: controller.signal });
    controller.abort();
    release();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await expect(f('http://127.0.0.1/', { signal: AbortSignal.abort(new Error('gave up')) })).rejects.toThrow('gave up');
    expect(handled).toBe(1);
  });
});

describe('createOAuthEmulator', () => {
  const tokenUrl = 'http://127.0.0.1/tenant/oauth2/v2.0/token';
  const form = (fields: Record<string, string>) =>
    new Request(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields),
    });

  it('issues tokens with expires_in and checks expiry, revocation and audience', async () => {
    let now = 1_000_000;
    const idp = createOAuthEmulator({ flavour: 'entra', clients: [{ clientId: 'app', clientSecret: 's3cret' }], tokenLifetimeSeconds: 600, now: () => now });
    const res = await idp.handleTokenRequest(
      form({ grant_type: 'client_credentials', client_id: 'app', client_secret: 's3cret', scope: 'https://api.example.test/.default' }),
    );
    const body = (await res.json()) as { access_token: string; expires_in: number };
    expect(body.expires_in).toBe(600);
    const api = (token = body.access_token) => new Request('http://127.0.0.1/api', { headers: { authorization: `Bearer ${token}` } });
    expect(idp.authenticate(api(), 'https://api.example.test')).toMatchObject({ ok: true, clientId: 'app' });
    expect(idp.authenticate(api(), 'https://other.example.test')).toMatchObject({ ok: false, reason: 'wrong-audience' });
    expect(idp.authenticate(api('nope'), 'https://api.example.test')).toMatchObject({ ok: false, reason: 'unknown' });
    now += 600_000;
    expect(idp.authenticate(api(), 'https://api.example.test')).toMatchObject({ ok: false, reason: 'expired' });
    now -= 1;
    idp.revoke();
    expect(idp.authenticate(api(), 'https://api.example.test')).toMatchObject({ ok: false, reason: 'revoked' });
    expect(idp.issuedCount).toBe(1);
  });

  it('answers bad secrets with the flavour’s error envelope', async () => {
    const entra = createOAuthEmulator({ flavour: 'entra', clients: [{ clientId: 'app', clientSecret: 's3cret' }] });
    const res = await entra.handleTokenRequest(form({ grant_type: 'client_credentials', client_id: 'app', client_secret: 'wrong' }));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
    const kc = createOAuthEmulator({ flavour: 'keycloak', clients: [] });
    const res2 = await kc.handleTokenRequest(form({ grant_type: 'client_credentials', client_id: 'x', client_secret: 'y' }));
    expect(await res2.json()).toEqual({ error: 'unauthorized_client', error_description: "Application with identifier 'x' was not found." });
  });

  describe('client assertions (Entra certificate auth)', () => {
    const certificate = readFileSync(new URL('../auth/fixtures/test-cert.pem', import.meta.url), 'utf8');
    const privateKeyPem = readFileSync(new URL('../auth/fixtures/test-key.pem', import.meta.url), 'utf8');
    // Thumbprints of the fixture certificate (fixtures/README.md), base64url as x5t headers carry them.
    const x5t = Buffer.from('75D45537541EB1EA3D70D7E1C432247A61376963', 'hex').toString('base64url');
    const x5tS256 = Buffer.from('EDEE351069AD3D323AC5B87C92905886' + '49EB007307A32FE54FB898F07083F610', 'hex').toString('base64url');
    const idp = () => createOAuthEmulator({ flavour: 'entra', clients: [{ clientId: 'app', publicKey: certificate }] });
    const sign = async (alg: 'RS256' | 'PS256', header: Record<string, string>) =>
      new SignJWT({})
        .setProtectedHeader({ alg, typ: 'JWT', ...header })
        .setIssuer('app')
        .setSubject('app')
        .setAudience(tokenUrl)
        .setIssuedAt()
        .setExpirationTime('5m')
        .setJti(crypto.randomUUID())
        .sign(await importPKCS8(privateKeyPem, alg));
    const request = (assertion: string) =>
      form({
        grant_type: 'client_credentials',
        client_id: 'app',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      });

    it('takes the algorithm from each request: RS256 then PS256 from one client both succeed', async () => {
      const emulator = idp();
      expect((await emulator.handleTokenRequest(request(await sign('RS256', { x5t })))).status).toBe(200);
      expect((await emulator.handleTokenRequest(request(await sign('PS256', { 'x5t#S256': x5tS256 })))).status).toBe(200);
      expect(emulator.issuedCount).toBe(2);
    });

    it.each([
      ['a wrong x5t', 'RS256', { x5t: Buffer.alloc(20, 1).toString('base64url') }],
      ['a wrong x5t#S256', 'PS256', { 'x5t#S256': Buffer.alloc(32, 1).toString('base64url') }],
      ['no thumbprint', 'RS256', {}],
    ] as const)('refuses %s with 401 invalid_client', async (_label, alg, header) => {
      const response = await idp().handleTokenRequest(request(await sign(alg, header)));
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: 'invalid_client', error_codes: [700027] });
    });

    it.each(['not-a-jwt', 'a.b.c', '%%%'])('answers the malformed assertion %j with 401 invalid_client, not a crash', async (assertion) => {
      const response = await idp().handleTokenRequest(request(assertion));
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: 'invalid_client' });
    });
  });
});
