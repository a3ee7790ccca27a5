import { expect, it } from 'vitest';
import { quickStart } from './quick-start.js';

it('runs the README quick start against the sandbox', async () => {
  expect(await quickStart()).toEqual({ vendors: 24, coded: true, posted: true });
});
