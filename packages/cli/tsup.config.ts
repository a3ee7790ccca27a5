import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', cli: 'src/cli.ts' },
  format: ['esm', 'cjs'],
  // The bin is a program, not an API: declarations only for the library entry.
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  // tsup 9 strips `node:` by default, which breaks node:sqlite and friends at run time.
  removeNodeProtocol: false,
});
