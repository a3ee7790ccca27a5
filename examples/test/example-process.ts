import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Builds what `pnpm example:*` imports from dist; throws with the build's stderr when it fails. */
export function ensureExamplesBuilt(): void {
  const built = spawnSync(process.execPath, [join(repositoryRoot, 'examples/scripts/ensure-built.mjs')], { cwd: repositoryRoot, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`ensure-built failed: ${built.stderr}`);
}

/** What an example process printed and how it ended (`code` null when killed by a signal). */
export interface ExampleExit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** An example started as a user runs it (`--json`), with its output collected until it exits. */
export interface ExampleProcess {
  readonly child: ChildProcess;
  readonly exit: Promise<ExampleExit>;
}

/** Starts `examples/src/<flow>/main.ts --json` in `cwd` with exactly `env`. */
export function startExample(flow: string, cwd: string, env: NodeJS.ProcessEnv): ExampleProcess {
  const child = spawn(process.execPath, [join(repositoryRoot, `examples/src/${flow}/main.ts`), '--json'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exit = new Promise<ExampleExit>((resolve) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, exit };
}

/** Kills the example with SIGKILL as soon as `ready()` holds (polled every 2 ms); rejects if it ends first. */
export function killWhen(example: ExampleProcess, ready: () => boolean): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (ready()) {
        clearInterval(timer);
        example.child.kill('SIGKILL');
        resolve();
      }
    }, 2);
    example.child.on('exit', () => {
      clearInterval(timer);
      reject(new Error('the example ended before it could be killed'));
    });
  });
}

/** The run summary: the last line of `--json` output. */
export const lastSummary = <T>(stdout: string): T => JSON.parse(stdout.trim().split('\n').at(-1)!) as T;
