import { createHmac } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  WebhookVerificationError,
  checkHmacSignature,
  createSignatureHeader,
  isInvalidInputError,
  isWebhookVerificationError,
  signHmac,
  verifyHmacSignature,
} from '@ml-connector/core';

const secret = 'It5-a-s3cr3t-n0b0dy-kn0ws';
// A Jira Cloud admin webhook body, as received on the wire.
const body = '{"timestamp":1767225600000,"webhookEvent":"jira:issue_updated","issue":{"id":"10001","key":"MLC-1"}}';
const jiraHeader = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

function failure(fn: () => void): WebhookVerificationError {
  try {
    fn();
  } catch (error) {
    if (isWebhookVerificationError(error)) return error;
    throw error;
  }
  throw new Error('expected verification to fail');
}

function expectNoSecrets(error: WebhookVerificationError, ...forbidden: string[]): void {
  const views = [error.message, String(error), JSON.stringify(error), inspect(error, { depth: 10 }), inspect(error.cause, { showHidden: true })].join('\n');
  for (const text of [secret, ...forbidden]) expect(views).not.toContain(text);
}

describe('verifyHmacSignature', () => {
  it('accepts a Jira X-Hub-Signature computed independently with node:crypto', () => {
    expect(() => verifyHmacSignature({ payload: body, signature: jiraHeader, secret })).not.toThrow();
    expect(signHmac({ payload: body, secret })).toBe(jiraHeader.slice('sha256='.length));
    expect(createSignatureHeader({ payload: body, secret })).toBe(jiraHeader);
  });

  it('accepts string, Buffer, Uint8Array and ArrayBuffer payloads with the same bytes', () => {
    const bytes = Buffer.from(body, 'utf8');
    const arrayBuffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    for (const payload of [body, bytes, new Uint8Array(bytes), arrayBuffer]) {
      expect(checkHmacSignature({ payload, signature: jiraHeader, secret })).toEqual({ ok: true });
    }
  });

  it('accepts an uppercase digest, a differently cased prefix and surrounding whitespace', () => {
    const header = ` SHA256=${jiraHeader.slice(7).toUpperCase()} `;
    expect(checkHmacSignature({ payload: body, signature: header, secret }).ok).toBe(true);
  });

  it('supports a custom prefix and a bare hex digest', () => {
    const custom = createSignatureHeader({ payload: body, secret, prefix: 'v1=' });
    expect(custom.startsWith('v1=')).toBe(true);
    expect(checkHmacSignature({ payload: body, signature: custom, secret, prefix: 'v1=' }).ok).toBe(true);
    const bare = signHmac({ payload: body, secret });
    expect(checkHmacSignature({ payload: body, signature: bare, secret, prefix: '' }).ok).toBe(true);
  });

  it('rejects a tampered payload with reason mismatch and no secret or expected digest in the error', () => {
    const error = failure(() => verifyHmacSignature({ payload: body.replace('MLC-1', 'MLC-2'), signature: jiraHeader, secret }));
    expect(error).toBeInstanceOf(WebhookVerificationError);
    expect(error).toMatchObject({ reason: 'mismatch', code: 'WEBHOOK_VERIFICATION_FAILED' });
    expect(error.toJSON()).toMatchObject({ reason: 'mismatch' });
    expectNoSecrets(error, signHmac({ payload: body.replace('MLC-1', 'MLC-2'), secret }));
  });

  it('rejects the wrong secret', () => {
    const error = failure(() => verifyHmacSignature({ payload: body, signature: jiraHeader, secret: 'another-secret' }));
    expect(error.reason).toBe('mismatch');
    expect(error.message).not.toMatch(/whitespace/);
  });

  it('mentions leading or trailing whitespace in the secret on a mismatch, without revealing it', () => {
    const padded = `${secret}\n`;
    const error = failure(() => verifyHmacSignature({ payload: body, signature: jiraHeader, secret: padded }));
    expect(error.reason).toBe('mismatch');
    expect(error.message).toMatch(/leading or trailing whitespace/);
    expectNoSecrets(error, signHmac({ payload: body, secret: padded }));
  });

  it('says to pass the raw body when given parsed JSON', () => {
    const parsed = JSON.parse(body) as never;
    const result = checkHmacSignature({ payload: parsed, signature: jiraHeader, secret });
    expect(result).toMatchObject({ ok: false, reason: 'payload-not-raw' });
    expect(!result.ok && result.error.message).toMatch(/pass the raw request body, not parsed JSON/);
    expect(failure(() => verifyHmacSignature({ payload: undefined as never, signature: jiraHeader, secret })).reason).toBe(
      'payload-not-raw',
    );
  });

  it.each([undefined, null, '', '   '])('reports a missing signature header (%j)', (signature) => {
    const error = failure(() => verifyHmacSignature({ payload: body, signature, secret }));
    expect(error.reason).toBe('missing-signature');
    expect(error.message).toMatch(/X-Hub-Signature/);
  });

  it.each([
    ['sha1 from an old WebSub sender', `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`, /starts with "sha1="/],
    ['no prefix', jiraHeader.slice(7), /does not start with "sha256="/],
    ['a truncated digest', jiraHeader.slice(0, 40), /has 33 digits/],
    ['non-hex characters', `sha256=${'z'.repeat(64)}`, /non-hex/],
    ['an array of headers', [jiraHeader, jiraHeader] as never, /one string/],
  ])('reports a malformed signature: %s', (_, signature, message) => {
    const error = failure(() => verifyHmacSignature({ payload: body, signature, secret }));
    expect(error.reason).toBe('malformed-signature');
    expect(error.message).toMatch(message);
  });

  it('throws InvalidInputError for misconfiguration rather than a verification failure', () => {
    for (const options of [
      { secret: '' },
      { secret: undefined as never },
      { algorithm: 'sha1' as never },
      { toleranceSeconds: 0 },
      { toleranceSeconds: Number.NaN },
      { now: new Date('nope') },
    ]) {
      expect(() => verifyHmacSignature({ payload: body, signature: jiraHeader, secret, ...options })).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT' }),
      );
    }
    let error: unknown;
    try {
      signHmac({ payload: { not: 'raw' } as never, secret });
    } catch (e) {
      error = e;
    }
    expect(isInvalidInputError(error)).toBe(true);
  });
});

describe('timestamped signatures', () => {
  const timestamp = 1_767_225_600; // 2026-01-01T00:00:00Z
  const at = (secondsAfter: number) => new Date((timestamp + secondsAfter) * 1000);
  const signature = createSignatureHeader({ payload: body, secret, timestamp });

  it('signs `${timestamp}.${body}` by default', () => {
    const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
    expect(signature).toBe(`sha256=${expected}`);
  });

  it('accepts within the default 300 s tolerance, either side, with the timestamp as a number or header string', () => {
    for (const offset of [0, 299, -299, 300]) {
      expect(checkHmacSignature({ payload: body, signature, secret, timestamp, now: at(offset) }).ok).toBe(true);
      expect(checkHmacSignature({ payload: body, signature, secret, timestamp: String(timestamp), now: at(offset) }).ok).toBe(true);
    }
  });

  it('rejects outside the tolerance, in the past or the future', () => {
    for (const offset of [301, -301]) {
      const error = failure(() => verifyHmacSignature({ payload: body, signature, secret, timestamp, now: at(offset) }));
      expect(error.reason).toBe('timestamp-outside-tolerance');
      expect(error.message).toMatch(/301 s away.*300 s tolerance/);
    }
  });

  it('honours a custom tolerance', () => {
    expect(checkHmacSignature({ payload: body, signature, secret, timestamp, toleranceSeconds: 60, now: at(61) })).toMatchObject({
      ok: false,
      reason: 'timestamp-outside-tolerance',
    });
    expect(checkHmacSignature({ payload: body, signature, secret, timestamp, toleranceSeconds: 60, now: at(59) }).ok).toBe(true);
  });

  it('binds the timestamp: a fresh timestamp on an old signature does not verify', () => {
    const result = checkHmacSignature({ payload: body, signature, secret, timestamp: timestamp + 1000, now: at(1000) });
    expect(result).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(!result.ok && result.error.message).toMatch(/signedContent/);
  });

  it('hints at milliseconds when the timestamp is far too large', () => {
    const millis = timestamp * 1000;
    const signed = createSignatureHeader({ payload: body, secret, timestamp: millis });
    const error = failure(() => verifyHmacSignature({ payload: body, signature: signed, secret, timestamp: millis, now: at(0) }));
    expect(error.reason).toBe('timestamp-outside-tolerance');
    expect(error.message).toMatch(/milliseconds/);
  });

  it('fails with missing-timestamp when the timestamp header is absent or a tolerance is set without one', () => {
    const headers: Record<string, string | undefined> = {};
    expect(checkHmacSignature({ payload: body, signature, secret, timestamp: headers['x-timestamp'] })).toMatchObject({
      reason: 'missing-timestamp',
    });
    expect(checkHmacSignature({ payload: body, signature: jiraHeader, secret, toleranceSeconds: 60 })).toMatchObject({
      reason: 'missing-timestamp',
    });
  });

  it.each(['12.5', '-5', 'yesterday', 1.5])('fails with malformed-timestamp for %j', (bad) => {
    expect(checkHmacSignature({ payload: body, signature, secret, timestamp: bad })).toMatchObject({ reason: 'malformed-timestamp' });
  });

  it('supports another binding through signedContent (Slack-style v0:timestamp:body)', () => {
    const slack = (payload: Uint8Array, ts: string | undefined) => `v0:${ts}:${Buffer.from(payload).toString('utf8')}`;
    const header = createSignatureHeader({ payload: body, secret, timestamp, prefix: 'v0=', signedContent: slack });
    const expected = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
    expect(header).toBe(`v0=${expected}`);
    const options = { payload: body, signature: header, secret, timestamp, prefix: 'v0=', signedContent: slack, now: at(5) };
    expect(checkHmacSignature(options).ok).toBe(true);
  });
});
