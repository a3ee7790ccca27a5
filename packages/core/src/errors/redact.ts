/** Placeholder written wherever a secret was removed. */
export const REDACTED = '[REDACTED]';

// Paging and continuation tokens (`nextPageToken`, `$skiptoken`, `continuationToken`, `deltatoken`) are not
// credentials, and an error that hides them cannot be debugged; they win over the `*token` patterns below.
const PAGING_TOKEN_NAME = /(?:page|skip|continuation|next|cursor|delta|sync|resume|change)[-_]?token$/i;

// Credential words that mark a name as secret wherever it appears: in a query, a body or a header.
const ALWAYS_SECRET = /secret|passw(?:or)?d|pwd|credential|private[-_]?key|api[-_]?key|subscription[-_]?key|assertion|(?:^|[-_])authorization$|cookie/i;

// Query parameters: OAuth codes and verifiers, SAS signatures (`sig`), API keys passed as `key` or `code`
// (Azure Functions), and any `*token` / `*_token` such as `access_token` in a redirect fragment.
const SECRET_URL_PARAM = /^(?:code|code_verifier|key|sig|signature|jwt|token|.*[-_]?token)$/i;

// Body keys: `code` is a vendor error code and `key` a record key (Jira `PROJ-1`), so neither is secret here.
const SECRET_BODY_KEY = /^(?:code_verifier|jwt|signature|token|.*[-_]?token)$/i;

// Headers by pattern, not by exact name: `authorization`, `cookie`, `*-token`, `*-key`, `*secret*`.
const SECRET_HEADER = /authorization|cookie|secret|passw(?:or)?d|credential|(?:^|-)token$|(?:^|-)key$|api-?key|signature$/i;

/** True when a header name is one whose value must never be logged or stored (`authorization`, `cookie`, `*-token`, `*-key`, `*secret*`). */
export function isSecretHeaderName(name: string): boolean {
  return !PAGING_TOKEN_NAME.test(name) && SECRET_HEADER.test(name);
}

/**
 * True when a JSON body key looks like it carries a credential (`client_secret`, `password`, `access_token`,
 * `code_verifier`, `jwt`, …). Vendor error `code`s, record `key`s and paging tokens such as `nextPageToken`
 * are not secret.
 */
export function isSecretKeyName(name: string): boolean {
  return !PAGING_TOKEN_NAME.test(name) && (ALWAYS_SECRET.test(name) || SECRET_BODY_KEY.test(name));
}

/**
 * True when a URL query or fragment parameter looks like it carries a credential (`access_token`, `code`,
 * `code_verifier`, `key`, `sig`, `subscription-key`, `jwt`, `client_secret`, …). Paging tokens
 * (`$skiptoken`, `nextPageToken`) are not secret.
 */
export function isSecretUrlParamName(name: string): boolean {
  return !PAGING_TOKEN_NAME.test(name) && (ALWAYS_SECRET.test(name) || SECRET_URL_PARAM.test(name));
}

const stripUserInfo = (text: string) => text.replace(/\/\/[^/@?#]*@/, '//');

/** Redacts secret parameters of a `a=1&b=2` string; returns it unchanged when none is secret. */
function redactParams(params: string): string {
  if (params === '') return params;
  const parsed = new URLSearchParams(params);
  let changed = false;
  for (const name of [...new Set(parsed.keys())]) {
    if (isSecretUrlParamName(name)) {
      parsed.set(name, REDACTED);
      changed = true;
    }
  }
  return changed ? parsed.toString() : params;
}

/**
 * Returns the URL as a string with user info removed and credential-like query and fragment parameters
 * (`?code=…`, `#access_token=…`) replaced by `[REDACTED]`. Unparseable input is cut before `?` and `#`
 * so a malformed URL cannot leak a query.
 */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : new URL(url.href);
  } catch {
    const text = String(url);
    const cut = text.search(/[?#]/);
    return cut === -1 ? stripUserInfo(text) : `${stripUserInfo(text.slice(0, cut))}${text[cut]}${REDACTED}`;
  }
  parsed.username = '';
  parsed.password = '';
  for (const name of [...new Set(parsed.searchParams.keys())]) {
    if (isSecretUrlParamName(name)) parsed.searchParams.set(name, REDACTED);
  }
  if (parsed.hash.length > 1) {
    const fragment = parsed.hash.slice(1);
    // Implicit-grant redirects carry `#access_token=…&token_type=…`; other fragments are left alone.
    if (fragment.includes('=')) parsed.hash = redactParams(fragment);
  }
  return parsed.href;
}

/** Copies headers into a plain object with secret header values replaced by `[REDACTED]`. */
export function redactHeaders(headers: Headers | Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  const entries = headers instanceof Headers ? headers.entries() : Object.entries(headers);
  for (const [name, value] of entries) {
    out[name.toLowerCase()] = isSecretHeaderName(name) ? REDACTED : value;
  }
  return out;
}

// Empty values and flags (`passwordExpired: true`) carry no secret and help diagnose the error.
const isRedactable = (v: unknown) => v !== null && v !== undefined && v !== '' && typeof v !== 'boolean';

/**
 * Deep-copies a JSON-like value, replacing the values of credential-like keys with `[REDACTED]`.
 * Cycles and depth beyond 20 are cut rather than followed.
 */
export function redactValue<T>(value: T, depth = 0, seen = new WeakSet<object>()): T {
  if (value === null || typeof value !== 'object') return value;
  if (depth > 20 || seen.has(value)) return REDACTED as T;
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1, seen)) as T;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    out[key] = isSecretKeyName(key) && isRedactable(v) ? REDACTED : redactValue(v, depth + 1, seen);
  }
  return out as T;
}

/**
 * Replaces every occurrence of the given secret strings in `text` with `[REDACTED]`.
 * Used as a last line of defence for messages built from vendor responses that may echo a secret.
 */
export function scrubSecrets(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  // Longest first, so `Bearer abc` is replaced whole before its part `abc`.
  for (const secret of [...secrets].sort((a, b) => (b?.length ?? 0) - (a?.length ?? 0))) {
    if (secret && secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out;
}

// Credentials written in free text: `Bearer eyJ…`, `Basic dXNlcjpw…`, `client_secret=…`, URLs with secrets.
const SCHEME_CREDENTIAL = /\b(Bearer|Basic|Digest|SharedAccessSignature)\s+([A-Za-z0-9\-._~+/=%,:&]{8,})/gi;
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>\\`]+/gi;
const NAME_VALUE_IN_TEXT = /([A-Za-z0-9$_-]+)=([^&\s"'<>;,]+)/g;

/** True when a URL has user info or a secret query or fragment parameter; other URLs in text stay verbatim. */
function carriesCredentials(url: string): boolean {
  try {
    const parsed = new URL(url);
    const fragment = new URLSearchParams(parsed.hash.slice(1));
    return (
      parsed.username !== '' ||
      parsed.password !== '' ||
      [...parsed.searchParams.keys(), ...fragment.keys()].some((name) => isSecretUrlParamName(name))
    );
  } catch {
    return /[?#@]/.test(url);
  }
}

/**
 * Removes credentials from free text such as an exception message or a vendor error message: URLs lose
 * user info and secret parameters, `Bearer …`/`Basic …` values and `client_secret=…`-style pairs are
 * replaced by `[REDACTED]`. Text without such patterns is returned unchanged.
 */
export function redactText(text: string): string {
  return text
    .replace(URL_IN_TEXT, (url) => (carriesCredentials(url) ? redactUrl(url) : url))
    .replace(SCHEME_CREDENTIAL, (match, scheme: string, credential: string) =>
      // "Basic authentication failed" is prose; a credential has a digit or symbol, or is long.
      /[\d=+/._~%-]/.test(credential) || credential.length >= 20 ? `${scheme} ${REDACTED}` : match,
    )
    // Outside URLs `code=` and `key=` are prose ("error code=42"), so the body-key vocabulary applies.
    .replace(NAME_VALUE_IN_TEXT, (pair, name: string, value: string) =>
      value !== REDACTED && value !== encodeURIComponent(REDACTED) && isSecretKeyName(name) ? `${name}=${REDACTED}` : pair,
    );
}

/**
 * The secret values a request carried in its headers (`Authorization`, cookies, `*-key`, `*-token`, …), in
 * every spelling a server may echo them: the whole header value, the credential after the scheme, and for
 * Basic auth the decoded `user:password` and the password alone. Pass them as `secrets` when building an
 * error from that request's response, so an echoed credential is scrubbed wherever it appears.
 */
export function secretHeaderValues(headers: Headers | Record<string, string> | undefined): string[] {
  if (!headers) return [];
  const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  const out = new Set<string>();
  for (const [name, value] of entries) {
    if (!isSecretHeaderName(name) || !value) continue;
    out.add(value);
    const credential = /^[A-Za-z][\w-]*\s+(\S.*)$/.exec(value)?.[1];
    if (credential) out.add(credential);
    if (/^basic\s/i.test(value) && credential) {
      const decoded = Buffer.from(credential, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) {
        out.add(decoded);
        out.add(decoded.slice(colon + 1));
      }
    }
    if (/cookie/i.test(name)) {
      for (const part of value.split(/;\s*/)) {
        const cookieValue = part.slice(part.indexOf('=') + 1);
        if (part.includes('=') && cookieValue.length >= 8) out.add(cookieValue);
      }
    }
  }
  return [...out];
}

/** Every spelling of each secret a server might echo: as is, percent-encoded and form-encoded. */
function spellings(secrets: Iterable<string> | undefined): string[] {
  const out = new Set<string>();
  for (const secret of secrets ?? []) {
    if (typeof secret !== 'string' || secret.length < 4) continue;
    out.add(secret);
    out.add(encodeURIComponent(secret));
    out.add(new URLSearchParams({ s: secret }).toString().slice(2));
  }
  return [...out];
}

/** A function that removes the given secrets and credential patterns from text. Holds the secrets only in its closure. */
export type TextScrubber = (text: string) => string;

/** Builds the scrubber every error field goes through: known secret values first, then credential patterns. */
export function createScrubber(secrets: Iterable<string> | undefined): TextScrubber {
  const known = spellings(secrets);
  return (text) => redactText(known.length === 0 ? text : scrubSecrets(text, known));
}

/**
 * {@link redactValue} plus scrubbing of every string leaf (keys redacted by name, echoed secret values and
 * credential patterns removed from the text).
 */
export function scrubValue<T>(value: T, scrub: TextScrubber, depth = 0, seen = new WeakSet<object>()): T {
  if (typeof value === 'string') return scrub(value) as T;
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Uint8Array) return value;
  if (depth > 20 || seen.has(value)) return REDACTED as T;
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, scrub, depth + 1, seen)) as T;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    out[key] = isSecretKeyName(key) && isRedactable(v) ? REDACTED : scrubValue(v, scrub, depth + 1, seen);
  }
  return out as T;
}
