import { InvalidInputError } from '../errors/errors.js';
import { redactUrl } from '../errors/redact.js';

/** Options for {@link validateTenantHost} and {@link validateBaseUrl}. */
export interface HostValidationOptions {
  /** Accept `localhost`, `127.x.x.x` and `[::1]` (local emulators and tests). Default `false`. */
  allowLoopback?: boolean;
  /** Accept `http:` for loopback hosts (needs `allowLoopback`). Remote hosts are always https-only. Default `false`. */
  allowHttp?: boolean;
  /** Accept IP-address hosts that are not loopback (on-premises servers without DNS names). Default `false`. */
  allowIpAddress?: boolean;
  /** Name of the option being validated, reported in the error's `field`. */
  field?: string;
}

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (IPV4.test(host)) return host.startsWith('127.');
  // WHATWG URL normalises IPv6 (and IPv4-mapped 127.x) hosts to bracketed hex form.
  return host === '[::1]' || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(host);
}

const isIpAddress = (hostname: string): boolean => IPV4.test(hostname) || hostname.startsWith('[');

/** Parses and checks scheme, credentials, host kind and (unless allowed) path; returns the parsed URL. */
function parseServiceUrl(input: unknown, options: HostValidationOptions, field: string, allowPath: boolean): URL {
  if (typeof input !== 'string' || input.trim() === '') {
    throw new InvalidInputError(`${field} is required: pass a host name such as "acme.api.jaggaer.com"`, { field });
  }
  const text = input.trim();
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  let url: URL;
  try {
    url = new URL(hasScheme ? text : `https://${text}`);
  } catch {
    throw new InvalidInputError(`${field} "${redactUrl(text)}" is not a valid host or URL`, { field });
  }
  const shown = redactUrl(url);
  if (url.username || url.password) {
    throw new InvalidInputError(`${field} must not contain credentials (user:password@); pass them as auth options instead`, {
      field,
    });
  }
  const loopback = isLoopbackHost(url.hostname);
  if (url.protocol === 'http:') {
    if (!(loopback && options.allowLoopback && options.allowHttp)) {
      throw new InvalidInputError(`${field} "${shown}" must use https:// (http is only accepted for loopback hosts with allowLoopback and allowHttp)`, {
        field,
      });
    }
  } else if (url.protocol !== 'https:') {
    throw new InvalidInputError(`${field} "${shown}" must use https://`, { field });
  }
  if (loopback && !options.allowLoopback) {
    throw new InvalidInputError(`${field} "${shown}" points at this machine (loopback); use the service's public host name`, {
      field,
    });
  }
  if (!loopback && isIpAddress(url.hostname) && !options.allowIpAddress) {
    throw new InvalidInputError(`${field} "${shown}" is an IP address; use the service's DNS host name`, { field });
  }
  if (url.search || url.hash || text.endsWith('?') || text.endsWith('#')) {
    throw new InvalidInputError(`${field} "${shown}" must not contain a query (?…) or fragment (#…)`, { field });
  }
  if (!allowPath && url.pathname !== '/') {
    throw new InvalidInputError(`${field} "${shown}" must be a host only; remove the path "${url.pathname}"`, { field });
  }
  return url;
}

/**
 * Validates a tenant host (e.g. `acme.api.jaggaer.com` or `https://acme.atlassian.net`) and returns its
 * normalised origin (`https://acme.api.jaggaer.com`). Rejecting non-https, embedded credentials, paths,
 * IP literals and loopback hosts up front stops credentials being sent somewhere unintended.
 *
 * @throws InvalidInputError naming `field` (default `host`) and what to fix.
 */
export function validateTenantHost(input: string, options: HostValidationOptions = {}): string {
  return parseServiceUrl(input, options, options.field ?? 'host', false).origin;
}

/**
 * Like {@link validateTenantHost} but keeps a path, for service roots such as
 * `https://contoso.operations.dynamics.com/data/`. The result always ends in `/`, so relative resource
 * paths resolve beneath it instead of replacing its last segment.
 */
export function validateBaseUrl(input: string, options: HostValidationOptions = {}): string {
  const url = parseServiceUrl(input, options, options.field ?? 'baseUrl', true);
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

/**
 * Validates a token endpoint URL: https (or http on loopback, for local identity servers and emulators),
 * no credentials, query or fragment. Returned unchanged apart from URL normalisation.
 */
export function validateTokenUrl(input: string, field = 'tokenUrl'): string {
  return parseServiceUrl(input, { allowLoopback: true, allowHttp: true }, field, true).href;
}
