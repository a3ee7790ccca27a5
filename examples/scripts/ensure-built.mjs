#!/usr/bin/env node
// Builds the workspace packages the examples import when their dist is missing or older than their sources, so
// `pnpm example:*` works on a fresh clone after `pnpm install` and stays instant afterwards. Node runs the
// examples' own `.ts` files directly (type stripping); packages are imported through their published `dist`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
/** Packages in dependency order (core first; the emulators load every connector's `./testing`). */
const PACKAGES = ['core', 'business-central', 'jaggaer-j1p', 'd365-fo', 'nav', 'oracle-fusion', 'jira', 'emulators', 'cli', 'postgres', 'redis'];

/** Newest modification time of the files under `path` (recursive), 0 when absent. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

/** When `dist` was last built (its entry file's time), 0 when it is missing. */
function builtAt(dir) {
  const marker = join(dir, 'dist', 'index.mjs');
  return existsSync(marker) ? statSync(marker).mtimeMs : 0;
}

function runPnpm(args) {
  const execPath = process.env.npm_execpath;
  const [command, prefix] = execPath && /\.(c?js|mjs)$/.test(execPath) ? [process.execPath, [execPath]] : ['pnpm', []];
  return spawnSync(command, [...prefix, ...args], { cwd: root, encoding: 'utf8', shell: process.platform === 'win32' });
}

const stale = [];
for (const name of PACKAGES) {
  const dir = join(root, 'packages', name);
  if (!existsSync(join(dir, 'package.json'))) continue;
  const sources = Math.max(newest(join(dir, 'src')), newest(join(dir, 'package.json')), newest(join(dir, 'tsup.config.ts')));
  const built = builtAt(dir);
  // tsup bundles each package alone (dependencies stay external), so a package is rebuilt only for its own changes.
  if (built > 0 && built >= sources) continue;
  process.stderr.write(`building @ml-connector/${name} (${built === 0 ? 'no dist yet' : 'dist older than src'})…\n`);
  stale.push(name);
}
if (stale.length > 0) {
  // One pnpm call: it builds in dependency order, independent packages in parallel.
  const result = runPnpm([...stale.flatMap((name) => ['--filter', `@ml-connector/${name}`]), 'build']);
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}\nbuilding ${stale.join(', ')} failed\n`);
    process.exit(result.status ?? 1);
  }
}
