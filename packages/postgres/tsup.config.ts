import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // tsup 9 strips `node:` by default, which breaks node: built-ins at run time.
  removeNodeProtocol: false,
});
