import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { InvalidInputError } from '@ml-connector/core';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Takes an exclusive lock file holding this process id, so one run of a flow uses a state file at a time. A lock
 * left by a process that no longer exists (killed with SIGKILL) is taken over. Resolves the release function.
 */
export function acquireRunLock(path: string, what: string): () => void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(path, 'utf8') === String(process.pid)) unlinkSync(path);
        } catch {
          // Already gone.
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder = Number.NaN;
      try {
        holder = Number(readFileSync(path, 'utf8'));
      } catch {
        continue;
      }
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) {
        throw new InvalidInputError(`another ${what} run (pid ${holder}) is using this state file; wait for it to end or stop it`, { field: path });
      }
      try {
        unlinkSync(path);
      } catch {
        // Someone else removed it first; try again.
      }
    }
  }
  throw new InvalidInputError(`could not take the lock ${path}; remove it if no ${what} run is active`, { field: path });
}
