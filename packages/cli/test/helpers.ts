import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli, type CliIo } from '@ml-connector/cli';

/** A temporary working directory with `.ml-connector/` state, removed by `cleanup`. */
export async function tempWorkdir(): Promise<{ cwd: string; stateDir: string; cleanup: () => Promise<void> }> {
  const cwd = await mkdtemp(join(tmpdir(), 'mlc-cli-'));
  return { cwd, stateDir: join(cwd, '.ml-connector'), cleanup: () => rm(cwd, { recursive: true, force: true }) };
}

/** Runs the CLI in-process and captures what it prints. */
export async function cli(
  argv: string[],
  options: { cwd: string; env?: Record<string, string | undefined>; stdin?: string } & Partial<Pick<CliIo, 'until' | 'onConsole'>>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = new PassThrough().on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const err = new PassThrough().on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const stdin = new PassThrough();
  stdin.end(options.stdin ?? '');
  const code = await runCli(argv, {
    stdout: out,
    stderr: err,
    stdin,
    cwd: options.cwd,
    env: options.env ?? {},
    ...(options.until ? { until: options.until } : {}),
    ...(options.onConsole ? { onConsole: options.onConsole } : {}),
  });
  return { code, stdout, stderr };
}
