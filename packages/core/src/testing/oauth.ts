import { X509Certificate, createHash, randomBytes } from 'node:crypto';
import { importSPKI, importX509, jwtVerify, decodeProtectedHeader, type CryptoKey as JoseKey } from 'jose';
import { InvalidInputError } from '../errors/index.js';

/** A client registered with an emulated identity provider. */
export interface EmulatedOAuthClient {
  /** Client (application) id. */
  clientId: string;
  /** Shared secret, for `client_secret` authentication. */
  clientSecret?: string;
  /**
   * PEM certificate or public key (SPKI), for signed client assertions (Entra certificate auth). With a
   * certificate, the assertion's `x5t` / `x5t#S256` must be its SHA-1 / SHA-256 thumbprint, as Entra
   * requires; with a bare public key there is no certificate to compare, so thumbprints are only required.
   */
  publicKey?: string;
  /** Scopes this client may request; any when omitted. */
  allowedScopes?: readonly string[];
}

/** Settings of an emulated OAuth 2.0 token endpoint (Microsoft Entra ID, Keycloak). */
export interface OAuthEmulatorOptions {
  /** Registered clients. */
  clients: readonly EmulatedOAuthClient[];
  /** Lifetime of issued tokens in seconds, or a function (Entra randomises 60–90 min). Default 3600. */
  tokenLifetimeSeconds?: number | (() => number);
  /** Clock in epoch ms, so tests can move time. Default `Date.now`. */
  now?: () => number;
  /** Error body flavour: Entra adds `error_codes`, `trace_id` and `AADSTS` text; Keycloak is plain. */
  flavour: 'entra' | 'keycloak';
  /** Maps a requested scope to the audience stamped on the token. Default: scope without `/.default`. */
  audienceOf?: (scope: string | undefined) => string;
}

/** Outcome of checking a request's bearer token. */
export type AuthCheck =
  | { ok: true; clientId: string; audience: string }
  | { ok: false; reason: 'missing' | 'unknown' | 'expired' | 'revoked' | 'wrong-audience'; message: string };

interface IssuedToken {
  clientId: string;
  audience: string;
  expiresAt: number;
  revoked: boolean;
}

/** An emulated OAuth 2.0 identity provider: a client-credentials token endpoint plus token checks. */
export interface OAuthEmulator {
  /** Handles a token request (`POST`, form-encoded, `grant_type=client_credentials`). */
  handleTokenRequest(request: Request): Promise<Response>;
  /** Checks the `Authorization: Bearer` header of an API request against the expected audience. */
  authenticate(request: Request, audience: string): AuthCheck;
  /** Revokes one token, or every issued token when called without one. */
  revoke(token?: string): void;
  /** Number of tokens issued so far (the "exactly one token request" benchmarks read this). */
  readonly issuedCount: number;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** Creates an {@link OAuthEmulator}. Tokens are opaque random strings; clients must not parse them. */
export function createOAuthEmulator(options: OAuthEmulatorOptions): OAuthEmulator {
  const now = options.now ?? Date.now;
  const clients = new Map(options.clients.map((c) => [c.clientId, c]));
  const tokens = new Map<string, IssuedToken>();
  const keyCache = new Map<string, Promise<JoseKey>>();
  let issuedCount = 0;
  const audienceOf = options.audienceOf ?? ((scope?: string) => (scope ?? '').replace(/\/\.default$/, ''));

  const error = (status: number, code: string, description: string, entraCode?: string) => {
    if (options.flavour === 'entra') {
      const aadsts = entraCode ?? (code === 'invalid_client' ? 'AADSTS7000215' : code === 'invalid_scope' ? 'AADSTS70011' : 'AADSTS900144');
      return json(status, {
        error: code,
        error_description: `${aadsts}: ${description}`,
        error_codes: [Number(aadsts.slice(6))],
        timestamp: new Date(now()).toISOString(),
        trace_id: randomBytes(16).toString('hex'),
        correlation_id: randomBytes(16).toString('hex'),
      });
    }
    return json(status, { error: code, error_description: description });
  };

  // Keys are imported per client and algorithm: one client may sign with RS256 and PS256 on different requests.
  const keyFor = (client: EmulatedOAuthClient & { publicKey: string }, alg: 'RS256' | 'PS256'): Promise<JoseKey> => {
    const cacheKey = `${client.clientId}|${alg}`;
    let key = keyCache.get(cacheKey);
    if (!key) {
      const pem = client.publicKey;
      key = pem.includes('CERTIFICATE') ? importX509(pem, alg) : importSPKI(pem, alg);
      keyCache.set(cacheKey, key);
    }
    return key;
  };

  const thumbprintsOf = (pem: string): { x5t: string; 'x5t#S256': string } | undefined => {
    if (!pem.includes('CERTIFICATE')) return undefined;
    const der = new X509Certificate(pem).raw;
    return {
      x5t: createHash('sha1').update(der).digest('base64url'),
      'x5t#S256': createHash('sha256').update(der).digest('base64url'),
    };
  };

  const verifyAssertion = async (client: EmulatedOAuthClient, assertion: string, tokenUrl: string): Promise<string | undefined> => {
    if (!client.publicKey) return 'client has no registered certificate';
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(assertion);
    } catch {
      return 'client_assertion is not a well-formed JWT';
    }
    if (header.alg !== 'RS256' && header.alg !== 'PS256') return `client assertion algorithm ${String(header.alg)} is not supported (RS256 or PS256)`;
    if (!header.x5t && !header['x5t#S256']) return 'assertion header carries no certificate thumbprint (x5t or x5t#S256)';
    const registered = thumbprintsOf(client.publicKey);
    if (registered) {
      for (const name of ['x5t', 'x5t#S256'] as const) {
        if (header[name] !== undefined && header[name] !== registered[name]) {
          return `the certificate with ${name} '${String(header[name])}' is not registered for this application`;
        }
      }
    }
    try {
      await jwtVerify(assertion, await keyFor({ ...client, publicKey: client.publicKey }, header.alg), {
        algorithms: [header.alg],
        audience: tokenUrl,
        issuer: client.clientId,
        subject: client.clientId,
        currentDate: new Date(now()),
      });
      return undefined;
    } catch (e) {
      return `client assertion rejected: ${e instanceof Error ? e.message : String(e)}`;
    }
  };

  return {
    get issuedCount() {
      return issuedCount;
    },
    async handleTokenRequest(request) {
      if (request.method !== 'POST') return error(405, 'invalid_request', 'Token requests must use POST.');
      const type = request.headers.get('content-type') ?? '';
      if (!type.includes('application/x-www-form-urlencoded')) {
        return error(400, 'invalid_request', 'The request body must be application/x-www-form-urlencoded.');
      }
      const form = new URLSearchParams(await request.text());
      const grant = form.get('grant_type');
      if (grant !== 'client_credentials') return error(400, 'unsupported_grant_type', `grant_type ${grant} is not supported.`);
      const clientId = form.get('client_id') ?? '';
      const client = clients.get(clientId);
      if (!client) return error(400, 'unauthorized_client', `Application with identifier '${clientId}' was not found.`);
      const assertion = form.get('client_assertion');
      if (assertion) {
        if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
          return error(400, 'invalid_request', 'client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer.');
        }
        const tokenUrl = request.url.split('?')[0] ?? request.url;
        const problem = await verifyAssertion(client, assertion, tokenUrl);
        // Entra answers every unusable assertion with 401 invalid_client and AADSTS700027.
        if (problem) return error(401, 'invalid_client', problem, 'AADSTS700027');
      } else if (!client.clientSecret || form.get('client_secret') !== client.clientSecret) {
        return error(401, 'invalid_client', 'Invalid client secret provided.');
      }
      const scope = form.get('scope') ?? undefined;
      if (client.allowedScopes && (!scope || !client.allowedScopes.includes(scope))) {
        return error(400, 'invalid_scope', `The provided scope '${scope ?? ''}' is not valid for this client.`);
      }
      const lifetime =
        typeof options.tokenLifetimeSeconds === 'function' ? options.tokenLifetimeSeconds() : (options.tokenLifetimeSeconds ?? 3600);
      const token = `emu.${randomBytes(24).toString('base64url')}`;
      tokens.set(token, { clientId, audience: audienceOf(scope), expiresAt: now() + lifetime * 1000, revoked: false });
      issuedCount++;
      return json(200, { token_type: 'Bearer', expires_in: lifetime, access_token: token, ...(options.flavour === 'entra' ? { ext_expires_in: lifetime } : {}) });
    },
    authenticate(request, audience) {
      const header = request.headers.get('authorization') ?? '';
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) return { ok: false, reason: 'missing', message: 'The request has no bearer token.' };
      const issued = tokens.get(match[1] as string);
      if (!issued) return { ok: false, reason: 'unknown', message: 'The access token is invalid.' };
      if (issued.revoked) return { ok: false, reason: 'revoked', message: 'The access token has been revoked.' };
      if (issued.expiresAt <= now()) return { ok: false, reason: 'expired', message: 'The access token has expired.' };
      if (issued.audience !== audience) {
        return { ok: false, reason: 'wrong-audience', message: `The access token audience '${issued.audience}' is not '${audience}'.` };
      }
      return { ok: true, clientId: issued.clientId, audience };
    },
    revoke(token) {
      if (token !== undefined) {
        const issued = tokens.get(token);
        if (!issued) throw new InvalidInputError('No such token was issued by this emulator.', { field: 'token' });
        issued.revoked = true;
        return;
      }
      for (const issued of tokens.values()) issued.revoked = true;
    },
  };
}
