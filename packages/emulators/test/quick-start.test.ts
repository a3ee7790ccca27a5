import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startEmulators } from '@ml-connector/emulators';
import { quickStart } from '../examples/quick-start.js';

it('the README example starts the emulators itself, or uses running ones', async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'mlc-emulators-qs-'));
  try {
    expect(await quickStart(stateDir)).toEqual(['CRONUS USA, Inc.']);
    const running = await startEmulators({ stateDir, systems: ['businessCentral'], ports: { businessCentral: 0 } });
    try {
      expect(await quickStart(stateDir)).toEqual(['CRONUS USA, Inc.']);
      expect(running.sandboxes.businessCentral?.stats.requests).toBeGreaterThan(0);
    } finally {
      await running.close();
    }
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
});
