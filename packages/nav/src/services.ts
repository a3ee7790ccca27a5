import { InvalidInputError } from '@ml-connector/core';

/**
 * What a field holds, independent of the OData version. The metadata check maps each kind to the EDM types a
 * NAV page field of that kind is published as (see {@link edmTypesFor}).
 */
export type FieldKind = 'text' | 'code' | 'decimal' | 'integer' | 'boolean' | 'date' | 'datetime' | 'option';

/** One field the client reads or writes: its default published name and kind. */
export interface FieldDefinition {
  /** Field name as NAV publishes it by default (captions with spaces and dots become `_`, e.g. `Pay_to_Vendor_No`). */
  readonly name: string;
  /** What the field holds. */
  readonly kind: FieldKind;
  /** Part of the page's key, in key order. */
  readonly key?: boolean;
}

/** A published page the client uses: its default service name and the fields it needs. */
export interface ServiceDefinition {
  /** Default service name (entity set), as an administrator commonly publishes the standard page. UNCONFIRMED: configurable. */
  readonly entitySet: string;
  /** The standard page behind it, for error messages and the README. */
  readonly page: string;
  /** Logical field → definition. */
  readonly fields: Readonly<Record<string, FieldDefinition>>;
  /** Logical field holding the last-modified instant, for change polling. */
  readonly lastModified?: string;
  /**
   * Used only when the client's `services` option names it (e.g. `{ contacts: {} }`): most integrations do not need
   * the page, so an instance that does not publish it must not fail the `$metadata` check.
   */
  readonly optIn?: boolean;
}

const field =
  <K extends FieldKind>(kind: K) =>
  (name: string) =>
    ({ name, kind }) as const;
const code = field('code');
const text = field('text');
const decimal = field('decimal');
const date = field('date');
const option = field('option');
const bool = field('boolean');
const integer = field('integer');
/** Marks a field as part of the page's key. */
const key = <F extends { readonly name: string; readonly kind: FieldKind }>(definition: F) => ({ ...definition, key: true }) as const;

const documentLineFields = {
  documentType: key(option('Document_Type')),
  documentNumber: key(code('Document_No')),
  lineNumber: key(integer('Line_No')),
  type: option('Type'),
  number: code('No'),
  description: text('Description'),
  quantity: decimal('Quantity'),
  directUnitCost: decimal('Direct_Unit_Cost'),
  lineAmount: decimal('Line_Amount'),
  departmentCode: code('Shortcut_Dimension_1_Code'),
  projectCode: code('Shortcut_Dimension_2_Code'),
  // Shortcut dimensions 3–8: page controls `ShortcutDimCode[3]`… of the subform pages, published as `ShortcutDimCode3`…;
  // writing one validates it (ValidateShortcutDimCode) into the line's dimension set.
  shortcutDimension3Code: code('ShortcutDimCode3'),
  shortcutDimension4Code: code('ShortcutDimCode4'),
  shortcutDimension5Code: code('ShortcutDimCode5'),
  shortcutDimension6Code: code('ShortcutDimCode6'),
  shortcutDimension7Code: code('ShortcutDimCode7'),
  shortcutDimension8Code: code('ShortcutDimCode8'),
} as const satisfies Record<string, FieldDefinition>;

const documentHeaderFields = {
  documentType: key(option('Document_Type')),
  number: key(code('No')),
  vendorNumber: code('Buy_from_Vendor_No'),
  vendorName: text('Buy_from_Vendor_Name'),
  postingDate: date('Posting_Date'),
  documentDate: date('Document_Date'),
  dueDate: date('Due_Date'),
  paymentTermsCode: code('Payment_Terms_Code'),
  currencyCode: code('Currency_Code'),
  status: option('Status'),
  departmentCode: code('Shortcut_Dimension_1_Code'),
  projectCode: code('Shortcut_Dimension_2_Code'),
} as const satisfies Record<string, FieldDefinition>;

/**
 * The published pages this client uses, with default names. NAV publishes pages under names an administrator
 * chooses (Web Services page), so every entity set and field name here can be overridden per deployment.
 * Field names follow NAV's rule for OData names (non-alphanumerics → `_`). Defaults are the standard pages'
 * field names; the service names are common choices and UNCONFIRMED for any particular deployment.
 */
export const SERVICE_DEFINITIONS = Object.freeze({
  vendors: {
    entitySet: 'Vendor',
    page: 'Vendor Card (26)',
    fields: {
      number: key(code('No')),
      name: text('Name'),
      blocked: option('Blocked'),
      paymentTermsCode: code('Payment_Terms_Code'),
      payToVendorNumber: code('Pay_to_Vendor_No'),
      contact: text('Contact'),
      email: text('E_Mail'),
      phone: text('Phone_No'),
      currencyCode: code('Currency_Code'),
      primaryContactNumber: code('Primary_Contact_No'),
      lastModified: field('datetime')('Last_Modified_Date_Time'),
    },
    lastModified: 'lastModified',
  },
  contacts: {
    entitySet: 'Contact',
    page: 'Contact Card (5050)',
    optIn: true,
    fields: {
      number: key(code('No')),
      type: option('Type'),
      name: text('Name'),
      companyNumber: code('Company_No'),
      companyName: text('Company_Name'),
      email: text('E_Mail'),
      phone: text('Phone_No'),
      mobilePhone: text('Mobile_Phone_No'),
      lastModifiedDate: date('Last_Date_Modified'),
    },
    // NAV stamps contacts with a date only: `modifiedSince` compares by day.
    lastModified: 'lastModifiedDate',
  },
  contactBusinessRelations: {
    entitySet: 'ContactBusinessRelations',
    page: 'Contact Business Relations (5061)',
    optIn: true,
    fields: {
      contactNumber: key(code('Contact_No')),
      businessRelationCode: key(code('Business_Relation_Code')),
      linkToTable: option('Link_to_Table'),
      number: code('No'),
    },
  },
  paymentTerms: {
    entitySet: 'PaymentTerms',
    page: 'Payment Terms (4)',
    fields: { code: key(code('Code')), description: text('Description'), dueDateCalculation: text('Due_Date_Calculation') },
  },
  purchaseOrders: {
    entitySet: 'PurchaseOrder',
    page: 'Purchase Order (50)',
    fields: { ...documentHeaderFields, vendorOrderNumber: code('Vendor_Order_No') },
  },
  purchaseOrderLines: { entitySet: 'PurchaseOrderLines', page: 'Purchase Order Subform (54)', fields: documentLineFields },
  purchaseInvoices: {
    entitySet: 'PurchaseInvoice',
    page: 'Purchase Invoice (51)',
    fields: { ...documentHeaderFields, vendorInvoiceNumber: code('Vendor_Invoice_No') },
  },
  purchaseInvoiceLines: { entitySet: 'PurchaseInvoiceLines', page: 'Purch. Invoice Subform (55)', fields: documentLineFields },
  generalJournalLines: {
    entitySet: 'GeneralJournalLines',
    page: 'General Journal (39)',
    fields: {
      journalTemplateName: key(code('Journal_Template_Name')),
      journalBatchName: key(code('Journal_Batch_Name')),
      lineNumber: key(integer('Line_No')),
      postingDate: date('Posting_Date'),
      documentType: option('Document_Type'),
      documentNumber: code('Document_No'),
      externalDocumentNumber: code('External_Document_No'),
      accountType: option('Account_Type'),
      accountNumber: code('Account_No'),
      description: text('Description'),
      amount: decimal('Amount'),
      balAccountType: option('Bal_Account_Type'),
      balAccountNumber: code('Bal_Account_No'),
      departmentCode: code('Shortcut_Dimension_1_Code'),
      projectCode: code('Shortcut_Dimension_2_Code'),
    },
  },
  glAccounts: {
    entitySet: 'Chart_of_Accounts',
    page: 'Chart of Accounts (16)',
    fields: {
      number: key(code('No')),
      name: text('Name'),
      accountType: option('Account_Type'),
      incomeBalance: option('Income_Balance'),
      blocked: bool('Blocked'),
      directPosting: bool('Direct_Posting'),
    },
  },
  dimensions: {
    entitySet: 'Dimensions',
    page: 'Dimensions (536)',
    fields: { code: key(code('Code')), name: text('Name'), blocked: bool('Blocked') },
  },
  dimensionValues: {
    entitySet: 'DimensionValues',
    page: 'Dimension Values (537)',
    fields: { dimensionCode: key(code('Dimension_Code')), code: key(code('Code')), name: text('Name'), blocked: bool('Blocked') },
  },
} as const satisfies Record<string, ServiceDefinition>);

/** Name of one service the client uses. */
export type ServiceName = keyof typeof SERVICE_DEFINITIONS;
/** Logical field names of service `S`. */
export type ServiceField<S extends ServiceName> = keyof (typeof SERVICE_DEFINITIONS)[S]['fields'] & string;

/** Per-deployment override of one service: its published name and renamed or unpublished fields. */
export interface ServiceOverride<S extends ServiceName = ServiceName> {
  /** Published service (entity set) name, e.g. `MLVendors`. */
  entitySet?: string;
  /**
   * Published names of fields that differ from the default, e.g. `{ email: 'EMail' }`. `false` marks a field the
   * page does not publish: the client then never reads or writes it and the metadata check skips it. Key
   * fields cannot be unpublished.
   */
  fields?: { [F in ServiceField<S>]?: string | false };
}

/** Overrides for the services of one deployment; `false` disables a service (not checked, not usable). */
export type ServiceOverrides = { [S in ServiceName]?: ServiceOverride<S> | false };

/** One field as resolved for a deployment. */
export interface ResolvedField {
  /** Logical name (the property on records this client returns). */
  readonly logical: string;
  /** Published name. */
  readonly name: string;
  /** Kind. */
  readonly kind: FieldKind;
  /** Part of the key. */
  readonly key: boolean;
}

/** One service as resolved for a deployment. */
export interface ResolvedService {
  /** Logical service name, e.g. `vendors`. */
  readonly service: ServiceName;
  /** Published entity set name. */
  readonly entitySet: string;
  /** Standard page behind it. */
  readonly page: string;
  /** Fields the client uses (unpublished ones left out). */
  readonly fields: readonly ResolvedField[];
  /** Key fields in key order. */
  readonly keys: readonly ResolvedField[];
  /** Field holding the last-modified instant, when published. */
  readonly lastModified: ResolvedField | undefined;
  /** Finds a field by logical name. */
  field(logical: string): ResolvedField | undefined;
}

const NAME = /^[\p{L}_][\p{L}\p{N}_]*$/u;

function checkName(value: unknown, field: string): string {
  if (typeof value !== 'string' || !NAME.test(value)) {
    throw new InvalidInputError(
      `${field} must be an OData name (letters, digits and "_", not starting with a digit), as shown on NAV's Web Services page; got ${JSON.stringify(value)}`,
      { field },
    );
  }
  return value;
}

/** Applies overrides to {@link SERVICE_DEFINITIONS}, validating every name. Disabled services, and opt-in services the overrides do not name, are omitted. */
export function resolveServices(overrides: ServiceOverrides = {}): Map<ServiceName, ResolvedService> {
  if (typeof overrides !== 'object' || overrides === null) {
    throw new InvalidInputError('services must be an object of per-service overrides, e.g. { vendors: { entitySet: "MLVendors" } }', {
      field: 'services',
    });
  }
  for (const name of Object.keys(overrides)) {
    if (!(name in SERVICE_DEFINITIONS)) {
      throw new InvalidInputError(`services.${name} is not a service of this client; use one of ${Object.keys(SERVICE_DEFINITIONS).join(', ')}`, {
        field: `services.${name}`,
      });
    }
  }
  const resolved = new Map<ServiceName, ResolvedService>();
  for (const [service, definition] of Object.entries(SERVICE_DEFINITIONS) as [ServiceName, ServiceDefinition][]) {
    const override = overrides[service];
    if (override === false || (definition.optIn && override === undefined)) continue;
    const entitySet = checkName(override?.entitySet ?? definition.entitySet, `services.${service}.entitySet`);
    const fieldOverrides = (override?.fields ?? {}) as Record<string, string | false | undefined>;
    for (const logical of Object.keys(fieldOverrides)) {
      if (!(logical in definition.fields)) {
        throw new InvalidInputError(
          `services.${service}.fields.${logical} is not a field of ${service}; use one of ${Object.keys(definition.fields).join(', ')}`,
          { field: `services.${service}.fields.${logical}` },
        );
      }
    }
    const fields: ResolvedField[] = [];
    for (const [logical, field] of Object.entries(definition.fields)) {
      const published = fieldOverrides[logical];
      if (published === false) {
        if (field.key) {
          throw new InvalidInputError(`services.${service}.fields.${logical} is a key field and must be published`, {
            field: `services.${service}.fields.${logical}`,
          });
        }
        continue;
      }
      const name = checkName(published ?? field.name, `services.${service}.fields.${logical}`);
      fields.push({ logical, name, kind: field.kind, key: field.key === true });
    }
    const byLogical = new Map(fields.map((f) => [f.logical, f]));
    resolved.set(service, {
      service,
      entitySet,
      page: definition.page,
      fields,
      keys: fields.filter((f) => f.key),
      lastModified: definition.lastModified === undefined ? undefined : byLogical.get(definition.lastModified),
      field: (logical) => byLogical.get(logical),
    });
  }
  return resolved;
}
