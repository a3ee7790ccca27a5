// Checks each package's public API against its reviewed report (`packages/<pkg>/etc/*.api.md`) with
// @microsoft/api-extractor, one report per entry point (`.` and `./testing`). It reads the built
// `dist/**/*.d.ts`, so run `pnpm build` first.
//
//   node scripts/api-report.mjs           check: fails when a surface differs from its report (CI)
//   node scripts/api-report.mjs --update  rewrites the reports; review and commit the diff
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const { Extractor, ExtractorConfig } = require('@microsoft/api-extractor');

const update = process.argv.includes('--update');
const root = resolve(import.meta.dirname, '..');
const scratch = mkdtempSync(join(tmpdir(), 'mlc-api-report-'));

/** Entry points a package publishes, as `[subpath, d.ts file]`, read from its exports map. */
function entryPoints(pkg) {
  return Object.entries(pkg.exports ?? {}).flatMap(([subpath, target]) => {
    const types = target?.require?.types;
    return typeof types === 'string' && types.endsWith('.d.ts') ? [[subpath, types]] : [];
  });
}

let failed = 0;
for (const dir of readdirSync(join(root, 'packages')).sort()) {
  const projectFolder = join(root, 'packages', dir);
  const packageJsonFullPath = join(projectFolder, 'package.json');
  if (!existsSync(packageJsonFullPath)) continue;
  const pkg = JSON.parse(readFileSync(packageJsonFullPath, 'utf8'));
  if (pkg.private) continue;
  const unscoped = pkg.name.replace(/^@[^/]+\//, '');
  for (const [subpath, types] of entryPoints(pkg)) {
    const mainEntryPointFilePath = join(projectFolder, types);
    if (!existsSync(mainEntryPointFilePath)) {
      console.error(`${pkg.name}${subpath.slice(1)}: ${types} is missing; run \`pnpm build\` first`);
      failed++;
      continue;
    }
    if (update) mkdirSync(join(projectFolder, 'etc'), { recursive: true });
    const reportFileName = subpath === '.' ? unscoped : `${unscoped}-${subpath.slice(2).replaceAll('/', '-')}`;
    const config = ExtractorConfig.prepare({
      configObject: {
        projectFolder,
        mainEntryPointFilePath,
        newlineKind: 'lf',
        compiler: {
          overrideTsconfig: {
            compilerOptions: {
              target: 'ES2023',
              lib: ['ES2023', 'DOM', 'DOM.Iterable'],
              module: 'NodeNext',
              moduleResolution: 'NodeNext',
              strict: true,
              types: ['node'],
            },
            files: [mainEntryPointFilePath],
          },
        },
        apiReport: {
          enabled: true,
          reportFileName,
          reportFolder: join(projectFolder, 'etc'),
          reportTempFolder: join(scratch, dir),
        },
        docModel: { enabled: false },
        dtsRollup: { enabled: false },
        tsdocMetadata: { enabled: false },
        messages: {
          compilerMessageReporting: { default: { logLevel: 'warning' } },
          extractorMessageReporting: {
            default: { logLevel: 'warning' },
            // The packages use no release tags (@public/@beta): everything exported is public.
            'ae-missing-release-tag': { logLevel: 'none' },
            // A public signature names a type the entry point does not export (so users cannot name it): the
            // report lists each one, for review with the rest of the surface.
            'ae-forgotten-export': { logLevel: 'warning', addToApiReportFile: true },
            // Documentation and its links are checked by typedoc (`pnpm build:docs`, warnings are errors there),
            // which resolves `{@link member}` in scope as TSDoc does not.
            'ae-undocumented': { logLevel: 'none' },
            'ae-unresolved-link': { logLevel: 'none' },
          },
          // TSDoc syntax likewise: typedoc's tags (e.g. {@includeCode}) are unknown to TSDoc.
          tsdocMessageReporting: { default: { logLevel: 'none' } },
        },
      },
      configObjectFullPath: undefined,
      packageJsonFullPath,
    });
    const result = Extractor.invoke(config, {
      localBuild: update,
      showVerboseMessages: false,
      printApiReportDiff: !update,
      messageCallback(message) {
        if (message.messageId.startsWith('console-api-report-') && message.messageId !== 'console-api-report-diff') {
          // Writing a new or changed report is what --update is for; in a check, the line below says what to do.
          if (update) message.logLevel = 'none';
          message.handled = true;
        }
        // "Analysis will use the bundled TypeScript version …": it reads the TS 5.9 declarations fine.
        if (message.messageId === 'console-preamble') message.handled = true;
      },
    });
    const label = `${pkg.name}${subpath.slice(1)}`;
    if (!result.succeeded || result.warningCount > 0) {
      failed++;
      console.error(
        result.apiReportChanged && !update
          ? `${label}: the public API differs from packages/${dir}/etc/${reportFileName}.api.md. ` +
              'If the change is intended, run `pnpm api:update` and commit the report.'
          : `${label}: ${result.errorCount} errors, ${result.warningCount} warnings`,
      );
    } else {
      console.log(`${label}: ${update && result.apiReportChanged ? 'report updated' : 'matches its report'}`);
    }
  }
}
rmSync(scratch, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
