import { ConnectorError, hasErrorKind } from '../errors/index.js';
import { describeToken } from './token.js';

/**
 * Thrown when a server hands back a continuation token it already returned during the same listing.
 * Following it would fetch the same page forever, so paging stops instead of looping.
 */
export class PagingLoopError extends ConnectorError {
  /** Literal class name, kept under minification. */
  static override readonly kind: string = 'PagingLoopError';
  /** The repeated token, redacted and shortened so it is safe to log. */
  readonly repeatedToken: string;
  /** 1-based number of the page (within this iteration) that returned the repeated token. */
  readonly pageNumber: number;

  constructor(repeatedToken: string, pageNumber: number) {
    const shown = describeToken(repeatedToken);
    super(
      `Paging stopped: the server repeated a page. Page ${pageNumber} returned continuation token ${JSON.stringify(shown)}, ` +
        'which was already seen in this listing. The server is probably ignoring the paging parameter the request sends.',
      'PAGING_LOOP',
    );
    this.repeatedToken = shown;
    this.pageNumber = pageNumber;
  }
}

/** True for {@link PagingLoopError}, from any installed copy of the package. */
export const isPagingLoopError = (e: unknown): e is PagingLoopError => hasErrorKind(e, 'PagingLoopError');
