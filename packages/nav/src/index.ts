/**
 * `@ml-connector/nav`: a typed client for Dynamics NAV and Business Central on-premises OData web services
 * (v4 `/ODataV4/` and v3 `/OData/`), with the published pages it uses checked against `$metadata` before any
 * data moves. The emulator lives in `@ml-connector/nav/testing`.
 *
 * @packageDocumentation
 */
export { type NavClient, type NavConnection, createNavClient } from './client.js';
export {
  type NavClientOptions,
  type NavAuth,
  type NavBasicAuth,
  type NavOAuthAuth,
  type NavTokenProviderAuth,
  type NavDeployment,
  NAV_DEFAULTS,
  parseDeploymentUrl,
  companySegment,
} from './options.js';
export {
  type FieldKind,
  type FieldDefinition,
  type ServiceDefinition,
  type ServiceName,
  type ServiceField,
  type ServiceOverride,
  type ServiceOverrides,
  type ResolvedField,
  type ResolvedService,
  SERVICE_DEFINITIONS,
  resolveServices,
} from './services.js';
export {
  type NavODataVersion,
  type MetadataProperty,
  type MetadataEntityType,
  type ServiceMetadata,
  type MetadataProblem,
  NavMetadataMismatchError,
  isNavMetadataMismatchError,
  parseServiceMetadata,
  findMetadataProblems,
  edmTypesFor,
} from './metadata.js';
export { type NavRecord, type NavRecordInput, type ValueOfKind, type ValueOf, type Fields, type KeyFields } from './schemas/records.js';
export { type NavListOptions, type NavEtagOptions, NAV_LOOKUP_KEYS_PER_REQUEST, NAV_LOOKUP_MAX_URL_LENGTH } from './resources/entity-set.js';
export { type NavVendor, type NavVendorInput, type NavVendorsResource } from './resources/vendors.js';
export { type NavContact, type NavContactInput, type NavContactBusinessRelation, type NavContactsResource } from './resources/contacts.js';
export {
  type NavGlAccount,
  type NavDimension,
  type NavDimensionValue,
  type NavPaymentTerms,
  type NavReadOnlyResource,
} from './resources/read-only.js';
export {
  type NavPurchaseOrder,
  type NavPurchaseOrderLine,
  type NavPurchaseInvoice,
  type NavPurchaseInvoiceLine,
  type NavDocumentLineInput,
  type NavPurchaseDocumentsResource,
  type HeaderService,
  type LineService,
} from './resources/documents.js';
export {
  type NavGeneralJournalLine,
  type NavGeneralJournalLineInput,
  type NavJournalLineKey,
  type NavGeneralJournalLinesResource,
} from './resources/journal.js';
export {
  type NavPollCheckpoint,
  type NavPollOptions,
  type NavPollResult,
  type NavChangesResource,
  navPollCheckpointSchema,
} from './changes.js';
export {
  type NavWebhooksResource,
  type NavWebhookEntitySet,
  type NavSubscription,
  type NavNotification,
  NAV_WEBHOOK_ENTITY_SETS,
  navSubscriptionSchema,
  navNotificationSchema,
  handleNavValidationRequest,
  parseNavNotifications,
} from './webhooks.js';
export {
  navReferenceResolvers, navVendorReferenceStatus, navGlAccountReferenceStatus, navDimensionValueReferenceStatus,
} from './preflight.js';
