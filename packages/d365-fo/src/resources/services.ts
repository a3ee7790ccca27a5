import { ConnectorError, type HttpClient, InvalidInputError, hasErrorKind, isConnectorError } from '@ml-connector/core';
import { z } from 'zod';

/** Where a custom service operation lives: `/api/services/{group}/{service}/{operation}`. */
export interface CustomServiceOperation {
  group: string;
  service: string;
  operation: string;
}

/**
 * Default names of the workflow work item service. F&O has no standard service for this: deploy a custom service
 * (X++ calling `WorkflowWorkItemActionManager::dispatchWorkItemAction`) and pass its names. UNCONFIRMED defaults.
 */
export const DEFAULT_WORKFLOW_SERVICE_OPERATION: Readonly<CustomServiceOperation> = Object.freeze({
  group: 'MLConnectorWorkflowServices',
  service: 'MLConnectorWorkflowService',
  operation: 'completeWorkItem',
});

/** A custom service operation refused the call (an X++ exception: `{ Message, ExceptionType }`). */
export class CustomServiceError extends ConnectorError {
  static override readonly kind: string = 'CustomServiceError';
  /** `ExceptionType` of the answer (e.g. `XppServicesException`). */
  readonly exceptionType: string | undefined;
  /** HTTP status of the answer. */
  readonly status: number | undefined;
  constructor(operation: string, message: string, exceptionType: string | undefined, options: { status?: number; cause?: unknown } = {}) {
    super(`F&O service ${operation} failed: ${message}`, 'FO_CUSTOM_SERVICE', options.cause !== undefined ? { cause: options.cause } : {});
    this.exceptionType = exceptionType;
    this.status = options.status;
  }
}

/** True for a {@link CustomServiceError}. */
export function isCustomServiceError(error: unknown): error is CustomServiceError {
  return hasErrorKind(error, 'CustomServiceError');
}

/** Input of {@link CustomServicesResource.completeWorkItem}. */
export interface CompleteWorkItemInput {
  dataAreaId: string;
  workItemId: string;
  /** Work item action: `Approve`, `Reject`, `RequestChange`, `Resubmit`, `Complete`, `Return`. */
  outcome: string;
  comment?: string;
  /** Service names (default {@link DEFAULT_WORKFLOW_SERVICE_OPERATION}). */
  operation?: Partial<CustomServiceOperation>;
  signal?: AbortSignal;
}

/** Result of {@link CustomServicesResource.completeWorkItem}. */
export const completeWorkItemResultSchema = z.looseObject({
  WorkItemId: z.string(),
  Status: z.string(),
  Outcome: z.string(),
  AlreadyCompleted: z.boolean().optional(),
});
/** The completed work item as the service answers it. */
export type CompleteWorkItemResult = z.infer<typeof completeWorkItemResultSchema>;

/** Custom service operations (`/api/services/…`) over the same auth, retries and throttle as OData. */
export interface CustomServicesResource {
  /**
   * Calls an operation with named parameters (F&O maps JSON members to the X++ method's parameters). Not retried
   * after a possible send unless `idempotent`: a service operation may change data.
   */
  call<T = unknown>(operation: CustomServiceOperation, parameters: Record<string, unknown>, options?: { schema?: z.ZodType<T>; idempotent?: boolean; signal?: AbortSignal }): Promise<T>;
  /**
   * Completes a workflow work item with an outcome through the workflow service. The service is idempotent (the same
   * outcome again answers `AlreadyCompleted: true`), so the call is retried like a read.
   */
  completeWorkItem(input: CompleteWorkItemInput): Promise<CompleteWorkItemResult>;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** @internal */
export function customServicesResource(http: HttpClient, environmentOrigin: string): CustomServicesResource {
  const call: CustomServicesResource['call'] = async (operation, parameters, options = {}) => {
    for (const part of ['group', 'service', 'operation'] as const) {
      if (typeof operation?.[part] !== 'string' || !NAME.test(operation[part])) {
        throw new InvalidInputError(`custom service ${part} must be an X++ identifier (letters, digits, _), got ${JSON.stringify(operation?.[part])}`, { field: part });
      }
    }
    const name = `${operation.group}/${operation.service}/${operation.operation}`;
    try {
      return await http.post(`${environmentOrigin}/api/services/${name}`, {
        json: parameters,
        ...(options.schema ? { schema: options.schema } : {}),
        idempotent: options.idempotent ?? false,
        operation: `services.${operation.operation}`,
        ...(options.signal ? { signal: options.signal } : {}),
      } as never);
    } catch (error) {
      const body = isConnectorError(error) ? (error as { data?: unknown }).data : undefined;
      const parsed = typeof body === 'string' ? (() => { try { return JSON.parse(body) as Record<string, unknown>; } catch { return undefined; } })() : (body as Record<string, unknown> | undefined);
      if (parsed && typeof parsed['Message'] === 'string') {
        throw new CustomServiceError(name, parsed['Message'], typeof parsed['ExceptionType'] === 'string' ? parsed['ExceptionType'] : undefined, { status: (error as { status?: number }).status, cause: error });
      }
      throw error;
    }
  };
  return {
    call,
    completeWorkItem(input) {
      if (!input || typeof input.workItemId !== 'string' || input.workItemId === '') throw new InvalidInputError('workItemId is required', { field: 'workItemId' });
      if (typeof input.outcome !== 'string' || input.outcome === '') throw new InvalidInputError('outcome is required (e.g. Approve, Reject, Resubmit)', { field: 'outcome' });
      if (typeof input.dataAreaId !== 'string' || input.dataAreaId === '') throw new InvalidInputError('dataAreaId is required', { field: 'dataAreaId' });
      return call(
        { ...DEFAULT_WORKFLOW_SERVICE_OPERATION, ...input.operation },
        { _dataAreaId: input.dataAreaId.toLowerCase(), _workItemId: input.workItemId, _outcome: input.outcome, _comment: input.comment ?? '' },
        { schema: completeWorkItemResultSchema, idempotent: true, ...(input.signal ? { signal: input.signal } : {}) },
      );
    },
  };
}
