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

/** A delivery that must be refused, with the way it was broken. */
type Malformed = { body: string | Buffer; headers: Record<string, string | string[]> };

const malformed: fc.Arbitrary<Malformed> = event.chain((e) => {
  const body = JSON.stringify(e);
  const good = `sha256=${hex(body)}`;
  return fc.oneof<fc.Arbitrary<Malformed>[]>(
    // Random signature text.
    fc.string().map((s) => ({ body, headers: { 'x-hub-signature': s } })),
    // Well-formed but random digest.
    fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex')).filter((h) => h !== hex(body)).map((h) => ({ body, headers: { 'x-hub-signature': `sha256=${h}` } })),
    // Signed with another secret.
    fc.string({ minLength: 1 }).filter((s) => s !== SECRET).map((s) => ({ body, headers: { 'x-hub-signature': `sha256=${hex(body, s)}` } })),
    // Body tampered after signing: one byte changed, or bytes appended/removed.
    fc.nat({ max: body.length - 1 }).chain((i) =>
      fc.integer({ min: 1, max: 255 }).map((delta) => {
        const bytes = Buffer.from(body);
        bytes[i % bytes.length] = ((bytes[i % bytes.length] as number) + delta) % 256;
        return { body: bytes, headers: { 'x-hub-signature': good } };
      }),
    ),
    fc.string({ minLength: 1 }).map((extra) => ({ body: body + extra, headers: { 'x-hub-signature': good } })),
    fc.nat({ max: body.length - 1 }).map((n) => ({ body: body.slice(0, n), headers: { 'x-hub-signature': good } })),
    // Digest truncated, extended, wrong scheme, or given twice.
    fc.integer({ min: 0, max: 63 }).map((n) => ({ body, headers: { 'x-hub-signature': good.slice(0, 7 + n) } })),
    fc.integer({ min: 0, max: 0xffffffff }).map((n) => n.toString(16)).map((x) => ({ body, headers: { 'x-hub-signature': good + x } })),
    fc.constantFrom('sha1=', 'sha512=', 'SHA256 ', '', 'sha256:').map((p) => ({ body, headers: { 'x-hub-signature': p + hex(body) } })),
    fc.constant({ body, headers: { 'x-hub-signature': [good, good] } }),
    // No signature at all, or it under another header name.
    fc.constantFrom('x-hub-signature-256', 'x-signature', 'authorization').map((h) => ({ body, headers: { [h]: good } })),
  );
});

describe('webhook verifier fuzz', () => {
  it('refuses every one of 10,000 malformed deliveries', () => {
    let refused = 0;
    fc.assert(
      fc.property(malformed, ({ body, headers }) => {
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
  });

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
