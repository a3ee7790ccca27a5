// Requires every built package (and its ./testing entry) through its CJS exports, as a CommonJS consumer would.
const { readdirSync, existsSync, readFileSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..', 'packages');
for (const dir of readdirSync(root)) {
  const pkgPath = path.join(root, dir, 'package.json');
  if (!existsSync(pkgPath)) continue;
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
  for (const sub of Object.keys(pkg.exports).filter((k) => k !== './package.json')) {
    const mod = require(path.join(root, dir, pkg.exports[sub].require.default));
    if (Object.keys(mod).length === 0) throw new Error(`${pkg.name}${sub.slice(1)} (CJS) exports nothing`);
    console.log(`cjs ok: ${pkg.name}${sub.slice(1)} (${Object.keys(mod).length} exports)`);
  }
}
