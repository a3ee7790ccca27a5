import {
  type ClientAssertionOptions,
  type ConnectorTransportOptions,
  InvalidInputError,
  type SecretSource,
  type TokenCache,
  type TokenProvider,
} from '@ml-connector/core';
import type { NavODataVersion } from './metadata.js';
import type { ServiceOverrides } from './services.js';

/** Defaults of {@link NavClientOptions}. */
export const NAV_DEFAULTS = Object.freeze({
  /** Microsoft Entra ID authority. */
  authorityHost: 'https://login.microsoftonline.com',
  /** Scope for Business Central online (cloud tenant URLs). On-premises Entra needs the instance's own scope. */
  cloudScope: 'https://api.businesscentral.dynamics.com/.default',
  /** Host of Business Central online; a deployment URL on it is a cloud tenant URL. */
  cloudHost: 'api.businesscentral.dynamics.com',
  /** Request id header (Microsoft convention; NAV ignores it but proxies log it). */
  requestIdHeader: 'x-ms-client-request-id',
  /** Attempt timeout in ms. */
  timeoutMs: 60_000,
  /** Look-back of change polling in ms (NAV stamps last-modified before commit, so late commits must be caught). */
  pollLookBackMs: 5 * 60_000,
});

/**
 * NavUserPassword (or AccessControlService) authentication: HTTP Basic with the user name and the user's
 * web service access key (or password). On-premises only; Business Central online refuses access keys.
 */
export interface NavBasicAuth {
  kind: 'basic';
  /** NAV user name (for NavUserPassword) as set up on the Users page. */
  username: string;
  /** The user's web service access key, or password. Never logged. */
  password: string;
}

/** Microsoft Entra ID (OAuth 2.0 client credentials): Business Central online, or on-premises configured for Entra. */
export interface NavOAuthAuth {
  kind: 'oauth';
  /** Entra tenant id (GUID or verified domain). Cloud URLs carry it; required for on-premises. */
  tenantId?: string;
  /** Application (client) id. */
  clientId: string;
  /** Client secret (or a function returning it). Give this or `clientAssertion`. */
  clientSecret?: SecretSource;
  /** Certificate credentials (signed client assertion). */
  clientAssertion?: ClientAssertionOptions;
  /** Scope. Default for cloud URLs `https://api.businesscentral.dynamics.com/.default`; required on-premises (the instance's app ID URI + `/.default`). */
  scope?: string;
  /** Token URL. Default `{authorityHost}/{tenantId}/oauth2/v2.0/token`. */
  tokenUrl?: string;
  /** Entra authority host. Default `https://login.microsoftonline.com`. */
  authorityHost?: string;
  /** Token cache shared between providers of the same app. */
  tokenCache?: TokenCache;
}

/** A ready bearer token provider (e.g. shared between clients). */
export interface NavTokenProviderAuth {
  kind: 'token-provider';
  /** The provider. */
  tokenProvider: TokenProvider;
}

/**
 * How the client authenticates. Windows authentication (NTLM/Kerberos) is not supported: it binds the login to
 * one TCP connection, which a fetch-based transport cannot guarantee; switch the instance (or a second instance
 * on the same database) to NavUserPassword or Entra for integrations.
 */
export type NavAuth = NavBasicAuth | NavOAuthAuth | NavTokenProviderAuth;

/** Options of `createNavClient`. */
export interface NavClientOptions extends Omit<ConnectorTransportOptions, 'headers' | 'createRequestId'> {
  /**
   * The deployment's OData URL, as a full URL:
   * - on-premises OData v4: `https://nav.contoso.local:7048/DynamicsNAV110/ODataV4/Company('CRONUS%20USA%2C%20Inc.')`
   * - on-premises OData v3 (older versions): `https://nav.contoso.local:7048/DynamicsNAV80/OData/Company('CRONUS')`
   * - Business Central online: `https://api.businesscentral.dynamics.com/v2.0/{tenant}/{environment}/ODataV4/Company('CRONUS')`
   *
   * Anything after `Company('…')` (e.g. a service name copied from the Web Services page) is ignored. Without
   * `Company('…')` the instance's default company is used, unless `company` is given.
   */
  url: string;
  /** Company name, when the URL does not name one. */
  company?: string;
  /** Authentication. */
  auth: NavAuth;
  /** Published names of the pages and fields this client uses (see the README's table of defaults). */
  services?: ServiceOverrides;
  /**
   * Business Central on-premises API root for webhook subscriptions, e.g. `https://bc.contoso.local:7048/BC/api/v2.0/`
   * (needs "Enable API Services" on the instance). Without it `webhooks` is unavailable; NAV has no webhooks.
   */
  apiUrl?: string;
  /** Attempt timeout in ms. Default 60,000. */
  timeoutMs?: number;
}

/** A deployment URL taken apart. */
export interface NavDeployment {
  /** `onprem` or `cloud` (Business Central online). */
  readonly kind: 'onprem' | 'cloud';
  /** OData version of the endpoint. */
  readonly version: NavODataVersion;
  /** Service root ending in `/ODataV4/` or `/OData/`. */
  readonly serviceRoot: string;
  /** Company name, or `undefined` for the default company. */
  readonly company: string | undefined;
  /** Base URL of company-scoped calls: `{serviceRoot}Company('…')/`, or the service root. */
  readonly companyRoot: string;
  /** Entra tenant from a cloud URL. */
  readonly tenantId: string | undefined;
}

const LOOPBACK = /^(?:127(?:\.\d{1,3}){3}|\[::1\]|localhost)$/;
const COMPANY_SEGMENT = /^Company\('((?:[^']|'')*)'\)$/i;

function invalidUrl(reason: string): InvalidInputError {
  return new InvalidInputError(
    `url ${reason}. Give the full OData URL of the deployment, e.g. https://nav.contoso.local:7048/DynamicsNAV110/ODataV4/Company('CRONUS') ` +
      `(on-premises OData v4), https://nav.contoso.local:7048/DynamicsNAV80/OData/Company('CRONUS') (OData v3) or ` +
      `https://api.businesscentral.dynamics.com/v2.0/{tenant}/{environment}/ODataV4/Company('CRONUS') (Business Central online)`,
    { field: 'url' },
  );
}

/** Formats `Company('…')` for a company name, doubling quotes and percent-encoding the rest. */
export function companySegment(company: string): string {
  if (typeof company !== 'string' || company.trim() === '' || /[\u0000-\u001f]/.test(company)) {
    throw new InvalidInputError('company must be a non-empty company name without control characters, e.g. "CRONUS USA, Inc."', {
      field: 'company',
    });
  }
  return `Company('${encodeURIComponent(company.replaceAll("'", "''")).replaceAll("'", '%27')}')`;
}

/** Parses and validates a deployment URL (see {@link NavClientOptions.url}). */
export function parseDeploymentUrl(url: string, options: { company?: string; allowLoopback?: boolean } = {}): NavDeployment {
  if (typeof url !== 'string' || url.trim() === '') throw invalidUrl('is missing');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidUrl(`${JSON.stringify(url.slice(0, 80))} is not an absolute URL`);
  }
  const loopback = LOOPBACK.test(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback && options.allowLoopback)) {
    throw invalidUrl(`must use https (got ${parsed.protocol}//${parsed.host}); http is accepted only for loopback emulators with allowLoopback`);
  }
  if (loopback && !options.allowLoopback) throw invalidUrl('points at a loopback host; set allowLoopback: true for emulators');
  if (parsed.username || parsed.password) throw invalidUrl('must not carry credentials; pass them in auth');
  if (parsed.search || parsed.hash) throw invalidUrl('must not carry a query or fragment');
  const segments = parsed.pathname.split('/').filter((s) => s !== '');
  const odataIndex = segments.findIndex((s) => s === 'ODataV4' || s === 'OData');
  if (odataIndex < 0) throw invalidUrl('has no /ODataV4/ or /OData/ segment, so it is not a NAV OData endpoint (SOAP /WS/ and API /api/ URLs are not supported here)');
  const version: NavODataVersion = segments[odataIndex] === 'ODataV4' ? 'v4' : 'v3';
  const before = segments.slice(0, odataIndex);
  const cloud = parsed.hostname.toLowerCase() === NAV_DEFAULTS.cloudHost;
  let tenantId: string | undefined;
  if (cloud) {
    // Business Central online: /v2.0/{tenant}/{environment}/ODataV4/ (the tenant may be omitted for the user's home tenant).
    if (before[0] !== 'v2.0' || before.length < 2 || before.length > 3 || version !== 'v4') {
      throw invalidUrl('is on the Business Central online host but not /v2.0/{tenant}/{environment}/ODataV4/');
    }
    tenantId = before.length === 3 ? before[1] : undefined;
  } else if (before.length < 1) {
    throw invalidUrl('has no server instance before /ODataV4/ or /OData/ (e.g. /DynamicsNAV110/ODataV4/)');
  }
  let company: string | undefined;
  const companyPart = segments[odataIndex + 1];
  if (companyPart !== undefined) {
    const match = COMPANY_SEGMENT.exec(decodeURIComponent(companyPart));
    if (match) company = (match[1] ?? '').replaceAll("''", "'");
    else if (companyPart.startsWith('Company')) throw invalidUrl(`has a malformed company segment ${JSON.stringify(companyPart)}; write Company('Name')`);
  }
  if (options.company !== undefined) {
    if (company !== undefined && company !== options.company) {
      throw new InvalidInputError(`company ${JSON.stringify(options.company)} differs from the company in url (${JSON.stringify(company)}); give it once`, {
        field: 'company',
      });
    }
    company = options.company;
  }
  const serviceRoot = `${parsed.origin}/${segments.slice(0, odataIndex + 1).join('/')}/`;
  return {
    kind: cloud ? 'cloud' : 'onprem',
    version,
    serviceRoot,
    company,
    companyRoot: company === undefined ? serviceRoot : `${serviceRoot}${companySegment(company)}/`,
    tenantId,
  };
}
