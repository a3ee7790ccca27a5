/**
 * Business Central specific client-side errors. HTTP failures need nothing extra: core's `errorFromResponse`
 * already parses BC's `{ error: { code, message } }` envelope into `vendorCode`/`vendorMessage` and maps the
 * statuses (e.g. `Request_EntityChanged` arrives as 412 → `ConflictError`).
 */
import { InvalidInputError, hasErrorKind } from '@ml-connector/core';

/**
 * Thrown before any request is sent when code tries to create, update or delete a record of an entity set
 * that the Business Central API exposes read-only (`companies`, `accounts`, `dimensions`, `dimensionValues`,
 * `purchaseOrders` and `purchaseOrderLines` in this client). A subclass of `InvalidInputError`.
 */
export class ReadOnlyEntityError extends InvalidInputError {
  /** Literal class name, kept under minification. */
  static override readonly kind: string = 'ReadOnlyEntityError';
  /** The entity set, e.g. `accounts`. */
  readonly entitySet: string;
  /** The refused operation, e.g. `create`. */
  readonly operation: string;

  constructor(entitySet: string, operation: string) {
    super(
      `${entitySet} is read-only in the Business Central API: ${operation} is not allowed. ` +
        `Change ${entitySet} in Business Central itself, or use an entity that supports writes`,
      { field: entitySet },
    );
    this.entitySet = entitySet;
    this.operation = operation;
  }
}

/** True for a {@link ReadOnlyEntityError}, also one from another installed copy of this package. */
export function isReadOnlyEntityError(error: unknown): error is ReadOnlyEntityError {
  return hasErrorKind(error, 'ReadOnlyEntityError');
}

/**
 * Thrown before any request is sent when a webhook subscription is requested for a resource Business Central
 * does not support webhooks for (e.g. `purchaseOrders`, `dimensionValues`). A subclass of `InvalidInputError`.
 */
export class WebhookNotSupportedError extends InvalidInputError {
  /** Literal class name, kept under minification. */
  static override readonly kind: string = 'WebhookNotSupportedError';
  /** The entity set that was asked for. */
  readonly entitySet: string;

  constructor(entitySet: string, supported: readonly string[]) {
    super(
      `Business Central does not send webhooks for "${entitySet}". Poll it with listModifiedSince() instead, ` +
        `or subscribe to one of: ${supported.join(', ')}`,
      { field: 'resource' },
    );
    this.entitySet = entitySet;
  }
}

/** True for a {@link WebhookNotSupportedError}, also one from another installed copy of this package. */
export function isWebhookNotSupportedError(error: unknown): error is WebhookNotSupportedError {
  return hasErrorKind(error, 'WebhookNotSupportedError');
}
