import { InvalidInputError } from '../errors/errors.js';
import { createCachingTokenProvider } from './caching-provider.js';
import { type ClientAssertionOptions, createAssertionSigner } from './client-assertion.js';
import { validateTokenUrl } from './host.js';
import {
  type SecretSource,
  type TokenProviderBaseOptions,
  type TokenRequest,
  oauthClientBasicHeader,
  requestToken,
  resolveEndpointSettings,
  resolveSecret,
} from './token-endpoint.js';
import type { TokenProvider } from './types.js';

/** Client credentials with a shared secret (Entra, Keycloak/JAGGAER, Oracle IDCS). */
export interface ClientSecretCredentialsOptions extends TokenProviderBaseOptions {
  /** The client secret, or a function returning it. */
  clientSecret: SecretSource;
  /**
   * How the secret is sent: `body` (form fields `client_id`/`client_secret`, Entra and Keycloak) or
   * `basic` (an `Authorization: Basic` header, Oracle). Default `body`.
   */
  clientAuthentication?: 'body' | 'basic';
  clientAssertion?: never;
}

/** Client credentials with a certificate-signed client assertion (Entra certificate credentials). */
export interface ClientCertificateCredentialsOptions extends TokenProviderBaseOptions {
  /** Key, certificate/thumbprint and algorithm of the assertion. */
  clientAssertion: ClientAssertionOptions;
  clientSecret?: never;
}

/** Options of {@link createClientCredentialsProvider}: a secret or a client assertion. */
export type ClientCredentialsProviderOptions = ClientSecretCredentialsOptions | ClientCertificateCredentialsOptions;

const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * Creates a {@link TokenProvider} for the OAuth 2.0 client credentials grant (service-to-service:
 * Entra for F&O and Business Central, Keycloak for JAGGAER). Tokens are cached under
 * `identity` = `tokenUrl|clientId|scope`, refreshed inside `refreshWindowMs` before expiry, with one
 * request in flight however many callers wait. Expiry always comes from `expires_in` (Entra's lifetimes
 * vary from 60 to 90 minutes); a response without it is given a 5-minute lifetime, an invalid one is a
 * ResponseValidationError.
 *
 * Errors: refused credentials → AuthenticationError (with `vendorCode` such as `invalid_client`),
 * 5xx → ServerError, 429 → RateLimitError, no response → NetworkError, after up to `maxRetries` retries.
 * Secrets and assertions never appear in errors or logs.
 *
 * @throws InvalidInputError at creation for missing or malformed options.
 */
export function createClientCredentialsProvider(options: ClientCredentialsProviderOptions): TokenProvider {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidInputError('options are required: tokenUrl, clientId and clientSecret or clientAssertion', { field: 'options' });
  }
  const tokenUrl = validateTokenUrl(options.tokenUrl);
  const identity = `${tokenUrl}|${options.clientId}|${options.scope ?? ''}`;
  const settings = resolveEndpointSettings(options, tokenUrl, identity, true);
  const { clientId, scope, extraParams } = options;

  let authenticate: (form: URLSearchParams, request: TokenRequest) => Promise<void>;
  if (options.clientAssertion !== undefined) {
    if (options.clientSecret !== undefined) {
      throw new InvalidInputError('pass either clientSecret or clientAssertion, not both', { field: 'clientSecret' });
    }
    const sign = createAssertionSigner(clientId, options.clientAssertion);
    authenticate = async (form, request) => {
      const assertion = await sign(tokenUrl, settings.now());
      form.set('client_assertion_type', CLIENT_ASSERTION_TYPE);
      form.set('client_assertion', assertion);
      request.secrets.push(assertion);
    };
  } else {
    const source = options.clientSecret;
    if (typeof source !== 'function' && (typeof source !== 'string' || source === '')) {
      throw new InvalidInputError('clientSecret or clientAssertion is required', { field: 'clientSecret' });
    }
    const viaHeader = options.clientAuthentication === 'basic';
    authenticate = async (form, request) => {
      const secret = await resolveSecret(source, 'clientSecret');
      request.secrets.push(secret);
      if (viaHeader) {
        form.delete('client_id');
        request.headers = { authorization: oauthClientBasicHeader(clientId, secret) };
      } else {
        form.set('client_secret', secret);
      }
    };
  }

  return createCachingTokenProvider({
    identity,
    cache: options.cache,
    refreshWindowMs: options.refreshWindowMs,
    now: settings.now,
    logger: settings.logger,
    fetchToken: async () => {
      const response = await requestToken(settings, async () => {
        const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, ...extraParams });
        if (scope) form.set('scope', scope);
        const request: TokenRequest = { form, secrets: [] };
        await authenticate(form, request);
        return request;
      });
      return response.accessToken;
    },
  });
}
