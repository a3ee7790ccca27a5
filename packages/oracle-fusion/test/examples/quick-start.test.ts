import { expect, it } from 'vitest';
import { quickStart } from './quick-start.js';

it('runs the README quick start against the sandbox', async () => {
  const result = await quickStart();
  expect(result).toMatchObject({ suppliers: 25, invoice: "O'Brien-1001", validated: 'SUCCESS' });
  expect(result.changed).toBeGreaterThan(0);
});
