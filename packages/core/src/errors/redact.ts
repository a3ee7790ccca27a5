/** Placeholder written wherever a secret was removed. */
export const REDACTED = '[REDACTED]';

const SECRET_HEADER_NAMES = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
  'ocp-apim-subscription-key',
  'x-functions-key',
]);

// Query parameter and object key names that carry credentials (matched case-insensitively, whole name).
const SECRET_KEY_PATTERN =
  /^(?:.*(?:secret|password|passwd|pwd|token|assertion|api[-_]?key|apikey|private[-_]?key|credential|signature)|authorization|sig|code|key|client_assertion|refresh_token|access_token|id_token)$/i;

/** True when a header name is one whose value must never be logged or stored. */
export function isSecretHeaderName(name: string): boolean {
  return SECRET_HEADER_NAMES.has(name.toLowerCase());
}

/** True when an object key or query parameter name looks like it carries a credential. */
export function isSecretKeyName(name: string): boolean {
  return SECRET_KEY_PATTERN.test(name);
}

/**
 * Returns the URL as a string with user info removed and credential-like query parameters replaced by
 * `[REDACTED]`. Unparseable input is reduced to its part before `?` so a malformed URL cannot leak a query.
 */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : new URL(url.href);
  } catch {
    const text = String(url);
    const q = text.indexOf('?');
    return q === -1 ? text.replace(/\/\/[^/@]*@/, '//') : `${text.slice(0, q).replace(/\/\/[^/@]*@/, '//')}?${REDACTED}`;
  }
  parsed.username = '';
  parsed.password = '';
  for (const name of [...new Set(parsed.searchParams.keys())]) {
    if (isSecretKeyName(name)) parsed.searchParams.set(name, REDACTED);
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
    out[key] = isSecretKeyName(key) && v !== null && v !== undefined && v !== '' ? REDACTED : redactValue(v, depth + 1, seen);
  }
  return out as T;
}

/**
 * Replaces every occurrence of the given secret strings in `text` with `[REDACTED]`.
 * Used as a last line of defence for messages built from vendor responses that may echo a secret.
 */
export function scrubSecrets(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out;
}
