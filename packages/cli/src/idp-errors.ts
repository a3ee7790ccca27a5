/** Which identity provider answered a token request. */
export type IdentityProvider = 'entra' | 'keycloak' | 'idcs';

/** A token endpoint's refusal, explained for an operator. */
export interface IdpExplanation {
  /** The IdP's own code (`AADSTS7000215`, `invalid_client`, …), for a support ticket. */
  readonly code: string;
  /** What is wrong, in plain words, and what to do about it. Never contains the secret. */
  readonly explanation: string;
}

// Entra codes from Microsoft's "Microsoft Entra authentication and authorization error codes" reference.
const ENTRA: ReadonlyArray<readonly [RegExp, string]> = [
  [/^AADSTS90002$|^AADSTS900023$|^AADSTS90013$/, 'wrong tenant: the tenant id or domain does not exist in Entra (check BC_TENANT_ID against the Overview page of the app registration)'],
  [/^AADSTS700016$/, 'wrong tenant or client id: no application with this client id exists in the tenant (check BC_CLIENT_ID, and that the app is registered or consented in this tenant)'],
  [/^AADSTS7000215$/, 'wrong secret: the client secret is not valid for this application (copy the secret VALUE, not its id, from Certificates & secrets)'],
  [/^AADSTS7000222$/, 'expired secret: the client secret has expired; create a new one under Certificates & secrets and store it'],
  [/^AADSTS65001$|^AADSTS650052$|^AADSTS650051$/, 'missing consent: an administrator has not granted consent to the API permissions of the app in this tenant (API permissions → Grant admin consent)'],
  [/^AADSTS500011$/, 'missing consent or wrong scope: the resource is not known in this tenant (the Business Central service principal is missing: the tenant has no BC, or admin consent was never given)'],
  [/^AADSTS70011$/, 'wrong scope: the requested scope is not valid for client credentials (it must end in /.default)'],
  [/^AADSTS7000112$|^AADSTS7000114$/, 'application disabled: the app or its service principal is disabled in the tenant'],
  [/^AADSTS700027$/, 'bad certificate: the client assertion could not be verified (certificate not uploaded to the app, or expired)'],
  [/^AADSTS53003$/, 'blocked by Conditional Access: a tenant policy refuses this sign-in'],
];

/**
 * Turns a token endpoint's error response into plain words: Entra `AADSTS` codes, Keycloak (JAGGAER) and Oracle
 * Identity Cloud Service / Identity Domains bodies. The result never quotes anything but the IdP's code and
 * description, which do not contain the secret.
 */
export function explainTokenError(provider: IdentityProvider, status: number, body: unknown): IdpExplanation {
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const error = typeof record['error'] === 'string' ? record['error'] : '';
  const description = typeof record['error_description'] === 'string' ? record['error_description'] : '';
  if (provider === 'entra') {
    const codes = Array.isArray(record['error_codes']) ? record['error_codes'].map((c) => `AADSTS${String(c)}`) : [];
    const fromText = /AADSTS\d+/.exec(description)?.[0];
    const code = codes[0] ?? fromText ?? (error || `HTTP ${status}`);
    const known = ENTRA.find(([pattern]) => pattern.test(code));
    if (known) return { code, explanation: known[1] };
    return { code, explanation: `Entra refused the token request (${error || `HTTP ${status}`}): ${firstSentence(description) || 'no description'}` };
  }
  if (status === 404 || /realm does not exist/i.test(error) || /realm does not exist/i.test(description)) {
    return {
      code: error || 'HTTP 404',
      explanation:
        provider === 'keycloak'
          ? 'wrong tenant or realm: the token URL does not exist (check JAGGAER_HOST, JAGGAER_REALM or JAGGAER_TOKEN_URL)'
          : 'wrong identity domain: the token URL does not exist (check the identity domain URL)',
    };
  }
  if (error === 'invalid_client' || error === 'unauthorized' || status === 401) {
    return { code: error || 'HTTP 401', explanation: 'wrong client id or secret: the IdP does not accept these client credentials (check the client id, and store the secret again)' };
  }
  if (error === 'unauthorized_client') {
    return {
      code: error,
      explanation:
        provider === 'keycloak'
          ? 'client not allowed to use client credentials: ask JAGGAER to enable service accounts for this client'
          : 'client not allowed to use client credentials: enable the Client Credentials grant on the confidential application',
    };
  }
  if (error === 'invalid_scope') {
    return { code: error, explanation: 'missing consent or wrong scope: the client may not request this scope (grant the scope to the client)' };
  }
  return { code: error || `HTTP ${status}`, explanation: `the IdP refused the token request: ${firstSentence(description) || error || `HTTP ${status}`}` };
}

function firstSentence(text: string): string {
  // Entra descriptions carry trace and correlation ids after the first line: keep the message only.
  return text.split(/\r?\n/)[0]!.replace(/\s*Trace ID:.*$/i, '').slice(0, 240);
}
