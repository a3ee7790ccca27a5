import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts', 'sync/index': 'src/sync/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // tsup 9 strips `node:` by default, which breaks node:sqlite and friends at run time.
  removeNodeProtocol: false,
});
