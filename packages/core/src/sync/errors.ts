import { ConnectorError, type ConnectorErrorOptions, hasErrorKind } from '../errors/index.js';

/**
 * A record cannot go through until its data or a mapping is fixed (missing mapping, unknown vendor, blocked
 * account, closed period, duplicate). The engine sends the record to the review queue under `reason` and the
 * batch goes on. Throw it (or a subclass) from a flow's mapper.
 */
export class DataError extends ConnectorError {
  /** Literal class name, kept under minification. */
  static override readonly kind: string = 'DataError';
  /** Review reason code (`missing-mapping`, `unknown-vendor`, `blocked-account`, …). */
  readonly reason: string;
  /** The field at fault, when one is (`lines[1].glAccount`). */
  readonly field: string | undefined;
  constructor(reason: string, message: string, options: ConnectorErrorOptions & { field?: string } = {}) {
    super(message, 'DATA_ERROR', options);
    this.reason = reason;
    this.field = options.field;
  }
}

/** True for {@link DataError} and its subclasses, from any installed copy of the package. */
export const isDataError = (error: unknown): error is DataError => hasErrorKind(error, 'DataError');

/** A compare-and-set in {@link SyncStore.commit} found a newer revision: someone else changed the record. */
export class StoreConflictError extends ConnectorError {
  /** Literal class name, kept under minification. */
  static override readonly kind: string = 'StoreConflictError';
  constructor(message: string, options: ConnectorErrorOptions = {}) {
    super(message, 'STORE_CONFLICT', options);
  }
}

/** True for {@link StoreConflictError}, from any installed copy of the package. */
export const isStoreConflictError = (error: unknown): error is StoreConflictError => hasErrorKind(error, 'StoreConflictError');

/** A source cannot parse a saved cursor; the engine backfills from the beginning and warns. */
export class CheckpointUnreadableError extends ConnectorError {
  /** Literal class name, kept under minification. */
  static override readonly kind: string = 'CheckpointUnreadableError';
  constructor(message: string, options: ConnectorErrorOptions = {}) {
    super(message, 'CHECKPOINT_UNREADABLE', options);
  }
}

/** True for {@link CheckpointUnreadableError}, from any installed copy of the package. */
export const isCheckpointUnreadableError = (error: unknown): error is CheckpointUnreadableError =>
  hasErrorKind(error, 'CheckpointUnreadableError');
