// Imports every built package (and its ./testing entry) through its ESM exports, as a consumer would.
import { readdirSync, existsSync, readFileSync } from 'node:fs';

for (const dir of readdirSync(new URL('../packages/', import.meta.url))) {
  const pkgUrl = new URL(`../packages/${dir}/package.json`, import.meta.url);
  if (!existsSync(pkgUrl)) continue;
  const pkg = JSON.parse(readFileSync(pkgUrl, 'utf8'));
  for (const sub of Object.keys(pkg.exports).filter((k) => k !== './package.json')) {
    const target = new URL(`../packages/${dir}/${pkg.exports[sub].import.default}`, import.meta.url);
    const mod = await import(target.href);
    if (Object.keys(mod).length === 0) throw new Error(`${pkg.name}${sub.slice(1)} (ESM) exports nothing`);
    console.log(`esm ok: ${pkg.name}${sub.slice(1)} (${Object.keys(mod).length} exports)`);
  }
}
