import type { HttpClient } from '@ml-connector/core';
import type { z } from 'zod';
import { ReadOnlyEntityError } from '../errors.js';
import { type DeltaReadableEntitySet, readableEntitySet } from './entity-set.js';

/**
 * An entity set the Business Central API exposes read-only (`accounts`, `dimensions`, `dimensionValues`).
 * The write methods exist only to fail fast: they throw {@link ReadOnlyEntityError} without sending anything.
 */
export interface ReadOnlyEntitySet<T> extends DeltaReadableEntitySet<T> {
  /** Always throws {@link ReadOnlyEntityError}; nothing is sent. */
  create(body?: unknown): Promise<never>;
  /** Always throws {@link ReadOnlyEntityError}; nothing is sent. */
  update(id?: string, body?: unknown, options?: unknown): Promise<never>;
  /** Always throws {@link ReadOnlyEntityError}; nothing is sent. */
  delete(id?: string, options?: unknown): Promise<never>;
}

/** Builds a read-only entity set whose writes are refused client-side. */
export function readOnlyEntitySet<T>(http: HttpClient, path: string, schema: z.ZodType, name: string): ReadOnlyEntitySet<T> {
  const refuse = (operation: string) => async (): Promise<never> => {
    throw new ReadOnlyEntityError(name, operation);
  };
  return { ...readableEntitySet<T>(http, path, schema, name), create: refuse('create'), update: refuse('update'), delete: refuse('delete') };
}
