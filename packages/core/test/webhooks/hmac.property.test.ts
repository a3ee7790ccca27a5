import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkHmacSignature, createSignatureHeader } from '@ml-connector/core';

const secrets = fc.oneof(fc.string({ minLength: 1 }), fc.uint8Array({ minLength: 1, maxLength: 64 }));

describe('HMAC sign → verify properties', () => {
  it('verifies whatever it signed, for arbitrary payloads, secrets and timestamps', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'grapheme' }), fc.uint8Array({ maxLength: 512 })),
        secrets,
        fc.option(fc.integer({ min: 0, max: 4_000_000_000 }), { nil: undefined }),
        (payload, secret, timestamp) => {
          const signature = createSignatureHeader({ payload, secret, timestamp });
          const now = timestamp === undefined ? undefined : new Date(timestamp * 1000);
          const options = timestamp === undefined ? { payload, signature, secret } : { payload, signature, secret, timestamp, now };
          expect(checkHmacSignature(options)).toEqual({ ok: true });
        },
      ),
    );
  });

  it('rejects any single-byte change to the payload', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 256 }),
        secrets,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (payload, secret, position, delta) => {
          const signature = createSignatureHeader({ payload, secret });
          const tampered = Uint8Array.from(payload);
          const index = position % tampered.length;
          tampered[index] = (tampered[index]! + delta) % 256;
          expect(checkHmacSignature({ payload: tampered, signature, secret })).toMatchObject({ ok: false, reason: 'mismatch' });
        },
      ),
    );
  });
});
