import { ConnectorError, hasErrorKind } from '../errors/index.js';
import { describeToken } from './token.js';

/**
 * How a listing was found to loop: the server handed back a continuation token already seen, returned the
 * same page twice in a row, or echoed a different position than the one requested.
 */
export type PagingLoopReason = 'repeated-token' | 'repeated-page' | 'position-ignored';

const EXPLANATIONS: Record<PagingLoopReason, string> = {
  'repeated-token': 'returned continuation token {token}, which was already seen in this listing',
  'repeated-page': 'returned the same items as the page before it (next token {token})',
  'position-ignored': 'answered position {token} with a different position',
};

/**
 * Thrown when a server keeps serving the same page: following it would fetch forever, so paging stops.
 * Usually the server ignores the paging parameter the request sends (`$skiptoken`, `offset`, `startAt`).
 */
export class PagingLoopError extends ConnectorError {
  /** Literal class name, kept under minification. */
  static override readonly kind: string = 'PagingLoopError';
  /** The repeated token (or the requested position), redacted and shortened so it is safe to log. */
  readonly repeatedToken: string;
  /** 1-based number of the page (within this iteration) that revealed the loop, when known. */
  readonly pageNumber: number | undefined;
  /** How the loop was detected. */
  readonly reason: PagingLoopReason;

  constructor(repeatedToken: string, pageNumber: number | undefined, reason: PagingLoopReason = 'repeated-token', detail = '') {
    const shown = describeToken(repeatedToken);
    const page = pageNumber === undefined ? 'A page' : `Page ${pageNumber}`;
    super(
      `Paging stopped: the server repeated a page. ${page} ${EXPLANATIONS[reason].replace('{token}', JSON.stringify(shown))}${detail}. ` +
        'The server is probably ignoring the paging parameter the request sends.',
      'PAGING_LOOP',
    );
    this.repeatedToken = shown;
    this.pageNumber = pageNumber;
    this.reason = reason;
  }
}

/** True for {@link PagingLoopError}, from any installed copy of the package. */
export const isPagingLoopError = (e: unknown): e is PagingLoopError => hasErrorKind(e, 'PagingLoopError');
