/** Shape of one emulated resource: its key attribute, how its URL key is formed, children and write rules. */
export interface ResourceDef {
  /** Attribute holding the record's key. */
  readonly keyAttr: string;
  /** `hash`: the URL key is an opaque hash (`…UniqID`); `plain`: the key value itself (e.g. `SupplierId`). */
  readonly urlKey: 'hash' | 'plain';
  /** Child resources by name. */
  readonly children?: Readonly<Record<string, ResourceDef>>;
  /** POST/PATCH allowed. */
  readonly writable?: boolean;
  /** Attributes a client may not set. */
  readonly readOnly?: readonly string[];
  /** Attributes a create must carry. */
  readonly required?: readonly string[];
}

const who = ['CreationDate', 'CreatedBy', 'LastUpdateDate', 'LastUpdatedBy'];

/**
 * The emulated resources. Keys: `suppliers/{SupplierId}` plain (documented), invoice, invoice line, installment and
 * purchase order keys are opaque hashes (documented for invoices and POs; others assumed, UNCONFIRMED).
 */
export const RESOURCE_DEFS: Readonly<Record<string, ResourceDef>> = {
  suppliers: {
    keyAttr: 'SupplierId',
    urlKey: 'plain',
    writable: true,
    readOnly: ['SupplierId', 'SupplierPartyId', ...who],
    required: ['Supplier'],
    children: {
      sites: { keyAttr: 'SupplierSiteId', urlKey: 'plain', writable: true, readOnly: ['SupplierSiteId', ...who], required: ['SupplierSite', 'ProcurementBU'] },
      contacts: { keyAttr: 'SupplierContactId', urlKey: 'plain', writable: true, readOnly: ['SupplierContactId', ...who], required: ['LastName'] },
      addresses: { keyAttr: 'SupplierAddressId', urlKey: 'plain', writable: true, readOnly: ['SupplierAddressId', ...who], required: ['AddressName', 'Country'] },
    },
  },
  invoices: {
    keyAttr: 'InvoiceId',
    urlKey: 'hash',
    writable: true,
    readOnly: ['InvoiceId', 'SupplierNumber', 'ValidationStatus', 'PaidStatus', ...who],
    required: ['InvoiceNumber', 'InvoiceCurrency', 'InvoiceAmount', 'InvoiceDate', 'BusinessUnit', 'Supplier', 'SupplierSite'],
    children: {
      invoiceLines: {
        keyAttr: 'LineNumber',
        urlKey: 'hash',
        writable: true,
        required: ['LineNumber', 'LineType', 'LineAmount'],
        children: { invoiceDistributions: { keyAttr: 'InvoiceDistributionId', urlKey: 'plain', readOnly: ['InvoiceDistributionId'] } },
      },
      invoiceInstallments: { keyAttr: 'InstallmentNumber', urlKey: 'hash' },
    },
  },
  purchaseOrders: {
    keyAttr: 'POHeaderId',
    urlKey: 'hash',
    children: {
      lines: {
        keyAttr: 'POLineId',
        urlKey: 'plain',
        children: { schedules: { keyAttr: 'LineLocationId', urlKey: 'plain', children: { distributions: { keyAttr: 'PODistributionId', urlKey: 'plain' } } } },
      },
    },
  },
  accountCombinationsLOV: { keyAttr: '_CODE_COMBINATION_ID', urlKey: 'plain' },
  valueSets: {
    keyAttr: 'ValueSetCode',
    urlKey: 'plain',
    // Values are created and updated through the child collection (Manage Value Sets REST: create/update a value).
    children: { values: { keyAttr: 'ValueId', urlKey: 'plain', writable: true, readOnly: ['ValueId', ...who], required: ['Value'] } },
  },
  receivingReceiptRequests: {
    keyAttr: 'HeaderInterfaceId',
    urlKey: 'plain',
    writable: true,
    readOnly: ['HeaderInterfaceId', 'ProcessingStatusCode', 'ReceiptNumber'],
    required: ['ReceiptSourceCode', 'OrganizationCode'],
    children: { lines: { keyAttr: 'InterfaceTransactionId', urlKey: 'plain', required: ['DocumentNumber', 'DocumentLineNumber', 'Quantity'], readOnly: ['InterfaceTransactionId'] } },
  },
};

/** Names of the top-level emulated collections. */
export type CollectionName = keyof typeof RESOURCE_DEFS;
