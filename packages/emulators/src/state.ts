import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidInputError } from '@ml-connector/core';

/** Name of the file that describes the emulators serving a state directory, while they run. */
export const RUNNING_FILE = 'running.json';

/** Writes `text` to `path` atomically: a temporary file in the same directory, then a rename over the target. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, text, { mode: 0o600 });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Reads and parses a JSON file; `undefined` when it does not exist. Unparseable content is an error naming the fix. */
export async function readJsonFile(path: string, fix: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new InvalidInputError(`${path} is not valid JSON; ${fix}`, { field: 'stateDir' });
  }
}

/** Whether a process with this id exists (a process we may not signal still exists). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claims a state directory for this process by creating its `running.json` exclusively. A file left by a process
 * that no longer exists is taken over; one of a live process (this one included) is refused.
 */
export async function claimStateDir(stateDir: string): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  const path = join(stateDir, RUNNING_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify({ pid: process.pid, starting: true })}\n`);
      } finally {
        await handle.close();
      }
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = (await readJsonFile(path, 'delete it if no emulators are running').catch(() => undefined)) as { pid?: unknown } | undefined;
    const pid = typeof holder?.pid === 'number' ? holder.pid : undefined;
    if (pid !== undefined && isProcessAlive(pid)) {
      throw new InvalidInputError(
        `Emulators (pid ${pid}) already serve the state directory ${stateDir}. Stop them first, use them (findRunningEmulators), or pass another stateDir / --state-dir.`,
        { field: 'stateDir' },
      );
    }
    // Stale: its process is gone (killed without cleanup).
    await rm(path, { force: true });
  }
  throw new InvalidInputError(`Could not claim ${path}: another process keeps creating it. Pass another stateDir / --state-dir.`, { field: 'stateDir' });
}
