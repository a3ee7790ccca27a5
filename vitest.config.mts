import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

// Tests import packages by their public names; resolve them to source so no build is needed first.
const alias: Record<string, string> = {};
for (const dir of readdirSync(`${root}packages`)) {
  const pkgJson = `${root}packages/${dir}/package.json`;
  if (!existsSync(pkgJson)) continue;
  const name = (JSON.parse(readFileSync(pkgJson, 'utf8')) as { name: string }).name;
  // Subpath exports (`./testing`, `./sync`) map to `src/<subpath>/index.ts`.
  for (const subpath of ['testing', 'sync']) {
    if (existsSync(`${root}packages/${dir}/src/${subpath}/index.ts`)) {
      alias[`${name}/${subpath}`] = `${root}packages/${dir}/src/${subpath}/index.ts`;
    }
  }
  alias[name] = `${root}packages/${dir}/src/index.ts`;
}

export default defineConfig({
  resolve: {
    // Longest names first so subpaths win over the package root.
    alias: Object.entries(alias)
      .sort(([a], [b]) => b.length - a.length)
      .map(([find, replacement]) => ({ find: new RegExp(`^${find.replace(/[/.]/g, '\\$&')}$`), replacement })),
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    restoreMocks: true,
  },
});
