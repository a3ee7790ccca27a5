/**
 * `@ml-connector/core`: the system-agnostic transport and building blocks every ml-connector connector
 * uses. Module barrels (`./errors`, `./http`, …) each export a curated, named list.
 *
 * @packageDocumentation
 */
export * from './errors/index.js';
export * from './logging/index.js';
export * from './auth/index.js';
export * from './http/index.js';
export * from './odata/index.js';
export * from './paging/index.js';
export * from './webhooks/index.js';
