#!/usr/bin/env node
// `ml-connector-emulators` / `pnpm emulators`: serves the emulators until SIGINT or SIGTERM, then saves and exits 0.
import { parseArgs } from 'node:util';
import { isInvalidInputError } from '@ml-connector/core';
import { parseCliArguments, USAGE } from './cli-options.js';
import { startEmulators } from './emulators.js';

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseCliArguments>;
  try {
    parsed = parseCliArguments(process.argv.slice(2), parseArgs);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const running = await startEmulators(parsed.options);
  if (parsed.json) {
    process.stdout.write(`${JSON.stringify(running.clients)}\n`);
  } else {
    const rows = Object.entries(running.urls).map(([system, url]) => `  ${system.padEnd(16)} ${String(url)}`);
    process.stdout.write(
      [
        `ml-connector emulators (pid ${process.pid}) on 127.0.0.1`,
        `  ${'system'.padEnd(16)} URL`,
        ...rows,
        `state: ${running.stateDir}${parsed.options.reset ? ' (reseeded)' : ''}`,
        'client options: ml-connector-emulators --json, or findRunningEmulators() from @ml-connector/emulators',
        'Ctrl+C stops them and saves the state.',
        '',
      ].join('\n'),
    );
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await running.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`ml-connector-emulators: ${isInvalidInputError(error) ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
