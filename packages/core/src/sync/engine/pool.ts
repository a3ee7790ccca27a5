/**
 * Runs `work` over `items` with at most `limit` in flight, starting an item only while `mayStart()` holds.
 * Resolves true when every item was started. Items already running always finish.
 */
export async function runBounded<T>(
  items: readonly T[],
  limit: number,
  mayStart: () => boolean,
  work: (item: T, index: number) => Promise<void>,
): Promise<boolean> {
  let next = 0;
  let stoppedEarly = false;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      if (!mayStart()) {
        stoppedEarly = true;
        return;
      }
      const index = next++;
      await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return !stoppedEarly && next >= items.length;
}
