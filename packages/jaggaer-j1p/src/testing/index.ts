/**
 * `@ml-connector/jaggaer-j1p/testing`: a faithful in-memory emulator of the JAGGAER ONE (J1P) public API and its
 * Keycloak token endpoint, so connectors can be built and tested without a tenant.
 *
 * What is backed by public evidence and what is UNCONFIRMED is stated on each path in {@link JaggaerPaths}.
 *
 * @packageDocumentation
 */
export {
  createJaggaerSandbox,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
  SANDBOX_BASE_URL,
  type JaggaerSandbox,
  type JaggaerSandboxOptions,
  type JaggaerSandboxStats,
  type JaggaerFaultOptions,
  type JaggaerLoopbackServer,
} from './sandbox.js';
export { DEFAULT_JAGGAER_PATHS, type JaggaerPaths, type KeycloakLayout } from './paths.js';
export { DEFAULT_JAGGAER_LIMITS, type JaggaerLimits } from './limits.js';
export { INVOICE_LIST_PARAMETERS, type JaggaerInvoiceListOptions, type JaggaerPaging, type JaggaerRouteName } from './router.js';
export { PAYMENT_STATUSES } from './schemas.js';
export { JAGGAER_RETURN_CODES, JAGGAER_WWW_AUTHENTICATE, type JaggaerReturnCode, type JaggaerEnvelope } from './errors.js';
export { formatJaTimestamp, parseJaggaerDate } from './render.js';
export type { InvoicePatch, OperationCode } from './store.js';
export {
  generateJaggaerSeed,
  sandboxSupplierName,
  sandboxSupplierProfileExtras,
  sandboxSupplierNumber,
  sandboxInvoiceNumber,
  sandboxPoNumber,
  sandboxCodingValues,
  SANDBOX_ACCOUNTS,
  SANDBOX_DEPARTMENTS,
  SANDBOX_PROJECTS,
  SANDBOX_BLOCKED_ACCOUNT,
  SANDBOX_UNKNOWN_ACCOUNT,
  SANDBOX_BUSINESS_UNIT,
  SANDBOX_SPECIAL_CODING_RULE,
  SANDBOX_SPLIT_CODING_RULE,
  SANDBOX_SEED_UNTIL,
  SANDBOX_FIRST_INVOICE_ID,
  type JaggaerSeedOptions,
} from './seed.js';
export type {
  CodingAssignment,
  CodingSegment,
  CodingSplitAssignment,
  InvoicePaymentStatus,
  InvoiceWorkflowStatus,
  JaggaerCodingValue,
  JaggaerInvoice,
  JaggaerInvoiceLine,
  JaggaerPurchaseOrder,
  JaggaerPurchaseOrderLine,
  JaggaerSeed,
  JaggaerSupplier,
  JaggaerSupplierUser,
} from './model.js';
export type { JaggaerCatalogItem } from './catalog.js';
