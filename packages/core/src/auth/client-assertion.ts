import { X509Certificate, type KeyObject, createHash, createPrivateKey, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { InvalidInputError } from '../errors/errors.js';

/**
 * Certificate (private key JWT) client authentication, as Microsoft Entra certificate credentials use.
 *
 * The thumbprint header follows the algorithm: `PS256` sends `x5t#S256` (SHA-256, Entra's current
 * guidance), `RS256` sends `x5t` (SHA-1, Entra's older guidance). When only one thumbprint is available
 * (you passed `thumbprintSha1` or `thumbprintSha256` instead of the certificate) that one is sent
 * whatever the algorithm; Entra accepts either header with either algorithm.
 */
export interface ClientAssertionOptions {
  /** PEM private key (PKCS#8 `BEGIN PRIVATE KEY`, or PKCS#1 `BEGIN RSA PRIVATE KEY`), a `KeyObject` or a `CryptoKey`. */
  privateKey: string | KeyObject | CryptoKey;
  /** Signing algorithm. `PS256` for current Entra guidance, `RS256` for older setups and most other servers. */
  algorithm: 'RS256' | 'PS256';
  /** PEM certificate (or its DER bytes) matching the key; thumbprints are computed from it. */
  certificate?: string | Uint8Array;
  /** SHA-1 thumbprint as shown in the Azure portal (40 hex digits, colons allowed) or base64url. */
  thumbprintSha1?: string;
  /** SHA-256 thumbprint (64 hex digits, colons allowed) or base64url. */
  thumbprintSha256?: string;
  /** Optional `kid` header, for servers that look the key up by id (e.g. Keycloak JWKS). */
  keyId?: string;
  /** Assertion lifetime in seconds, 60–600. Default 300. */
  lifetimeSeconds?: number;
}

/** Signs a fresh client assertion JWT for `audience` (the token URL). */
export type AssertionSigner = (audience: string, nowMs: number) => Promise<string>;

const FIELD = 'clientAssertion';

function thumbprintFromInput(value: string, hexLength: number, field: string): string {
  const hex = value.replace(/:/g, '').trim();
  if (new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(hex)) return Buffer.from(hex, 'hex').toString('base64url');
  const base64urlLength = Math.ceil((hexLength / 2) * (4 / 3));
  if (new RegExp(`^[A-Za-z0-9_-]{${base64urlLength}}$`).test(value)) return value;
  throw new InvalidInputError(`${field} must be ${hexLength} hex digits (as shown in the Azure portal) or base64url`, { field });
}

function certificateDer(certificate: string | Uint8Array): Buffer {
  try {
    return new X509Certificate(typeof certificate === 'string' ? certificate : Buffer.from(certificate)).raw;
  } catch (cause) {
    throw new InvalidInputError(`${FIELD}.certificate must be a PEM ("-----BEGIN CERTIFICATE-----") or DER X.509 certificate`, {
      field: `${FIELD}.certificate`,
      cause,
    });
  }
}

function importPrivateKey(privateKey: ClientAssertionOptions['privateKey']): KeyObject | CryptoKey {
  if (typeof privateKey !== 'string') return privateKey;
  try {
    const key = createPrivateKey(privateKey);
    if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'rsa-pss') throw new Error('not an RSA key');
    return key;
  } catch {
    // The cause is dropped on purpose: parser errors may quote parts of the key.
    throw new InvalidInputError(`${FIELD}.privateKey must be an unencrypted RSA private key in PEM form (BEGIN PRIVATE KEY)`, {
      field: `${FIELD}.privateKey`,
    });
  }
}

/** Validates the options, imports the key and computes thumbprints once; returns a signer for each request. */
export function createAssertionSigner(clientId: string, options: ClientAssertionOptions): AssertionSigner {
  if (typeof options !== 'object' || options === null || !options.privateKey) {
    throw new InvalidInputError(`${FIELD}.privateKey is required`, { field: `${FIELD}.privateKey` });
  }
  const { algorithm } = options;
  if (algorithm !== 'RS256' && algorithm !== 'PS256') {
    throw new InvalidInputError(`${FIELD}.algorithm must be "RS256" or "PS256"`, { field: `${FIELD}.algorithm` });
  }
  const lifetimeSeconds = options.lifetimeSeconds ?? 300;
  if (!Number.isInteger(lifetimeSeconds) || lifetimeSeconds < 60 || lifetimeSeconds > 600) {
    throw new InvalidInputError(`${FIELD}.lifetimeSeconds must be an integer between 60 and 600`, {
      field: `${FIELD}.lifetimeSeconds`,
    });
  }
  const key = importPrivateKey(options.privateKey);

  let sha1 = options.thumbprintSha1 && thumbprintFromInput(options.thumbprintSha1, 40, `${FIELD}.thumbprintSha1`);
  let sha256 = options.thumbprintSha256 && thumbprintFromInput(options.thumbprintSha256, 64, `${FIELD}.thumbprintSha256`);
  if (options.certificate !== undefined) {
    const der = certificateDer(options.certificate);
    sha1 = createHash('sha1').update(der).digest('base64url');
    sha256 = createHash('sha256').update(der).digest('base64url');
  }
  const sha256Header = sha256 ? { 'x5t#S256': sha256 } : undefined;
  const sha1Header = sha1 ? { x5t: sha1 } : undefined;
  const thumbprintHeader = (algorithm === 'PS256' ? (sha256Header ?? sha1Header) : (sha1Header ?? sha256Header)) ?? {};

  return async (audience, nowMs) => {
    const now = Math.floor(nowMs / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: algorithm, typ: 'JWT', ...thumbprintHeader, ...(options.keyId ? { kid: options.keyId } : {}) })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(audience)
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + lifetimeSeconds)
      .sign(key);
  };
}
