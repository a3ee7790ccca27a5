import { InvalidInputError } from '@ml-connector/core';

/** Type of an emulated page field, before mapping to the EDM types of an OData version. */
export type NavFieldType = 'Code' | 'Text' | 'Decimal' | 'Integer' | 'Boolean' | 'Date' | 'DateTime' | 'Option';

/** One field of an emulated page. */
export interface NavFieldSpec {
  /** Field type. */
  readonly type: NavFieldType;
  /** Maximum length of Code/Text fields (NAV refuses longer values). */
  readonly length?: number;
  /** Option captions, the blank option first as `' '`. */
  readonly options?: readonly string[];
  /** Computed or system-maintained: ignored on writes (NAV FlowFields and non-editable page fields). */
  readonly readOnly?: boolean;
  /** Related table the value must exist in (NAV TableRelation), with the related key field. */
  readonly relation?: { readonly table: NavTableName; readonly field: string; readonly where?: Readonly<Record<string, unknown>> };
}

/** Tables of the emulated company. */
export type NavTableName =
  | 'Vendor'
  | 'PaymentTerms'
  | 'PurchaseHeader'
  | 'PurchaseLine'
  | 'GenJournalLine'
  | 'GenJournalBatch'
  | 'GLAccount'
  | 'Dimension'
  | 'DimensionValue'
  | 'Contact'
  | 'ContactBusinessRelation';

/** Pages the emulator can publish. */
export type NavPageId =
  | 'vendorCard'
  | 'paymentTerms'
  | 'purchaseOrder'
  | 'purchaseOrderSubform'
  | 'purchaseInvoice'
  | 'purchaseInvoiceSubform'
  | 'generalJournal'
  | 'chartOfAccounts'
  | 'dimensions'
  | 'dimensionValues'
  | 'contactCard'
  | 'contactBusinessRelations';

/** A page: the table it shows, a fixed filter (document type), its key and its fields. */
export interface NavPageSpec {
  /** Default service name. */
  readonly defaultName: string;
  /** Underlying table. */
  readonly table: NavTableName;
  /** Records of the table this page shows, e.g. `{ Document_Type: 'Order' }`; set on inserts. */
  readonly fixed?: Readonly<Record<string, unknown>>;
  /** Key fields in order. */
  readonly keys: readonly string[];
  /** Fields by name. */
  readonly fields: Readonly<Record<string, NavFieldSpec>>;
  /** Whether inserts, modifications and deletions are allowed through the page (UNCONFIRMED per deployment). */
  readonly insertAllowed: boolean;
  readonly modifyAllowed: boolean;
  readonly deleteAllowed: boolean;
}

const code = (length = 20, relation?: NavFieldSpec['relation']): NavFieldSpec => (relation ? { type: 'Code', length, relation } : { type: 'Code', length });
const text = (length = 100): NavFieldSpec => ({ type: 'Text', length });
const decimal: NavFieldSpec = { type: 'Decimal' };
const date: NavFieldSpec = { type: 'Date' };
const bool: NavFieldSpec = { type: 'Boolean' };
const option = (...options: string[]): NavFieldSpec => ({ type: 'Option', options });
const readOnly = (spec: NavFieldSpec): NavFieldSpec => ({ ...spec, readOnly: true });

const DEPARTMENT = { table: 'DimensionValue', field: 'Code', where: { Dimension_Code: 'DEPARTMENT' } } as const;
const PROJECT = { table: 'DimensionValue', field: 'Code', where: { Dimension_Code: 'PROJECT' } } as const;
const DOCUMENT_TYPES = ['Quote', 'Order', 'Invoice', 'Credit Memo', 'Blanket Order', 'Return Order'];
const LINE_TYPES = [' ', 'G/L Account', 'Item', 'Resource', 'Fixed Asset', 'Charge (Item)'];

const headerFields = (documentType: 'Order' | 'Invoice'): Record<string, NavFieldSpec> => ({
  Document_Type: readOnly(option(...DOCUMENT_TYPES)),
  No: code(20),
  Buy_from_Vendor_No: code(20, { table: 'Vendor', field: 'No' }),
  Buy_from_Vendor_Name: readOnly(text(100)),
  Posting_Date: date,
  Document_Date: date,
  Due_Date: date,
  Payment_Terms_Code: code(10, { table: 'PaymentTerms', field: 'Code' }),
  Currency_Code: code(10),
  Status: readOnly(option('Open', 'Released', 'Pending Approval', 'Pending Prepayment')),
  Shortcut_Dimension_1_Code: code(20, DEPARTMENT),
  Shortcut_Dimension_2_Code: code(20, PROJECT),
  Amount: readOnly(decimal),
  ...(documentType === 'Order' ? { Vendor_Order_No: code(35), Order_Date: date } : { Vendor_Invoice_No: code(35) }),
});

const lineFields: Record<string, NavFieldSpec> = {
  Document_Type: readOnly(option(...DOCUMENT_TYPES)),
  Document_No: code(20),
  Line_No: { type: 'Integer' },
  Type: option(...LINE_TYPES),
  No: code(20),
  Description: text(100),
  Quantity: decimal,
  Direct_Unit_Cost: decimal,
  Line_Amount: readOnly(decimal),
  Shortcut_Dimension_1_Code: code(20, DEPARTMENT),
  Shortcut_Dimension_2_Code: code(20, PROJECT),
  // Page variables of the subform (ShortcutDimCode[3..8]); checked against General Ledger Setup's shortcut dimensions.
  ShortcutDimCode3: code(20),
  ShortcutDimCode4: code(20),
  ShortcutDimCode5: code(20),
  ShortcutDimCode6: code(20),
  ShortcutDimCode7: code(20),
  ShortcutDimCode8: code(20),
};

/**
 * The emulated pages with the field names NAV gives the standard pages' controls in OData (captions with
 * spaces, dots and hyphens become `_`). Field sets are a subset of the real pages, enough for the client.
 */
export const NAV_PAGES: Readonly<Record<NavPageId, NavPageSpec>> = Object.freeze({
  vendorCard: {
    defaultName: 'Vendor',
    table: 'Vendor',
    keys: ['No'],
    fields: {
      No: code(20),
      Name: text(100),
      Address: text(100),
      City: text(30),
      Country_Region_Code: code(10),
      Blocked: option(' ', 'Ship', 'Invoice', 'All'),
      Payment_Terms_Code: code(10, { table: 'PaymentTerms', field: 'Code' }),
      Pay_to_Vendor_No: code(20, { table: 'Vendor', field: 'No' }),
      Contact: text(100),
      E_Mail: text(80),
      Phone_No: text(30),
      Currency_Code: code(10),
      Primary_Contact_No: code(20, { table: 'Contact', field: 'No' }),
      Balance_LCY: readOnly(decimal),
      Last_Date_Modified: readOnly(date),
      Last_Modified_Date_Time: readOnly({ type: 'DateTime' }),
    },
    insertAllowed: true,
    modifyAllowed: true,
    deleteAllowed: true,
  },
  paymentTerms: {
    defaultName: 'PaymentTerms',
    table: 'PaymentTerms',
    keys: ['Code'],
    fields: { Code: code(10), Description: text(100), Due_Date_Calculation: text(32) },
    insertAllowed: true,
    modifyAllowed: true,
    deleteAllowed: true,
  },
  purchaseOrder: {
    defaultName: 'PurchaseOrder',
    table: 'PurchaseHeader',
    fixed: { Document_Type: 'Order' },
    keys: ['Document_Type', 'No'],
    fields: headerFields('Order'),
    insertAllowed: true,
    modifyAllowed: true,
    deleteAllowed: true,
  },
  purchaseOrderSubform: {
    defaultName: 'PurchaseOrderLines',
    table: 'PurchaseLine',
    fixed: { Document_Type: 'Order' },
    keys: ['Document_Type', 'Document_No', 'Line_No'],
    fields: lineFields,
    insertAllowed: true,
    modifyAllowed: true,
    deleteAllowed: true,
  },
  purchaseInvoice: {
    defaultName: 'PurchaseInvoice',
    table: 'PurchaseHeader',
    fixed: { Document_Type: 'Invoice' },
    keys: ['Document_Type', 'No'],
    fields: headerFields('Invoice'),
    insertAllowed: true,
    modifyAllowed: true,
    deleteAllowed: true,
  },
  purchaseInvoiceSubform: {
    defaultName: 'PurchaseInvoiceLines',
    table: 'PurchaseLine',
    fixed: { Document_Type: 'Invoice' },
    keys: ['Document_Type', 'Document_No', 'Line_No'],
    fields: lineFields,
    insertAllowed: true,
    modifyAllowed: true,
    deleteAllowed: true,
  },
  generalJournal: {
    defaultName: 'GeneralJournalLines',
    table: 'GenJournalLine',
    keys: ['Journal_Template_Name', 'Journal_Batch_Name', 'Line_No'],
    fields: {
      Journal_Template_Name: code(10),
      Journal_Batch_Name: code(10),
      Line_No: { type: 'Integer' },
      Posting_Date: date,
      Document_Type: option(' ', 'Payment', 'Invoice', 'Credit Memo', 'Finance Charge Memo', 'Reminder', 'Refund'),
      Document_No: code(20),
      External_Document_No: code(35),
      Account_Type: option('G/L Account', 'Customer', 'Vendor', 'Bank Account', 'Fixed Asset', 'IC Partner', 'Employee'),
      Account_No: code(20),
      Description: text(100),
      Amount: decimal,
      Bal_Account_Type: option('G/L Account', 'Customer', 'Vendor', 'Bank Account', 'Fixed Asset', 'IC Partner', 'Employee'),
      Bal_Account_No: code(20),
      Shortcut_Dimension_1_Code: code(20, DEPARTMENT),
      Shortcut_Dimension_2_Code: code(20, PROJECT),
    },
    insertAllowed: true,
    modifyAllowed: true,
    deleteAllowed: true,
  },
  chartOfAccounts: {
    defaultName: 'Chart_of_Accounts',
    table: 'GLAccount',
    keys: ['No'],
    fields: {
      No: code(20),
      Name: text(100),
      Income_Balance: option('Income Statement', 'Balance Sheet'),
      Account_Type: option('Posting', 'Heading', 'Total', 'Begin-Total', 'End-Total'),
      Blocked: bool,
      Direct_Posting: bool,
      Balance: readOnly(decimal),
    },
    // The client treats accounts as read-only; the emulator refuses writes so a flow cannot create accounts.
    insertAllowed: false,
    modifyAllowed: false,
    deleteAllowed: false,
  },
  dimensions: {
    defaultName: 'Dimensions',
    table: 'Dimension',
    keys: ['Code'],
    fields: { Code: code(20), Name: text(30), Blocked: bool },
    insertAllowed: false,
    modifyAllowed: false,
    deleteAllowed: false,
  },
  contactCard: {
    defaultName: 'Contact',
    table: 'Contact',
    keys: ['No'],
    fields: {
      No: code(20),
      Type: option('Company', 'Person'),
      Name: text(100),
      Company_No: code(20, { table: 'Contact', field: 'No', where: { Type: 'Company' } }),
      Company_Name: readOnly(text(100)),
      E_Mail: text(80),
      Phone_No: text(30),
      Mobile_Phone_No: text(30),
      Last_Date_Modified: readOnly(date),
    },
    insertAllowed: true,
    modifyAllowed: true,
    deleteAllowed: false,
  },
  contactBusinessRelations: {
    defaultName: 'ContactBusinessRelations',
    table: 'ContactBusinessRelation',
    keys: ['Contact_No', 'Business_Relation_Code'],
    fields: {
      Contact_No: code(20),
      Business_Relation_Code: code(10),
      Link_to_Table: option(' ', 'Customer', 'Vendor', 'Bank Account', 'Employee'),
      No: code(20),
    },
    // Maintained by NAV when vendors are created (Marketing Setup); the emulator does not let clients write it.
    insertAllowed: false,
    modifyAllowed: false,
    deleteAllowed: false,
  },
  dimensionValues: {
    defaultName: 'DimensionValues',
    table: 'DimensionValue',
    keys: ['Dimension_Code', 'Code'],
    fields: { Dimension_Code: code(20), Code: code(20), Name: text(50), Blocked: bool },
    insertAllowed: false,
    modifyAllowed: false,
    deleteAllowed: false,
  },
});

/** How one page is published on the emulated instance: under another name, with renamed, dropped or retyped fields. */
export interface NavPagePublication {
  /** Service name. Default the page's default name. */
  name?: string;
  /** Published names of renamed fields: standard name → published name (the record keeps the standard field). */
  renameFields?: Readonly<Record<string, string>>;
  /** Fields left off the page (not in `$metadata`, not in payloads). */
  omitFields?: readonly string[];
  /** EDM type overrides in `$metadata`, e.g. `{ Blocked: 'Edm.Boolean' }`, to exercise type checks. */
  fieldTypes?: Readonly<Record<string, string>>;
}

/** Publication of every page: `false` leaves a page unpublished. */
export type NavPublications = Partial<Record<NavPageId, NavPagePublication | false>>;

/** One page as published: the names and types the OData endpoints serve. */
export interface PublishedPage {
  /** Page id. */
  readonly id: NavPageId;
  /** Service (entity set) name. */
  readonly name: string;
  /** Page spec. */
  readonly spec: NavPageSpec;
  /** Published field name → standard field name, in page order. */
  readonly fields: ReadonlyMap<string, string>;
  /** Standard field name → published field name. */
  readonly published: ReadonlyMap<string, string>;
  /** Published key field names. */
  readonly keys: readonly string[];
  /** EDM type overrides by standard field name. */
  readonly typeOverrides: Readonly<Record<string, string>>;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Resolves the publication settings into published pages, validating names. */
export function publishPages(publications: NavPublications = {}): Map<string, PublishedPage> {
  const pages = new Map<string, PublishedPage>();
  for (const [id, spec] of Object.entries(NAV_PAGES) as [NavPageId, NavPageSpec][]) {
    const publication = publications[id];
    if (publication === false) continue;
    const name = publication?.name ?? spec.defaultName;
    if (!NAME.test(name)) throw new InvalidInputError(`pages.${id}.name must be an OData name, got ${JSON.stringify(name)}`, { field: `pages.${id}.name` });
    if (pages.has(name)) throw new InvalidInputError(`two pages are published as ${name}; service names must be unique`, { field: `pages.${id}.name` });
    const omit = new Set(publication?.omitFields ?? []);
    for (const field of [...omit, ...Object.keys(publication?.renameFields ?? {}), ...Object.keys(publication?.fieldTypes ?? {})]) {
      if (!(field in spec.fields)) throw new InvalidInputError(`pages.${id}: ${field} is not a field of the page`, { field: `pages.${id}` });
      if (omit.has(field) && spec.keys.includes(field)) throw new InvalidInputError(`pages.${id}: key field ${field} cannot be omitted`, { field: `pages.${id}` });
    }
    const fields = new Map<string, string>();
    const published = new Map<string, string>();
    for (const field of Object.keys(spec.fields)) {
      if (omit.has(field)) continue;
      const publishedName = publication?.renameFields?.[field] ?? field;
      if (!NAME.test(publishedName)) throw new InvalidInputError(`pages.${id}.renameFields.${field} must be an OData name`, { field: `pages.${id}` });
      fields.set(publishedName, field);
      published.set(field, publishedName);
    }
    pages.set(name, {
      id,
      name,
      spec,
      fields,
      published,
      keys: spec.keys.map((k) => published.get(k) as string),
      typeOverrides: publication?.fieldTypes ?? {},
    });
  }
  return pages;
}

/** EDM type of a field type in an OData version. */
export function edmType(type: NavFieldType, version: 'v4' | 'v3'): string {
  switch (type) {
    case 'Code':
    case 'Text':
    case 'Option':
      return 'Edm.String';
    case 'Decimal':
      return 'Edm.Decimal';
    case 'Integer':
      return 'Edm.Int32';
    case 'Boolean':
      return 'Edm.Boolean';
    case 'Date':
      return version === 'v4' ? 'Edm.Date' : 'Edm.DateTime';
    case 'DateTime':
      return version === 'v4' ? 'Edm.DateTimeOffset' : 'Edm.DateTime';
  }
}

const xmlEscape = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('"', '&quot;');

/** Generates the CSDL `$metadata` document of the published pages for one OData version. */
export function generateMetadata(pages: Iterable<PublishedPage>, version: 'v4' | 'v3'): string {
  const types: string[] = [];
  const sets: string[] = [];
  for (const page of pages) {
    const properties = [...page.fields].map(([publishedName, field]) => {
      const spec = page.spec.fields[field] as NavFieldSpec;
      const type = page.typeOverrides[field] ?? edmType(spec.type, version);
      const nullable = page.spec.keys.includes(field) ? ' Nullable="false"' : '';
      const maxLength = spec.length !== undefined && type === 'Edm.String' ? ` MaxLength="${spec.length}"` : '';
      return `<Property Name="${xmlEscape(publishedName)}" Type="${xmlEscape(type)}"${nullable}${maxLength} />`;
    });
    const keys = page.keys.map((k) => `<PropertyRef Name="${xmlEscape(k)}" />`).join('');
    types.push(`<EntityType Name="${xmlEscape(page.name)}"><Key>${keys}</Key>${properties.join('')}</EntityType>`);
    sets.push(`<EntitySet Name="${xmlEscape(page.name)}" EntityType="NAV.${xmlEscape(page.name)}" />`);
  }
  if (version === 'v4') {
    return (
      '<?xml version="1.0" encoding="utf-8"?>' +
      '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>' +
      '<Schema Namespace="NAV" xmlns="http://docs.oasis-open.org/odata/ns/edm">' +
      types.join('') +
      `<EntityContainer Name="NAV">${sets.join('')}</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>`
    );
  }
  return (
    '<?xml version="1.0" encoding="utf-8" standalone="yes"?>' +
    '<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx">' +
    '<edmx:DataServices m:DataServiceVersion="3.0" m:MaxDataServiceVersion="3.0" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">' +
    '<Schema Namespace="NAV" xmlns="http://schemas.microsoft.com/ado/2009/11/edm">' +
    types.join('') +
    `<EntityContainer Name="NAV" m:IsDefaultEntityContainer="true">${sets.join('')}</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>`
  );
}
