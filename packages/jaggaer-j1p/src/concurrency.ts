/**
 * Maps `items` through `task` with at most `limit` tasks running at once, keeping the input order. The first failure
 * aborts the signal handed to the tasks still running and rejects with that failure; later ones are ignored.
 * Internal: small enough that a dependency (p-map is ESM-only, and this package also ships CommonJS) is not worth it.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, signal: AbortSignal) => Promise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  const controller = new AbortController();
  const forward = () => controller.abort(signal?.reason);
  if (signal?.aborted) forward();
  else signal?.addEventListener('abort', forward, { once: true });
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      controller.signal.throwIfAborted();
      const index = next++;
      results[index] = await task(items[index] as T, controller.signal);
    }
  };
  try {
    await Promise.all(
      Array.from({ length: Math.min(limit, items.length) }, () =>
        worker().catch((error: unknown) => {
          controller.abort(error);
          throw error;
        }),
      ),
    );
    return results;
  } finally {
    signal?.removeEventListener('abort', forward);
  }
}
