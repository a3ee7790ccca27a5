/**
 * Entity model of the emulated Business Central API v2.0: entity sets, fields, read-only flags, allowed
 * methods, navigation properties and default ordering. Field lists follow BCDOCS
 * `dev-itpro/api-reference/v2.0/resources/dynamics_*.md` (see api-facts.md §2).
 */

/** EDM-ish type of an emulated field. */
export type FieldType = 'string' | 'guid' | 'number' | 'int' | 'boolean' | 'date' | 'datetime';

/** One field of an emulated entity. */
export interface FieldSpec {
  /** Value type. */
  type: FieldType;
  /** Read-only: rejected in POST/PATCH bodies. */
  ro?: boolean;
  /** Max string length (BC raises `Application_StringExceededLength`). */
  max?: number;
  /** Allowed option values. */
  values?: readonly string[];
}

/** A navigation property usable in `$expand` and as a path segment. */
export type NavSpec =
  | { kind: 'children'; set: EntitySetName; foreignKey: string }
  | { kind: 'single'; set: EntitySetName; localField: string }
  | { kind: 'dimensionSetLines' }
  | { kind: 'attachments'; parentType: string; documentAttachments: boolean }
  | { kind: 'pdfDocument' };

/** Names of the emulated entity sets. */
export type EntitySetName =
  | 'companies'
  | 'vendors'
  | 'accounts'
  | 'dimensions'
  | 'dimensionValues'
  | 'purchaseInvoices'
  | 'purchaseInvoiceLines'
  | 'purchaseOrders'
  | 'purchaseOrderLines'
  | 'subscriptions'
  | 'currencies'
  | 'items'
  | 'taxGroups'
  | 'paymentTerms'
  | 'paymentMethods'
  | 'unitsOfMeasure'
  | 'defaultDimensions'
  | 'attachments';

/** Definition of one entity set. */
export interface EntityDef {
  /** Entity set name, e.g. `vendors`. */
  set: EntitySetName;
  /** EDM type name, as in `Microsoft.NAV.vendor`. */
  type: string;
  /** Key property. */
  key: string;
  /** Fields in BC's serialisation order. */
  fields: Readonly<Record<string, FieldSpec>>;
  /** Values serialised for fields a record does not store (keeps 100k-row seeds compact). */
  defaults: Readonly<Record<string, unknown>>;
  /** Write methods the set allows (read-only sets answer 405 `BadRequest_MethodNotAllowed`). */
  methods: { post: boolean; patch: boolean; delete: boolean };
  /** Default ordering (the table's primary key in BC), before the id tie-break. */
  order: readonly string[];
  /** Navigation properties (`$expand` and path segments). */
  nav: Readonly<Record<string, NavSpec>>;
  /** Listed in BC's webhook-supported resources. */
  webhooks: boolean;
  /** BC table caption used in error messages. */
  table: string;
}

const s = (max?: number, ro?: boolean): FieldSpec => ({ type: 'string', ...(max ? { max } : {}), ...(ro ? { ro } : {}) });
const g = (ro?: boolean): FieldSpec => ({ type: 'guid', ...(ro ? { ro } : {}) });
const n = (ro?: boolean): FieldSpec => ({ type: 'number', ...(ro ? { ro } : {}) });
const b = (ro?: boolean): FieldSpec => ({ type: 'boolean', ...(ro ? { ro } : {}) });
const d = (ro?: boolean): FieldSpec => ({ type: 'date', ...(ro ? { ro } : {}) });
const dt = (ro?: boolean): FieldSpec => ({ type: 'datetime', ...(ro ? { ro } : {}) });
const e = (values: readonly string[], ro?: boolean): FieldSpec => ({ type: 'string', values, ...(ro ? { ro } : {}) });

const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';

/**
 * Encodes an enum member name as API v2.0 (schema version 2.0) serialises it: characters that are not valid
 * in an XML name become `_xHHHH_` (`In Review` → `In_x0020_Review`, `G/L Account` → `G_x002F_L_x0020_Account`,
 * the blank option `' '` → `_x0020_`), like .NET's `XmlConvert.EncodeName`.
 */
export function encodeEnumMember(value: string): string {
  if (PLAIN_NAME.test(value) && !value.includes('_x')) return value;
  let cached = encodedNames.get(value);
  if (cached === undefined) {
    cached = encodeName(value);
    if (encodedNames.size < 10_000) encodedNames.set(value, cached);
  }
  return cached;
}

const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const encodedNames = new Map<string, string>();

function encodeName(value: string): string {
  let out = '';
  let index = 0;
  for (const char of value) {
    const valid = index === 0 ? /[A-Za-z_]/.test(char) : /[A-Za-z0-9_.-]/.test(char);
    // `_x` followed by hex would read as an escape: escape the underscore itself.
    const ambiguous = char === '_' && /^_x[0-9A-Fa-f]{4}_/.test(value.slice(index));
    out += valid && !ambiguous ? char : `_x${(char.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}_`;
    index += char.length;
  }
  return out;
}

/** Decodes `_xHHHH_` escapes of an encoded enum member name; plain names pass unchanged. */
export function decodeEnumMember(value: string): string {
  return value.replace(/_x([0-9A-Fa-f]{4,6})_/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)));
}

/** Option values of `purchaseInvoice.status`. */
export const PURCHASE_INVOICE_STATUSES = ['Draft', 'In Review', 'Open', 'Paid', 'Canceled', 'Corrective'] as const;
/** Option values of `lineType` on document lines. */
export const LINE_TYPES = ['Comment', 'Account', 'Item', 'Resource', 'Fixed Asset', 'Charge'] as const;
/** Option values of `blocked` on vendors (a single blank means "not blocked"). */
export const VENDOR_BLOCKED = [' ', 'Payment', 'All'] as const;

const address = (prefix: string): Record<string, FieldSpec> => ({
  [`${prefix}AddressLine1`]: s(100),
  [`${prefix}AddressLine2`]: s(50),
  [`${prefix}City`]: s(30),
  [`${prefix}Country`]: s(10),
  [`${prefix}State`]: s(30),
  [`${prefix}PostCode`]: s(20),
});
const readOnly = (fields: Record<string, FieldSpec>): Record<string, FieldSpec> =>
  Object.fromEntries(Object.entries(fields).map(([name, spec]) => [name, { ...spec, ro: true }]));
const addressDefaults = (prefix: string) => ({
  [`${prefix}AddressLine1`]: '',
  [`${prefix}AddressLine2`]: '',
  [`${prefix}City`]: '',
  [`${prefix}Country`]: '',
  [`${prefix}State`]: '',
  [`${prefix}PostCode`]: '',
});

const documentHeaderFields: Record<string, FieldSpec> = {
  id: g(true),
  number: s(20, true),
  postingDate: d(),
  vendorId: g(),
  vendorNumber: s(20),
  // Editable = false on the API pages (APIV2PurchaseInvoices.Page.al): BC fills them from the vendor.
  vendorName: s(100, true),
  payToName: s(100, true),
  payToContact: s(100, true),
  payToVendorId: g(),
  payToVendorNumber: s(20),
  shipToName: s(100),
  shipToContact: s(100),
  ...address('buyFrom'),
  ...readOnly(address('payTo')),
  ...address('shipTo'),
  shortcutDimension1Code: s(20),
  shortcutDimension2Code: s(20),
  currencyId: g(),
  currencyCode: s(10),
  // Writable: the page validates it (OnValidate registers "Prices Including VAT").
  pricesIncludeTax: b(),
  purchaser: s(20),
  discountAmount: n(),
  discountAppliedBeforeTax: b(true),
  totalAmountExcludingTax: n(true),
  totalTaxAmount: n(true),
  totalAmountIncludingTax: n(true),
  lastModifiedDateTime: dt(true),
};
const documentHeaderDefaults = {
  payToName: '',
  payToContact: '',
  payToVendorId: EMPTY_GUID,
  payToVendorNumber: '',
  shipToName: '',
  shipToContact: '',
  ...addressDefaults('buyFrom'),
  ...addressDefaults('payTo'),
  ...addressDefaults('shipTo'),
  shortcutDimension1Code: '',
  shortcutDimension2Code: '',
  currencyId: EMPTY_GUID,
  currencyCode: 'USD',
  pricesIncludeTax: false,
  purchaser: '',
  discountAmount: 0,
  discountAppliedBeforeTax: true,
  totalAmountExcludingTax: 0,
  totalTaxAmount: 0,
  totalAmountIncludingTax: 0,
};

const documentLineFields: Record<string, FieldSpec> = {
  id: g(true),
  documentId: g(),
  sequence: { type: 'int' },
  itemId: g(),
  accountId: g(),
  lineType: e(LINE_TYPES),
  lineObjectNumber: s(20),
  description: s(100),
  description2: s(50),
  unitOfMeasureId: g(),
  unitOfMeasureCode: s(10),
  quantity: n(),
  discountAmount: n(),
  discountPercent: n(),
  discountAppliedBeforeTax: b(true),
  amountExcludingTax: n(true),
  taxCode: s(20),
  taxPercent: n(true),
  totalTaxAmount: n(true),
  amountIncludingTax: n(true),
  invoiceDiscountAllocation: n(true),
  netAmount: n(true),
  netTaxAmount: n(true),
  netAmountIncludingTax: n(true),
  expectedReceiptDate: d(),
  itemVariantId: g(),
  locationId: g(),
};
const documentLineDefaults = {
  itemId: EMPTY_GUID,
  accountId: EMPTY_GUID,
  lineType: 'Comment',
  lineObjectNumber: '',
  description: '',
  description2: '',
  unitOfMeasureId: EMPTY_GUID,
  unitOfMeasureCode: '',
  quantity: 0,
  discountAmount: 0,
  discountPercent: 0,
  discountAppliedBeforeTax: true,
  amountExcludingTax: 0,
  taxCode: '',
  taxPercent: 0,
  totalTaxAmount: 0,
  amountIncludingTax: 0,
  invoiceDiscountAllocation: 0,
  netAmount: 0,
  netTaxAmount: 0,
  netAmountIncludingTax: 0,
  expectedReceiptDate: '0001-01-01',
  itemVariantId: EMPTY_GUID,
  locationId: EMPTY_GUID,
};

const readOnlySet = { post: false, patch: false, delete: false };
const crud = { post: true, patch: true, delete: true };

/** A code/displayName setup table (currencies, payment terms, …) in the API v2.0 shape. */
function simpleSet(
  set: EntitySetName,
  type: string,
  table: string,
  extra: Record<string, FieldSpec>,
  extraDefaults: Record<string, unknown>,
  webhooks: boolean,
): EntityDef {
  return {
    set,
    type,
    key: 'id',
    table,
    fields: { id: g(true), code: s(10), displayName: s(100), ...extra, lastModifiedDateTime: dt(true) },
    defaults: { displayName: '', ...extraDefaults },
    // Writes are not emulated for these setup tables (BC allows them): answered 405.
    methods: readOnlySet,
    order: ['code'],
    nav: {},
    webhooks,
  };
}

/** All emulated entity sets. */
export const ENTITY_DEFS: Readonly<Record<EntitySetName, EntityDef>> = {
  companies: {
    set: 'companies',
    type: 'company',
    key: 'id',
    table: 'Company',
    fields: {
      id: g(true),
      systemVersion: s(undefined, true),
      timestamp: n(true),
      name: s(30, true),
      displayName: s(250, true),
      businessProfileId: s(250, true),
      systemCreatedAt: dt(true),
      systemCreatedBy: g(true),
      systemModifiedAt: dt(true),
      systemModifiedBy: g(true),
    },
    defaults: {},
    methods: readOnlySet,
    order: ['name'],
    nav: {
      vendors: { kind: 'children', set: 'vendors', foreignKey: '$company' },
      accounts: { kind: 'children', set: 'accounts', foreignKey: '$company' },
      dimensions: { kind: 'children', set: 'dimensions', foreignKey: '$company' },
      dimensionValues: { kind: 'children', set: 'dimensionValues', foreignKey: '$company' },
      purchaseInvoices: { kind: 'children', set: 'purchaseInvoices', foreignKey: '$company' },
      purchaseInvoiceLines: { kind: 'children', set: 'purchaseInvoiceLines', foreignKey: '$company' },
      purchaseOrders: { kind: 'children', set: 'purchaseOrders', foreignKey: '$company' },
      purchaseOrderLines: { kind: 'children', set: 'purchaseOrderLines', foreignKey: '$company' },
      currencies: { kind: 'children', set: 'currencies', foreignKey: '$company' },
      items: { kind: 'children', set: 'items', foreignKey: '$company' },
      taxGroups: { kind: 'children', set: 'taxGroups', foreignKey: '$company' },
      paymentTerms: { kind: 'children', set: 'paymentTerms', foreignKey: '$company' },
      paymentMethods: { kind: 'children', set: 'paymentMethods', foreignKey: '$company' },
      unitsOfMeasure: { kind: 'children', set: 'unitsOfMeasure', foreignKey: '$company' },
      attachments: { kind: 'children', set: 'attachments', foreignKey: '$company' },
    },
    webhooks: false,
  },
  vendors: {
    set: 'vendors',
    type: 'vendor',
    key: 'id',
    table: 'Vendor',
    fields: {
      id: g(true),
      number: s(20),
      displayName: s(100),
      addressLine1: s(100),
      addressLine2: s(50),
      city: s(30),
      state: s(30),
      country: s(10),
      postalCode: s(20),
      phoneNumber: s(30),
      email: s(80),
      website: s(80),
      taxRegistrationNumber: s(20),
      currencyId: g(),
      currencyCode: s(10),
      irs1099Code: s(10),
      paymentTermsId: g(),
      paymentMethodId: g(),
      taxLiable: b(),
      blocked: e(VENDOR_BLOCKED),
      balance: n(true),
      lastModifiedDateTime: dt(true),
    },
    defaults: {
      addressLine1: '',
      addressLine2: '',
      city: '',
      state: '',
      country: 'US',
      postalCode: '',
      phoneNumber: '',
      email: '',
      website: '',
      taxRegistrationNumber: '',
      currencyId: EMPTY_GUID,
      currencyCode: 'USD',
      irs1099Code: '',
      paymentTermsId: EMPTY_GUID,
      paymentMethodId: EMPTY_GUID,
      taxLiable: false,
      blocked: ' ',
      balance: 0,
    },
    methods: crud,
    order: ['number'],
    nav: {
      defaultDimensions: { kind: 'children', set: 'defaultDimensions', foreignKey: 'parentId' },
      currency: { kind: 'single', set: 'currencies', localField: 'currencyId' },
      paymentTerm: { kind: 'single', set: 'paymentTerms', localField: 'paymentTermsId' },
      paymentMethod: { kind: 'single', set: 'paymentMethods', localField: 'paymentMethodId' },
    },
    webhooks: true,
  },
  accounts: {
    set: 'accounts',
    type: 'account',
    key: 'id',
    table: 'G/L Account',
    fields: {
      id: g(true),
      number: s(20, true),
      displayName: s(100, true),
      category: e(['', 'Assets', 'Liabilities', 'Equity', 'Income', 'CostOfGoodsSold', 'Expense'], true),
      subCategory: s(80, true),
      blocked: b(true),
      accountType: e(['Posting', 'Heading', 'Total', 'Begin-Total', 'End-Total'], true),
      directPosting: b(true),
      netChange: n(true),
      consolidationTranslationMethod: s(30, true),
      consolidationDebitAccount: s(20, true),
      consolidationCreditAccount: s(20, true),
      excludeFromConsolidation: b(true),
      lastModifiedDateTime: dt(true),
    },
    defaults: {
      subCategory: '',
      blocked: false,
      accountType: 'Posting',
      directPosting: true,
      netChange: 0,
      consolidationTranslationMethod: 'Average Rate (Manual)',
      consolidationDebitAccount: '',
      consolidationCreditAccount: '',
      excludeFromConsolidation: false,
    },
    methods: readOnlySet,
    order: ['number'],
    nav: {},
    webhooks: true,
  },
  dimensions: {
    set: 'dimensions',
    type: 'dimension',
    key: 'id',
    table: 'Dimension',
    fields: { id: g(true), code: s(20, true), displayName: s(30, true), consolidationCode: s(20, true), lastModifiedDateTime: dt(true) },
    defaults: { consolidationCode: '' },
    methods: readOnlySet,
    order: ['code'],
    nav: { dimensionValues: { kind: 'children', set: 'dimensionValues', foreignKey: 'dimensionId' } },
    webhooks: true,
  },
  dimensionValues: {
    set: 'dimensionValues',
    type: 'dimensionValue',
    key: 'id',
    table: 'Dimension Value',
    fields: {
      id: g(true),
      code: s(20, true),
      dimensionId: g(true),
      displayName: s(50, true),
      consolidationCode: s(20, true),
      lastModifiedDateTime: dt(true),
    },
    defaults: { consolidationCode: '' },
    methods: readOnlySet,
    order: ['$dimensionCode', 'code'],
    nav: {},
    webhooks: false,
  },
  purchaseInvoices: {
    set: 'purchaseInvoices',
    type: 'purchaseInvoice',
    key: 'id',
    table: 'Purchase Header',
    fields: {
      ...documentHeaderFields,
      invoiceDate: d(),
      dueDate: d(),
      vendorInvoiceNumber: s(35),
      orderId: g(true),
      orderNumber: s(20, true),
      status: e(PURCHASE_INVOICE_STATUSES, true),
    },
    defaults: { ...documentHeaderDefaults, vendorInvoiceNumber: '', orderId: EMPTY_GUID, orderNumber: '' },
    methods: crud,
    order: ['number'],
    nav: {
      purchaseInvoiceLines: { kind: 'children', set: 'purchaseInvoiceLines', foreignKey: 'documentId' },
      dimensionSetLines: { kind: 'dimensionSetLines' },
      vendor: { kind: 'single', set: 'vendors', localField: 'vendorId' },
      currency: { kind: 'single', set: 'currencies', localField: 'currencyId' },
      attachments: { kind: 'attachments', parentType: 'Purchase Invoice', documentAttachments: false },
      documentAttachments: { kind: 'attachments', parentType: 'Purchase Invoice', documentAttachments: true },
      pdfDocument: { kind: 'pdfDocument' },
    },
    webhooks: true,
  },
  purchaseInvoiceLines: {
    set: 'purchaseInvoiceLines',
    type: 'purchaseInvoiceLine',
    key: 'id',
    table: 'Purchase Line',
    fields: { ...documentLineFields, unitCost: n() },
    defaults: { ...documentLineDefaults, unitCost: 0 },
    methods: crud,
    order: ['$documentNumber', 'sequence'],
    nav: {
      dimensionSetLines: { kind: 'dimensionSetLines' },
      account: { kind: 'single', set: 'accounts', localField: 'accountId' },
      item: { kind: 'single', set: 'items', localField: 'itemId' },
    },
    webhooks: false,
  },
  purchaseOrders: {
    set: 'purchaseOrders',
    type: 'purchaseOrder',
    key: 'id',
    table: 'Purchase Header',
    fields: {
      ...documentHeaderFields,
      orderDate: d(),
      requestedReceiptDate: d(),
      paymentTermsId: g(),
      shipmentMethodId: g(),
      fullyReceived: b(true),
      status: e(['Draft', 'In Review', 'Open'], true),
    },
    defaults: {
      ...documentHeaderDefaults,
      requestedReceiptDate: '0001-01-01',
      paymentTermsId: EMPTY_GUID,
      shipmentMethodId: EMPTY_GUID,
      fullyReceived: false,
    },
    methods: crud,
    order: ['number'],
    nav: {
      purchaseOrderLines: { kind: 'children', set: 'purchaseOrderLines', foreignKey: 'documentId' },
      dimensionSetLines: { kind: 'dimensionSetLines' },
      vendor: { kind: 'single', set: 'vendors', localField: 'vendorId' },
    },
    webhooks: false,
  },
  purchaseOrderLines: {
    set: 'purchaseOrderLines',
    type: 'purchaseOrderLine',
    key: 'id',
    table: 'Purchase Line',
    fields: {
      ...documentLineFields,
      directUnitCost: n(),
      receivedQuantity: n(true),
      invoicedQuantity: n(true),
      invoiceQuantity: n(),
      receiveQuantity: n(),
    },
    defaults: { ...documentLineDefaults, directUnitCost: 0, receivedQuantity: 0, invoicedQuantity: 0, invoiceQuantity: 0, receiveQuantity: 0 },
    methods: crud,
    order: ['$documentNumber', 'sequence'],
    nav: {
      dimensionSetLines: { kind: 'dimensionSetLines' },
      account: { kind: 'single', set: 'accounts', localField: 'accountId' },
    },
    webhooks: false,
  },
  currencies: simpleSet('currencies', 'currency', 'Currency', {
    symbol: s(10),
    amountDecimalPlaces: s(5),
    amountRoundingPrecision: n(),
  }, { symbol: '', amountDecimalPlaces: '2:2', amountRoundingPrecision: 0.01 }, true),
  paymentTerms: simpleSet('paymentTerms', 'paymentTerm', 'Payment Terms', {
    dueDateCalculation: s(32),
    discountDateCalculation: s(32),
    discountPercent: n(),
    calculateDiscountOnCreditMemos: b(),
  }, { dueDateCalculation: '', discountDateCalculation: '', discountPercent: 0, calculateDiscountOnCreditMemos: false }, true),
  paymentMethods: simpleSet('paymentMethods', 'paymentMethod', 'Payment Method', {}, {}, true),
  taxGroups: simpleSet('taxGroups', 'taxGroup', 'Tax Group', { taxType: e(['Sales Tax', 'VAT']) }, { taxType: 'Sales Tax' }, false),
  unitsOfMeasure: simpleSet('unitsOfMeasure', 'unitOfMeasure', 'Unit of Measure', {
    internationalStandardCode: s(10),
    symbol: s(10),
  }, { internationalStandardCode: '', symbol: '' }, true),
  items: {
    set: 'items',
    type: 'item',
    key: 'id',
    table: 'Item',
    fields: {
      id: g(true),
      number: s(20),
      displayName: s(100),
      displayName2: s(50),
      type: e(['Inventory', 'Service', 'Non-Inventory']),
      itemCategoryId: g(),
      itemCategoryCode: s(20),
      blocked: b(),
      gtin: s(14),
      inventory: n(true),
      unitPrice: n(),
      priceIncludesTax: b(),
      unitCost: n(),
      taxGroupId: g(),
      taxGroupCode: s(20),
      baseUnitOfMeasureId: g(),
      baseUnitOfMeasureCode: s(10),
      generalProductPostingGroupId: g(),
      generalProductPostingGroupCode: s(20),
      inventoryPostingGroupId: g(),
      inventoryPostingGroupCode: s(20),
      lastModifiedDateTime: dt(true),
    },
    defaults: {
      displayName2: '',
      type: 'Inventory',
      itemCategoryId: EMPTY_GUID,
      itemCategoryCode: '',
      blocked: false,
      gtin: '',
      inventory: 0,
      unitPrice: 0,
      priceIncludesTax: false,
      unitCost: 0,
      taxGroupId: EMPTY_GUID,
      taxGroupCode: '',
      baseUnitOfMeasureId: EMPTY_GUID,
      baseUnitOfMeasureCode: '',
      generalProductPostingGroupId: EMPTY_GUID,
      generalProductPostingGroupCode: '',
      inventoryPostingGroupId: EMPTY_GUID,
      inventoryPostingGroupCode: '',
    },
    // Item writes are not emulated (BC allows them): answered 405.
    methods: readOnlySet,
    order: ['number'],
    nav: {},
    webhooks: true,
  },
  defaultDimensions: {
    set: 'defaultDimensions',
    type: 'defaultDimension',
    key: 'id',
    table: 'Default Dimension',
    fields: {
      id: g(true),
      parentType: e(['Vendor', 'Item', 'Customer', 'Employee', 'G/L Account'], true),
      parentId: g(true),
      dimensionId: g(),
      dimensionCode: s(20),
      dimensionValueId: g(),
      dimensionValueCode: s(20),
      postingValidation: e([' ', 'Code Mandatory', 'Same Code', 'No Code']),
      lastModifiedDateTime: dt(true),
    },
    defaults: { parentType: 'Vendor', postingValidation: ' ' },
    methods: crud,
    order: ['parentId', 'dimensionCode'],
    nav: {},
    webhooks: false,
  },
  attachments: {
    set: 'attachments',
    type: 'attachment',
    key: 'id',
    table: 'Attachment Entity Buffer',
    fields: {
      id: g(true),
      parentId: g(),
      fileName: s(250),
      byteSize: { type: 'int', ro: true },
      lastModifiedDateTime: dt(true),
      parentType: e(['Journal', 'Sales Order', 'Sales Quote', 'Sales Credit Memo', 'Sales Invoice', 'Purchase Order', 'Purchase Credit Memo', 'Purchase Invoice']),
    },
    defaults: { byteSize: 0, fileName: '', parentType: 'Purchase Invoice' },
    methods: crud,
    order: ['parentId', 'lastModifiedDateTime'],
    nav: {},
    webhooks: false,
  },
  subscriptions: {
    set: 'subscriptions',
    type: 'subscription',
    key: 'subscriptionId',
    table: 'API Webhook Subscription',
    fields: {
      subscriptionId: s(150, true),
      notificationUrl: s(2048),
      resource: s(250),
      userId: g(true),
      lastModifiedDateTime: dt(true),
      clientState: s(2048),
      expirationDateTime: dt(true),
      systemCreatedAt: dt(true),
      systemCreatedBy: g(true),
      systemModifiedAt: dt(true),
      systemModifiedBy: g(true),
    },
    defaults: { clientState: '' },
    methods: crud,
    order: ['subscriptionId'],
    nav: {},
    webhooks: false,
  },
};

/** Fields of a `dimensionSetLine` (v2.0), embedded in documents and document lines. */
export const DIMENSION_SET_LINE_FIELDS: Readonly<Record<string, FieldSpec>> = {
  id: g(),
  code: s(20),
  parentId: g(true),
  parentType: s(undefined, true),
  displayName: s(30, true),
  valueId: g(),
  valueCode: s(20),
  valueDisplayName: s(50, true),
};

/** The all-zero GUID BC shows for empty GUID fields. */
export const EMPTY_GUID_VALUE = EMPTY_GUID;
