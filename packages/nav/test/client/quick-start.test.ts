import { describe, expect, it } from 'vitest';
import { quickStart } from '../../examples/quick-start.js';

describe('README quick start', () => {
  it('runs against the emulator', async () => {
    expect(await quickStart()).toEqual({ vendors: 19, order: '106006', journalLine: 10000 });
  });
});
