import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as core from '@ml-connector/core';
import * as coreTesting from '@ml-connector/core/testing';
import { describe, expect, it } from 'vitest';

const packagesDir = join(import.meta.dirname, '..', '..');

function barrels(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : barrels(path);
    return entry.name === 'index.ts' ? [path] : [];
  });
}

describe('public API surface', () => {
  it('keeps transport, timing and redaction internals out of the package root', () => {
    for (const internal of [
      'createKyTransport',
      'sleep',
      'scrubSecrets',
      'isSecretHeaderName',
      'isSecretKeyName',
      'DEFAULT_RETRY_OPTIONS',
      'retryPolicy',
      'throttlePolicy',
      'authPolicy',
      'requestIdPolicy',
      'logPolicy',
    ]) {
      expect(core, internal).not.toHaveProperty(internal);
    }
    // The names that place a custom policy stay public.
    expect(core.retryPolicyName).toBe('retry');
    expect(core.authPolicyName).toBe('auth');
    expect(Object.keys(coreTesting)).toContain('createOAuthEmulator');
  });

  it('names every export of every barrel (no `export *`) in all packages', () => {
    const offenders = readdirSync(packagesDir)
      .flatMap((pkg) => {
        try {
          return barrels(join(packagesDir, pkg, 'src'));
        } catch {
          return [];
        }
      })
      .filter((file) => /^\s*export\s*\*/m.test(readFileSync(file, 'utf8')))
      .map((file) => relative(packagesDir, file));
    expect(offenders).toEqual([]);
  });
});
