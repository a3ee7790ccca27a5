/** Entity sets the emulator serves, with keys, enum fields and write rules. */

/** Definition of one emulated entity set. */
export interface EntityDef {
  /** Key fields in predicate order (company-specific sets start with `dataAreaId`). */
  readonly keys: readonly string[];
  /** True when records belong to a legal entity. */
  readonly company: boolean;
  /** Enum type (without namespace) by field. */
  readonly enums: Readonly<Record<string, string>>;
  /** Allowed writes. */
  readonly writable: boolean;
  /** Fields a POST must carry (besides keys the emulator can assign). */
  readonly required: readonly string[];
  /** Default values of fields absent on create. */
  readonly defaults: Readonly<Record<string, unknown>>;
}

const def = (d: Partial<EntityDef> & Pick<EntityDef, 'keys' | 'company'>): EntityDef => ({ enums: {}, writable: false, required: [], defaults: {}, ...d });

/** The emulated entity sets by public collection name. */
export const ENTITY_DEFS = {
  VendorsV2: def({
    keys: ['dataAreaId', 'VendorAccountNumber'],
    company: true,
    writable: true,
    enums: { OnHoldStatus: 'VendorBlocked', VendorPartyType: 'DirPartyBaseType' },
    required: ['VendorAccountNumber', 'VendorOrganizationName', 'VendorGroupId'],
    defaults: { OnHoldStatus: 'No', CurrencyCode: 'USD', VendorPartyType: 'Organization', PrimaryEmailAddress: '', DefaultPaymentTermsName: 'Net30', DefaultLedgerDimensionDisplayValue: '', InvoiceVendorAccountNumber: '', TaxExemptNumber: '' },
  }),
  MainAccounts: def({ keys: ['ChartOfAccounts', 'MainAccountId'], company: false, enums: { IsSuspended: 'NoYes', MainAccountType: 'DimensionLedgerAccountType', DoNotAllowManualEntry: 'NoYes' } }),
  DimensionAttributes: def({ keys: ['DimensionName'], company: false }),
  FinancialDimensionValues: def({ keys: ['FinancialDimension', 'DimensionValue'], company: false, enums: { IsSuspended: 'NoYes', IsTotal: 'NoYes', IsBlockedForManualEntry: 'NoYes' } }),
  AccountStructureRules: def({ keys: ['AccountStructure', 'DimensionName'], company: false, enums: { IsRequired: 'NoYes' } }),
  ReleasedProductsV2: def({ keys: ['dataAreaId', 'ItemNumber'], company: true, enums: { ProductType: 'EcoResProductType' } }),
  PurchaseOrderHeadersV2: def({
    keys: ['dataAreaId', 'PurchaseOrderNumber'],
    company: true,
    enums: { PurchaseOrderStatus: 'PurchStatus', DocumentApprovalStatus: 'VersioningDocumentState' },
  }),
  PurchaseOrderLinesV2: def({ keys: ['dataAreaId', 'PurchaseOrderNumber', 'LineNumber'], company: true, enums: { PurchaseOrderLineStatus: 'PurchStatus' } }),
  VendorInvoiceHeaders: def({
    keys: ['dataAreaId', 'HeaderReference'],
    company: true,
    writable: true,
    enums: { IsApproved: 'NoYes', IsOnHold: 'NoYes' },
    required: ['InvoiceNumber', 'VendorAccount'],
    defaults: { IsApproved: 'No', IsOnHold: 'No', ApprovedBy: '', InvoiceDescription: '', PurchaseOrderNumber: '', DimensionDisplayValue: '', VendorInvoiceReviewStatus: 'None', Currency: 'USD' },
  }),
  VendorInvoiceLines: def({
    keys: ['dataAreaId', 'HeaderReference', 'InvoiceLineNumber'],
    company: true,
    writable: true,
    required: ['HeaderReference', 'InvoiceLineNumber'],
    defaults: { ReceiveNow: 0, UnitPrice: 0, Amount: 0, ItemNumber: '', LineDescription: '', MainAccountDisplayValue: '', DimensionDisplayValue: '', ProcurementCategoryName: '', PurchaseOrder: '' },
  }),
  VendInvoiceJourBiEntities: def({ keys: ['dataAreaId', 'InvoiceId', 'LedgerVoucher'], company: true }),
  /**
   * Workflow work items: the standard `WorkflowWorkItems` entity with the `Validate`/`Complete` actions (FODOCS
   * `business-events/business-events-workflow.md`; see `services.ts`). UNCONFIRMED: its key and field names (this
   * shape is the emulator's). Writable so an integration can record an outcome on the item; completing it goes
   * through `Complete` or the custom service, as in F&O, where the workflow engine completes a work item.
   */
  WorkflowWorkItems: def({
    keys: ['dataAreaId', 'WorkItemId'],
    company: true,
    writable: true,
    required: ['WorkItemId', 'DocumentType', 'DocumentId'],
    defaults: { Status: 'Pending', Subject: '', Outcome: '', OutcomeComment: '', CompletedBy: '', CompletedAt: '' },
  }),
} as const satisfies Record<string, EntityDef>;

/** Name of an emulated entity set. */
export type EntitySetName = keyof typeof ENTITY_DEFS;

/** True when `name` is an emulated entity set. */
export function isEntitySetName(name: string): name is EntitySetName {
  return Object.hasOwn(ENTITY_DEFS, name);
}
