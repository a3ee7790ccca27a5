import { InvalidInputError, redactUrl } from '../errors/index.js';

/** Shortens a token for messages: URLs lose credentials, long tokens keep only their head and tail. */
export function describeToken(token: string): string {
  const safe = /^https?:\/\//i.test(token) ? redactUrl(token) : token;
  return safe.length <= 64 ? safe : `${safe.slice(0, 32)}…${safe.slice(-24)}`;
}

/** Position-based tokens this SDK mints; the version lets the format change without misreading saved tokens. */
type PositionKind = 'offset' | 'startAt';

const POSITION_TOKEN = /^(offset|startAt):v1:(0|[1-9]\d{0,15})$/;

/** Builds a persistable token such as `offset:v1:250` for the next position of a listing. */
export function encodePositionToken(kind: PositionKind, position: number): string {
  return `${kind}:v1:${position}`;
}

/**
 * Reads a token made by {@link encodePositionToken}. Anything else (a token from another listing type,
 * a truncated or hand-edited string) is an {@link InvalidInputError}, not a silent restart from the top.
 */
export function decodePositionToken(kind: PositionKind, token: string, minimum: number): number {
  const match = POSITION_TOKEN.exec(token);
  const position = match ? Number(match[2]) : Number.NaN;
  if (match?.[1] !== kind || !Number.isSafeInteger(position) || position < minimum) {
    throw new InvalidInputError(
      `continuationToken ${JSON.stringify(describeToken(token))} is not a valid ${kind} token ` +
        `(expected "${kind}:v1:<integer ≥ ${minimum}>"). Pass a continuationToken returned by byPage() of this same listing.`,
      { field: 'continuationToken' },
    );
  }
  return position;
}
