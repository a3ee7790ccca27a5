import type { Page, PageRequest } from '@ml-connector/core';

/** A fake server over `total` numbered items; tokens are `p<start>`. Records every request it gets. */
export function numberedSource(total: number, defaultPageSize = 3) {
  const requests: PageRequest[] = [];
  return {
    requests,
    async fetchPage(request: PageRequest): Promise<Page<number>> {
      requests.push(request);
      const start = request.continuationToken === undefined ? 0 : Number(request.continuationToken.slice(1));
      const size = request.maxPageSize ?? defaultPageSize;
      const items = Array.from({ length: Math.max(0, Math.min(size, total - start)) }, (_, i) => start + i);
      const next = start + items.length;
      return { items, continuationToken: next < total ? `p${next}` : undefined };
    },
  };
}
