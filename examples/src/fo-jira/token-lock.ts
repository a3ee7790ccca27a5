import { mkdirSync, openSync, closeSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { InvalidInputError, type RefreshLock, type RefreshTokenStore } from '@ml-connector/core';

/** Options of {@link createFileRefreshLock}. */
export interface FileRefreshLockOptions {
  /** Wait between attempts to take the lock, ms. @default 20 */
  readonly retryMs?: number;
  /** Give up after this long, ms. @default 30000 */
  readonly timeoutMs?: number;
  /** A lock file older than this belongs to a crashed process and is taken over, ms. @default 60000 */
  readonly staleMs?: number;
}

/**
 * Core's refresh lock hook over a lock file (`O_EXCL` create): two processes on one machine never spend the same
 * rotating refresh token. Several machines need a shared lock (a database advisory lock, Redis).
 */
export function createFileRefreshLock(path: string, options: FileRefreshLockOptions = {}): RefreshLock {
  mkdirSync(dirname(path), { recursive: true });
  const retryMs = options.retryMs ?? 20;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const staleMs = options.staleMs ?? 60_000;
  return async (fn) => {
    const started = Date.now();
    for (;;) {
      try {
        const fd = openSync(path, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        try {
          if (Date.now() - statSync(path).mtimeMs > staleMs) unlinkSync(path);
        } catch {
          // Released meanwhile.
        }
        if (Date.now() - started > timeoutMs) throw new InvalidInputError(`the refresh lock ${path} is held for more than ${timeoutMs} ms; remove it if no process is refreshing`, { field: path });
        // The global timer (not node:timers/promises), so fake clocks in tests control the wait.
        await new Promise((resolve) => setTimeout(resolve, retryMs));
      }
    }
    try {
      return await fn();
    } finally {
      try {
        unlinkSync(path);
      } catch {
        // Taken over as stale.
      }
    }
  };
}

/** A refresh token kept in a file, written atomically (temp file + rename) so a reader never sees half a token. */
export function createFileRefreshTokenStore(path: string): RefreshTokenStore {
  mkdirSync(dirname(path), { recursive: true });
  return {
    async read() {
      try {
        return readFileSync(path, 'utf8').trim() || undefined;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async write(token) {
      const temp = `${path}.${process.pid}.tmp`;
      writeFileSync(temp, token, { mode: 0o600 });
      renameSync(temp, path);
    },
  };
}
