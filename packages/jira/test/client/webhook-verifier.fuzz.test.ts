import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isWebhookVerificationError } from '@ml-connector/core';
import { isJiraWebhookPayloadError, verifyJiraWebhook } from '@ml-connector/jira';

const SECRET = 'fuzz-webhook-secret';
const hex = (body: string | Buffer, secret = SECRET) => createHmac('sha256', secret).update(body).digest('hex');

const event = fc.record({
  timestamp: fc.nat(),
  webhookEvent: fc.constantFrom('jira:issue_created', 'jira:issue_updated', 'comment_created'),
  issue: fc.record({ id: fc.nat().map(String), key: fc.tuple(fc.constantFrom('FIN', 'OPS', 'AB'), fc.integer({ min: 1, max: 99_999 })).map(([p, n]) => `${p}-${n}`), fields: fc.dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 40 }), { maxKeys: 3 }) }),
});

/** A delivery that must be refused. */
type Malformed = { body: string | Buffer; headers: Record<string, string | string[]> };

/** Ways to break a correctly signed delivery; drawn independently of the body (no `chain`, which is slow). */
const mutation = fc.oneof(
  // Random signature text, a well-formed random digest, or a digest made with another secret.
  fc.record({ kind: fc.constant('random-text' as const), text: fc.string() }),
  fc.record({ kind: fc.constant('random-digest' as const), bytes: fc.uint8Array({ minLength: 32, maxLength: 32 }) }),
  fc.record({ kind: fc.constant('other-secret' as const), secret: fc.string({ minLength: 1 }).filter((x) => x !== SECRET) }),
  // Body tampered after signing: one byte changed, bytes appended, or cut short.
  fc.record({ kind: fc.constant('flip-byte' as const), at: fc.nat(), delta: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('append' as const), extra: fc.string({ minLength: 1 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  // Digest truncated or extended, wrong scheme, given twice, or under another header.
  fc.record({ kind: fc.constant('short-digest' as const), keep: fc.integer({ min: 0, max: 63 }) }),
  fc.record({ kind: fc.constant('long-digest' as const), extra: fc.integer({ min: 0, max: 0xffffffff }) }),
  fc.record({ kind: fc.constant('scheme' as const), prefix: fc.constantFrom('sha1=', 'sha512=', 'SHA256 ', '', 'sha256:') }),
  fc.record({ kind: fc.constant('twice' as const) }),
  fc.record({ kind: fc.constant('header' as const), name: fc.constantFrom('x-hub-signature-256', 'x-signature', 'authorization') }),
);

function breakDelivery(body: string, m: typeof mutation extends fc.Arbitrary<infer M> ? M : never): Malformed {
  const digest = hex(body);
  const good = `sha256=${digest}`;
  const signed = (signature: string | string[]): Malformed => ({ body, headers: { 'x-hub-signature': signature } });
  switch (m.kind) {
    case 'random-text':
      return signed(m.text);
    case 'random-digest': {
      const h = Buffer.from(m.bytes).toString('hex');
      return signed(`sha256=${h === digest ? h.replace(/^./, (c) => (c === '0' ? '1' : '0')) : h}`);
    }
    case 'other-secret':
      return signed(`sha256=${hex(body, m.secret)}`);
    case 'flip-byte': {
      const bytes = Buffer.from(body);
      const i = m.at % bytes.length;
      bytes[i] = ((bytes[i] as number) + m.delta) % 256;
      return { body: bytes, headers: { 'x-hub-signature': good } };
    }
    case 'append':
      return { body: body + m.extra, headers: { 'x-hub-signature': good } };
    case 'cut':
      return { body: body.slice(0, m.at % body.length), headers: { 'x-hub-signature': good } };
    case 'short-digest':
      return signed(good.slice(0, 7 + m.keep));
    case 'long-digest':
      return signed(good + m.extra.toString(16));
    case 'scheme':
      return signed(m.prefix + digest);
    case 'twice':
      return signed([good, good]);
    case 'header':
      return { body, headers: { [m.name]: good } };
  }
}

describe('webhook verifier fuzz', () => {
  it('refuses every one of 10,000 malformed deliveries', () => {
    let refused = 0;
    fc.assert(
      fc.property(event, mutation, (e, m) => {
        const { body, headers } = breakDelivery(JSON.stringify(e), m);
        let accepted = false;
        try {
          verifyJiraWebhook({ rawBody: body, headers, secret: SECRET });
          accepted = true;
        } catch (error) {
          // Only verification failures (or a signed-but-invalid body, which tampering cannot produce) are acceptable.
          if (!(isWebhookVerificationError(error) || isJiraWebhookPayloadError(error))) throw error;
          refused++;
        }
        if (accepted) throw new Error('a malformed delivery was accepted');
      }),
      { numRuns: 10_000, seed: 20261130 },
    );
    expect(refused).toBe(10_000);
    // 10,000 HMAC checks: a few seconds alone, longer on a loaded CI machine.
  }, 90_000);

  it('control: correctly signed deliveries are accepted (so the fuzz test can fail)', () => {
    fc.assert(
      fc.property(event, (e) => {
        const body = JSON.stringify(e);
        const { event: parsed } = verifyJiraWebhook({ rawBody: Buffer.from(body), headers: { 'X-Hub-Signature': `sha256=${hex(body).toUpperCase()}` }, secret: SECRET });
        expect(parsed.issue?.key).toBe(e.issue.key);
      }),
      { numRuns: 300 },
    );
  });
});
