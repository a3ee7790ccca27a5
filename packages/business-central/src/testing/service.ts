/**
 * Business rules of the emulated entities: body validation (unknown, read-only and mistyped fields), vendor
 * resolution, G/L account validation of document lines, line and header amounts, deep insert, dimension set
 * lines, the `Microsoft.NAV.post` action and serialisation.
 */
import { randomUUID } from 'node:crypto';
import { BC_ERROR_CODES, BcEmulatorError, bcErrors } from './errors.js';
import {
  DIMENSION_SET_LINE_FIELDS,
  EMPTY_GUID_VALUE,
  decodeEnumMember,
  encodeEnumMember,
  ENTITY_DEFS,
  type EntityDef,
  type EntitySetName,
  type FieldSpec,
} from './model.js';
import type { DimensionSetLineRecord, EntityRecord } from './seed.js';
import { type BusinessCentralStore, dimsOf, etagOf, round2 } from './store.js';

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY = 86_400_000;
/**
 * Codes of global dimensions 1 and 2 (General Ledger Setup), behind the headers' `shortcutDimension1Code` and
 * `shortcutDimension2Code`: DEPARTMENT and PROJECT, as in the CRONUS demo company.
 */
export const GLOBAL_DIMENSION_CODES: readonly [string, string] = ['DEPARTMENT', 'PROJECT'];
/** The seeded company's local currency: BC stores it as a blank code and the API shows it as `USD`. */
const LOCAL_CURRENCY = 'USD';

/**
 * Error texts of the API v2.0 pages and the purchase invoice aggregator, verbatim from microsoft/BCApps
 * (`src/Apps/W1/APIV2/app/src/pages/APIV2PurchaseInvoices.Page.al`, `APIV2PurchaseInvoiceLines.Page.al`,
 * `APIV2DimensionSetLines.Page.al`, `src/Layers/W1/BaseApp/Integration/Entity/PurchInvAggregator.Codeunit.al`,
 * commit c3414ede). AL `Error()` surfaces as 400 `Application_DialogException`.
 */
export const AL_MESSAGES = Object.freeze({
  vendorNotProvided: 'A "vendorNumber" or a "vendorID" must be provided.',
  vendorNotFound: 'The vendor cannot be found.',
  currencyValuesDontMatch: 'The currency values do not match to a specific Currency.',
  currencyIdUnknown: 'The "currencyId" does not match to a Currency.',
  currencyCodeUnknown: 'The "currencyCode" does not match to a Currency.',
  draftOnlyAction: 'The action can be applied to a draft invoice only.',
  postedInvoiceReadOnly: 'The invoice has been posted and can no longer be modified.',
  duplicateSequence: 'You cannot insert a line with a duplicate sequence number.',
  linesNeedParent: 'You must specify an Id or a Document Id to get the lines.',
  documentIdChanged: 'The value for "documentId" cannot be modified.',
  sequenceChanged: 'The value for sequence cannot be modified. Delete and insert the line again.',
  itemAndAccount: 'Both "itemId" and "accountId" are specified. Specify only one of them.',
  itemUnknown: 'Item does not exist.',
  accountUnknown: 'Account does not exist.',
  lineObjectNumberChanged: 'The value for "lineObjectNumber" cannot be modified.',
  dimensionSetLineExists: 'The dimension set line already exists. Check existing dimension set lines and the default dimension set lines on the parent.',
  dimensionIdOrCode: 'The "id" or "code" field must be filled in.',
  dimensionValueIdOrCode: 'The "valueId" or "valueCode" field must be filled in.',
  dimensionIdAndCodeReadOnly: 'The "id" and "code" fields cannot be modified.',
  dimensionFieldsDontMatch: 'The dimension field values do not match to a specific Dimension.',
  dimensionIdUnknown: 'The "id" does not match to a Dimension.',
  dimensionCodeUnknown: 'The "code" does not match to a Dimension.',
  dimensionValueIdUnknown: 'The "valueId" does not match to a Dimension Value.',
  dimensionValueCodeUnknown: 'The "valueCode" does not match to a Dimension Value.',
  documentNotFound: 'No document with the specified ID exists.',
});

type DocumentSet = 'purchaseInvoices' | 'purchaseOrders';
type LineSet = 'purchaseInvoiceLines' | 'purchaseOrderLines';
const LINES_OF: Record<DocumentSet, LineSet> = { purchaseInvoices: 'purchaseInvoiceLines', purchaseOrders: 'purchaseOrderLines' };
const HEADER_OF: Record<LineSet, DocumentSet> = { purchaseInvoiceLines: 'purchaseInvoices', purchaseOrderLines: 'purchaseOrders' };
const PARENT_TYPE: Record<string, string> = {
  purchaseInvoices: 'Purchase Invoice',
  purchaseInvoiceLines: 'Purchase Invoice Line',
  purchaseOrders: 'Purchase Order',
  purchaseOrderLines: 'Purchase Order Line',
};

function typeDefault(spec: FieldSpec): unknown {
  switch (spec.type) {
    case 'guid':
      return EMPTY_GUID_VALUE;
    case 'number':
    case 'int':
      return 0;
    case 'boolean':
      return false;
    case 'date':
      return '0001-01-01';
    case 'datetime':
      return '0001-01-01T00:00:00Z';
    default:
      return '';
  }
}

/** Validates one incoming value against its field spec; returns the value to store. */
function checkValue(def: { type: string }, name: string, spec: FieldSpec, value: unknown): unknown {
  const mismatch = () => bcErrors.badRequest(`Cannot convert a primitive value to the expected type '${edm(spec)}' for property '${name}'`);
  if (value === null) {
    if (spec.type === 'string') return '';
    throw bcErrors.badRequest(`A null value was found for the property named '${name}', which has the expected type '${edm(spec)}[Nullable=False]'. The expected type '${edm(spec)}[Nullable=False]' does not allow null values`);
  }
  switch (spec.type) {
    case 'string': {
      if (typeof value !== 'string') throw mismatch();
      // Option fields accept the encoded member name (`In_x0020_Review`) as well as the caption form.
      if (spec.values) value = decodeEnumMember(value);
      if (spec.values && !spec.values.includes(value as string)) {
        // Shape from BCDOCS use-odata-batch.md (code "Unknown" for an invalid option value).
        throw new BcEmulatorError(400, 'Unknown', `'${value}' is not an option. The existing options are: ${spec.values.join(',')}`);
      }
      if (spec.max !== undefined && (value as string).length > spec.max) {
        throw new BcEmulatorError(
          400,
          'Application_StringExceededLength',
          `The length of the string is ${(value as string).length}, but it must be less than or equal to ${spec.max} characters. Value: ${value as string}`,
        );
      }
      return value;
    }
    case 'guid':
      if (typeof value !== 'string') throw mismatch();
      if (!GUID.test(value)) throw bcErrors.invalidGuid();
      return value.toLowerCase();
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw mismatch();
      return value;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw mismatch();
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw mismatch();
      return value;
    case 'date':
      if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(value))) {
        throw bcErrors.badRequest(`Unable to convert value to Date for property '${name}' of type 'Microsoft.NAV.${def.type}'`);
      }
      return value;
    case 'datetime':
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw mismatch();
      return value;
  }
}

function edm(spec: FieldSpec): string {
  return { string: 'Edm.String', guid: 'Edm.Guid', number: 'Edm.Decimal', int: 'Edm.Int32', boolean: 'Edm.Boolean', date: 'Edm.Date', datetime: 'Edm.DateTimeOffset' }[spec.type];
}

/**
 * Validates a POST/PATCH body: `@odata.*` annotations are ignored, navigation properties are returned
 * separately (deep insert), unknown properties → 400 `BadRequest`, read-only ones → 400
 * `BadRequest_InvalidOperation`, mistyped ones → BC's conversion errors.
 */
export function validateBody(
  target: { type: string; fields: Readonly<Record<string, FieldSpec>>; nav?: Readonly<Record<string, unknown>> },
  body: unknown,
  deepInsert: readonly string[] = [],
): { values: Record<string, unknown>; nested: Record<string, unknown> } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw bcErrors.badRequest('Invalid Request Body');
  const values: Record<string, unknown> = {};
  const nested: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (name.startsWith('@odata.') || name.includes('@odata.')) continue;
    if (deepInsert.includes(name)) {
      nested[name] = value;
      continue;
    }
    const spec = target.fields[name];
    if (!spec) {
      if (target.nav && name in target.nav) throw bcErrors.badRequest(`Deep update of the navigation property '${name}' is not supported; change '${name}' through its own endpoint`);
      throw bcErrors.badRequest(`The property '${name}' does not exist on type 'Microsoft.NAV.${target.type}'. Make sure to only use property names that are defined by the type`);
    }
    if (spec.ro) throw bcErrors.readOnlyField(name);
    values[name] = checkValue(target, name, spec, value);
  }
  return { values, nested };
}

/** Domain operations over a {@link BusinessCentralStore}. */
export class BusinessCentralService {
  constructor(
    readonly store: BusinessCentralStore,
    private readonly now: () => number,
  ) {}

  private today(): string {
    return new Date(this.now()).toISOString().slice(0, 10);
  }

  /** Field value as the API shows it (stored value, default, or derived). */
  valueOf(def: EntityDef, record: EntityRecord, field: string): unknown {
    if (field === 'shortcutDimension1Code' || field === 'shortcutDimension2Code') {
      const code = GLOBAL_DIMENSION_CODES[field === 'shortcutDimension1Code' ? 0 : 1];
      return dimsOf(record).find((d) => d.code === code)?.valueCode ?? '';
    }
    const spec = def.fields[field];
    const raw = record[field] !== undefined ? record[field] : field in def.defaults ? def.defaults[field] : spec ? typeDefault(spec) : undefined;
    // API v2.0 serialises option values as encoded enum member names (`In_x0020_Review`).
    return spec?.values && typeof raw === 'string' ? encodeEnumMember(raw) : raw;
  }

  /** API representation of a record (with `@odata.etag`, without `$` internals), optionally `$select`ed. */
  serialize(def: EntityDef, record: EntityRecord, select?: readonly string[]): Record<string, unknown> {
    const out: Record<string, unknown> = { '@odata.etag': etagOf(record) };
    const all = !select || select.includes('*');
    for (const field of Object.keys(def.fields)) {
      if (all || select.includes(field)) out[field] = this.valueOf(def, record, field);
    }
    return out;
  }

  /** Dimension set lines of a document or line, in API shape. */
  dimensionSetLines(ownerSet: EntitySetName, owner: EntityRecord): Record<string, unknown>[] {
    return dimsOf(owner).map((line) => this.serializeDimensionSetLine(ownerSet, owner, line));
  }

  /** API shape of one dimension set line. */
  serializeDimensionSetLine(ownerSet: EntitySetName, owner: EntityRecord, line: DimensionSetLineRecord): Record<string, unknown> {
    const dimension = this.store.get('dimensions', line.id);
    const value = this.store.get('dimensionValues', line.valueId);
    return {
      '@odata.etag': etagOf(owner),
      id: line.id,
      code: line.code,
      parentId: owner.id,
      parentType: encodeEnumMember(PARENT_TYPE[ownerSet] ?? ''),
      displayName: dimension?.displayName ?? '',
      valueId: line.valueId,
      valueCode: line.valueCode,
      valueDisplayName: value?.displayName ?? '',
    };
  }

  // ----------------------------------------------------------------------------------------- create

  /** Creates an entity (with deep insert for documents). `parent` is the header for nested line POSTs. */
  create(set: EntitySetName, companyId: string, body: unknown, parent?: EntityRecord): EntityRecord {
    const def = ENTITY_DEFS[set];
    if (!def.methods.post) throw bcErrors.methodNotAllowed('POST', set);
    return this.store.atomically(() => {
      switch (set) {
        case 'vendors':
          return this.createVendor(companyId, body);
        case 'purchaseInvoices':
        case 'purchaseOrders':
          return this.createDocument(set, companyId, body);
        case 'purchaseInvoiceLines':
        case 'purchaseOrderLines':
          return this.createLine(set, companyId, body, parent);
        case 'defaultDimensions':
          return this.createDefaultDimension(companyId, body, parent);
        case 'attachments':
          return this.createAttachment(companyId, body, parent);
        default:
          throw bcErrors.methodNotAllowed('POST', set);
      }
    });
  }

  private createVendor(companyId: string, body: unknown): EntityRecord {
    const { values } = validateBody(ENTITY_DEFS.vendors, body);
    if (!values.number) {
      do values.number = `V${String(++this.store.counters.vendor).padStart(5, '0')}`;
      while (this.findBy('vendors', companyId, 'number', values.number));
    }
    if (this.findBy('vendors', companyId, 'number', values.number)) {
      throw new BcEmulatorError(400, BC_ERROR_CODES.duplicateKey, `The Vendor already exists. Identification fields and values: No.='${values.number as string}'`);
    }
    return this.store.insert('vendors', { id: randomUUID(), ...values, $company: companyId });
  }

  /** POST `vendors({id})/defaultDimensions`: one default value per dimension and parent. */
  private createDefaultDimension(companyId: string, body: unknown, parent: EntityRecord | undefined): EntityRecord {
    // APIV2DefaultDimensions.Page.al: ParentNotSpecifiedErr.
    if (!parent) throw bcErrors.dialog('You must get to the parent first to get to the default dimensions.');
    const { values } = validateBody(ENTITY_DEFS.defaultDimensions, body);
    const [line] = this.buildDims(companyId, [
      {
        ...(values.dimensionId ? { id: values.dimensionId } : {}),
        ...(values.dimensionCode ? { code: values.dimensionCode } : {}),
        ...(values.dimensionValueId ? { valueId: values.dimensionValueId } : {}),
        ...(values.dimensionValueCode ? { valueCode: values.dimensionValueCode } : {}),
      },
    ], []);
    const dim = line as DimensionSetLineRecord;
    for (const row of this.store.tables.defaultDimensions.values()) {
      if (row.parentId === parent.id && row.dimensionId === dim.id) {
        throw new BcEmulatorError(400, BC_ERROR_CODES.duplicateKey, `The Default Dimension already exists. Identification fields and values: Table ID='23',No.='${parent.number as string}',Dimension Code='${dim.code}'`);
      }
    }
    return this.store.insert('defaultDimensions', {
      id: randomUUID(),
      parentType: 'Vendor',
      parentId: parent.id,
      dimensionId: dim.id,
      dimensionCode: dim.code,
      dimensionValueId: dim.valueId,
      dimensionValueCode: dim.valueCode,
      ...(values.postingValidation !== undefined ? { postingValidation: values.postingValidation } : {}),
      $company: companyId,
    });
  }

  /**
   * POST `purchaseInvoices({id})/attachments` (or `documentAttachments`): metadata first (`fileName`), content
   * afterwards with PATCH `…/attachmentContent`. Attachments of posted invoices are allowed, as in BC.
   */
  private createAttachment(companyId: string, body: unknown, parent: EntityRecord | undefined): EntityRecord {
    const { values } = validateBody(ENTITY_DEFS.attachments, body);
    const parentId = (parent?.id as string | undefined) ?? (values.parentId as string | undefined);
    if (!parentId) throw bcErrors.dialog('You must specify a parentId in the request body.');
    if (parent && values.parentId !== undefined && values.parentId !== parent.id) {
      throw bcErrors.dialog(`You have specified conflicting identifiers: ${values.parentId as string} and ${parent.id as string}.`);
    }
    if (!parent) {
      const invoice = this.store.get('purchaseInvoices', parentId);
      if (!invoice || invoice.$company !== companyId) throw bcErrors.dialog(AL_MESSAGES.documentNotFound);
    }
    return this.store.insert('attachments', {
      id: randomUUID(),
      ...values,
      parentId,
      parentType: 'Purchase Invoice',
      byteSize: 0,
      $company: companyId,
      $content: new Uint8Array(0),
    });
  }

  /** PATCH `…/attachments({id})/attachmentContent`: stores the bytes and updates `byteSize`. */
  setAttachmentContent(attachment: EntityRecord, content: Uint8Array): EntityRecord {
    return this.store.update('attachments', attachment.id as string, { $content: content, byteSize: content.byteLength });
  }

  private findBy(set: EntitySetName, companyId: string, field: string, value: unknown): EntityRecord | undefined {
    for (const record of this.store.tables[set].values()) {
      if (record.$company === companyId && record[field] === value) return record;
    }
    return undefined;
  }

  /** Resolves `vendorId`/`vendorNumber` (either, or both if consistent) to a vendor of the company. */
  private resolveVendor(companyId: string, values: Record<string, unknown>, required: boolean): EntityRecord | undefined {
    const id = values.vendorId as string | undefined;
    const number = values.vendorNumber as string | undefined;
    if (!id && !number) {
      if (required) throw bcErrors.dialog(AL_MESSAGES.vendorNotProvided);
      return undefined;
    }
    let vendor: EntityRecord | undefined;
    if (id) {
      vendor = this.store.get('vendors', id);
      if (!vendor || vendor.$company !== companyId) throw bcErrors.dialog(AL_MESSAGES.vendorNotFound);
      // The page ignores vendorNumber once vendorId found the vendor (OnValidate exits early).
    } else {
      vendor = this.findBy('vendors', companyId, 'number', number);
      if (!vendor) throw bcErrors.dialog(AL_MESSAGES.vendorNotFound);
    }
    if (vendor.blocked === 'All') {
      throw bcErrors.dialog(`You cannot create this type of document when Vendor ${vendor.number as string} is blocked with type All`);
    }
    return vendor;
  }

  private vendorFields(vendor: EntityRecord, values: Record<string, unknown>): Record<string, unknown> {
    return {
      vendorId: vendor.id,
      vendorNumber: vendor.number,
      vendorName: vendor.displayName,
      payToVendorId: vendor.id,
      payToVendorNumber: vendor.number,
      payToName: vendor.displayName,
      buyFromAddressLine1: values.buyFromAddressLine1 ?? vendor.addressLine1 ?? '',
      buyFromCity: values.buyFromCity ?? vendor.city ?? '',
      buyFromState: values.buyFromState ?? vendor.state ?? '',
      buyFromPostCode: values.buyFromPostCode ?? vendor.postalCode ?? '',
      buyFromCountry: values.buyFromCountry ?? vendor.country ?? 'US',
    };
  }

  private createDocument(set: DocumentSet, companyId: string, body: unknown): EntityRecord {
    const def = ENTITY_DEFS[set];
    const lineSet = LINES_OF[set];
    const { values, nested } = validateBody(def, body, [lineSet, 'dimensionSetLines']);
    const vendor = this.resolveVendor(companyId, values, true) as EntityRecord;
    const today = this.today();
    const shortcut = this.takeShortcuts(values);
    const record: EntityRecord = { id: randomUUID(), ...values, ...this.vendorFields(vendor, values), $company: companyId };
    Object.assign(record, this.resolveCurrency(companyId, values, vendor));
    if (set === 'purchaseInvoices') {
      record.number = `PI-${String(++this.store.counters.draftInvoice).padStart(6, '0')}`;
      record.invoiceDate ??= today;
      record.postingDate ??= record.invoiceDate;
      // Payment terms are not emulated: due date = invoice date + 30 days (CRONUS default "1M(8D)" differs).
      record.dueDate ??= new Date(Date.parse(`${record.invoiceDate as string}T00:00:00Z`) + 30 * DAY).toISOString().slice(0, 10);
      record.status = 'Draft';
    } else {
      record.number = `PO-${String(++this.store.counters.order).padStart(5, '0')}`;
      record.orderDate ??= today;
      record.postingDate ??= record.orderDate;
      record.status = 'Draft';
    }
    // The vendor's default dimensions are copied first (as BC does), so a deep-inserted line for the same
    // dimension collides exactly like a second POST would. The shortcut dimension fields are validated after the
    // vendor (page field order), so they override or clear (`''`) what the vendor brought, before any line exists.
    const withDefaults = this.applyShortcuts(companyId, shortcut, this.vendorDefaultDims(vendor));
    record.$dims = this.buildDims(companyId, this.arrayOf(nested.dimensionSetLines, 'dimensionSetLines'), withDefaults, 'insert');
    const header = this.store.insert(set, record);
    const lines = this.arrayOf(nested[lineSet], lineSet);
    for (const line of lines) this.createLine(lineSet, companyId, line, header, false);
    if (lines.length > 0) this.store.recomputeTotals(set, header.id as string);
    return this.store.get(set, header.id as string) as EntityRecord;
  }

  private arrayOf(value: unknown, name: string): unknown[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) throw bcErrors.badRequest(`The navigation property '${name}' must be a JSON array`);
    return value;
  }

  private takeShortcuts(values: Record<string, unknown>): { d1?: string; d2?: string } {
    const out: { d1?: string; d2?: string } = {};
    if (typeof values.shortcutDimension1Code === 'string') out.d1 = values.shortcutDimension1Code;
    if (typeof values.shortcutDimension2Code === 'string') out.d2 = values.shortcutDimension2Code;
    delete values.shortcutDimension1Code;
    delete values.shortcutDimension2Code;
    return out;
  }

  /**
   * Applies `shortcutDimension1Code`/`2Code` of a header body to its dimension set, as `Purchase Header`
   * `ValidateShortcutDimCode` → `DimensionManagement.ValidateShortcutDimValues` does (microsoft/BCApps
   * `src/Layers/W1/BaseApp/Finance/Dimension/DimensionManagement.Codeunit.al`, commit c3414ede): a value replaces
   * the global dimension's entry, `''` removes it, an unknown value is refused with `Text003` after BC's
   * prefix match (`IT` finds the first value starting with `IT` when no value is exactly `IT`). Global dimensions 1
   * and 2 are DEPARTMENT and PROJECT in the seed ({@link GLOBAL_DIMENSION_CODES}). The aggregator validates a field
   * only when the sent value differs from the record's (`PurchInvAggregator.TransferFieldsWithValidate`), so the
   * same value changes nothing. Returns `dims` itself when nothing changed.
   */
  private applyShortcuts(companyId: string, shortcut: { d1?: string; d2?: string }, dims: readonly DimensionSetLineRecord[]): DimensionSetLineRecord[] {
    let result = dims as DimensionSetLineRecord[];
    for (const [index, sent] of [shortcut.d1, shortcut.d2].entries()) {
      if (sent === undefined) continue;
      const code = GLOBAL_DIMENSION_CODES[index] as string;
      const current = result.find((d) => d.code === code);
      if ((current?.valueCode ?? '') === sent) continue;
      if (sent === '') {
        result = result.filter((d) => d.code !== code);
        continue;
      }
      const dimension = this.findBy('dimensions', companyId, 'code', code);
      const values = [...this.store.tables.dimensionValues.values()].filter((v) => v.dimensionId === dimension?.id).sort((a, b) => String(a.code).localeCompare(String(b.code)));
      const value = values.find((v) => v.code === sent) ?? values.find((v) => String(v.code).startsWith(sent));
      // DimensionManagement Text003: '%1 is not an available %2 for that dimension.'
      if (!dimension || !value) throw bcErrors.dialog(`${sent} is not an available Code for that dimension.`);
      if ((current?.valueCode ?? '') === value.code) continue;
      result = this.buildDims(companyId, [{ id: dimension.id, valueId: value.id }], result, 'replace');
    }
    return result;
  }

  /**
   * `Purchase Header`.`UpdateAllLineDim` after a header dimension change (PurchaseHeader.Table.al): the API has no
   * UI, so the "update the lines?" confirmation takes its default, yes (`ConfirmManagement.GetResponseOrDefault`).
   * Each line gets the header's delta (`DimensionManagement.GetDeltaDimSetID`): dimensions the header lost are
   * removed from the line whatever the line's value, dimensions the header gained or changed are set on the line.
   */
  private updateAllLineDims(set: DocumentSet, documentId: string, after: readonly DimensionSetLineRecord[], before: readonly DimensionSetLineRecord[]): void {
    const removed = before.filter((old) => !after.some((d) => d.id === old.id)).map((d) => d.id);
    const changed = after.filter((d) => !before.some((old) => old.id === d.id && old.valueId === d.valueId));
    for (const line of this.store.linesOf(LINES_OF[set], documentId)) {
      const dims = dimsOf(line).filter((d) => !removed.includes(d.id));
      for (const dim of changed) {
        const at = dims.findIndex((d) => d.id === dim.id);
        if (at >= 0) dims[at] = dim;
        else dims.push(dim);
      }
      const same = dims.length === dimsOf(line).length && dims.every((d, i) => dimsOf(line)[i] === d);
      if (!same) this.store.update(LINES_OF[set], line.id as string, { $dims: dims });
    }
  }

  /**
   * Validates dimension set line inputs and merges them into `existing`. `mode: 'replace'` (field validation,
   * PATCH) replaces the value of a dimension already present; `'insert'` (POST, deep insert) refuses it with the
   * page's RecordAlreadyExistErr, as APIV2DimensionSetLines.Page.al does.
   */
  buildDims(companyId: string, inputs: readonly unknown[], existing: readonly DimensionSetLineRecord[], mode: 'replace' | 'insert' = 'replace'): DimensionSetLineRecord[] {
    const result = [...existing];
    for (const input of inputs) {
      const { values } = validateBody({ type: 'dimensionSetLine', fields: DIMENSION_SET_LINE_FIELDS }, input);
      let dimension: EntityRecord | undefined;
      if (values.id && values.id !== EMPTY_GUID_VALUE) {
        dimension = this.store.get('dimensions', values.id as string);
        if (!dimension || dimension.$company !== companyId) throw bcErrors.dialog(AL_MESSAGES.dimensionIdUnknown);
        if (values.code && values.code !== dimension.code) throw bcErrors.dialog(AL_MESSAGES.dimensionFieldsDontMatch);
      } else if (values.code) {
        dimension = this.findBy('dimensions', companyId, 'code', values.code);
        if (!dimension) throw bcErrors.dialog(AL_MESSAGES.dimensionCodeUnknown);
      } else throw bcErrors.dialog(AL_MESSAGES.dimensionIdOrCode);
      let value: EntityRecord | undefined;
      if (values.valueId && values.valueId !== EMPTY_GUID_VALUE) {
        value = this.store.get('dimensionValues', values.valueId as string);
        if (!value || value.dimensionId !== dimension.id) throw bcErrors.dialog(AL_MESSAGES.dimensionValueIdUnknown);
      } else if (values.valueCode) {
        for (const candidate of this.store.tables.dimensionValues.values()) {
          if (candidate.dimensionId === dimension.id && candidate.code === values.valueCode) value = candidate;
        }
        if (!value) throw bcErrors.dialog(AL_MESSAGES.dimensionValueCodeUnknown);
      } else throw bcErrors.dialog(AL_MESSAGES.dimensionValueIdOrCode);
      const line: DimensionSetLineRecord = { id: dimension.id as string, code: dimension.code as string, valueId: value.id as string, valueCode: value.code as string };
      const at = result.findIndex((d) => d.id === line.id);
      if (at >= 0 && mode === 'insert') throw bcErrors.dialog(AL_MESSAGES.dimensionSetLineExists);
      if (at >= 0) result[at] = line;
      else result.push(line);
    }
    return result;
  }

  /** The vendor's default dimensions as dimension set lines (copied onto new documents). */
  private vendorDefaultDims(vendor: EntityRecord): DimensionSetLineRecord[] {
    const out: DimensionSetLineRecord[] = [];
    for (const row of this.store.sorted('defaultDimensions')) {
      if (row.parentId !== vendor.id || !row.dimensionValueId || row.dimensionValueId === EMPTY_GUID_VALUE) continue;
      out.push({ id: row.dimensionId as string, code: row.dimensionCode as string, valueId: row.dimensionValueId as string, valueCode: row.dimensionValueCode as string });
    }
    return out;
  }

  /**
   * `currencyId`/`currencyCode` as the page validates them: the local currency (`USD` in the seed, stored as
   * blank) or an existing currency; otherwise the AL error. Without either, the vendor's currency.
   */
  private resolveCurrency(companyId: string, values: Record<string, unknown>, vendor?: EntityRecord): Record<string, unknown> {
    const hasId = typeof values.currencyId === 'string';
    const hasCode = typeof values.currencyCode === 'string';
    if (!hasId && !hasCode) {
      if (!vendor) return {};
      return { currencyId: vendor.currencyId ?? EMPTY_GUID_VALUE, currencyCode: vendor.currencyCode ?? LOCAL_CURRENCY };
    }
    let byId: EntityRecord | undefined;
    if (hasId && values.currencyId !== EMPTY_GUID_VALUE) {
      byId = this.store.get('currencies', values.currencyId as string);
      if (!byId || byId.$company !== companyId) throw bcErrors.dialog(AL_MESSAGES.currencyIdUnknown);
    }
    if (hasCode) {
      const code = values.currencyCode as string;
      const local = code === '' || code === LOCAL_CURRENCY;
      if (byId && (local || byId.code !== code)) throw bcErrors.dialog(AL_MESSAGES.currencyValuesDontMatch);
      if (local) return { currencyId: EMPTY_GUID_VALUE, currencyCode: LOCAL_CURRENCY };
      const byCode = this.findBy('currencies', companyId, 'code', code);
      if (!byCode) throw bcErrors.dialog(AL_MESSAGES.currencyCodeUnknown);
      return { currencyId: byCode.id, currencyCode: byCode.code };
    }
    return byId ? { currencyId: byId.id, currencyCode: byId.code } : { currencyId: EMPTY_GUID_VALUE, currencyCode: LOCAL_CURRENCY };
  }

  private assertEditable(set: DocumentSet, header: EntityRecord): void {
    if (set === 'purchaseInvoices' && header.status !== 'Draft' && header.status !== 'In Review') {
      throw bcErrors.dialog(AL_MESSAGES.postedInvoiceReadOnly);
    }
  }

  private createLine(set: LineSet, companyId: string, body: unknown, parent: EntityRecord | undefined, recompute = true): EntityRecord {
    const def = ENTITY_DEFS[set];
    const headerSet = HEADER_OF[set];
    const { values, nested } = validateBody(def, body, ['dimensionSetLines']);
    let header = parent;
    if (!header) {
      const documentId = values.documentId as string | undefined;
      if (!documentId) throw new BcEmulatorError(400, BC_ERROR_CODES.requiredParam, "Field 'documentId' must not be blank or empty");
      header = this.store.get(headerSet, documentId);
      if (!header || header.$company !== companyId) throw bcErrors.recordNotFound(PARENT_TYPE[headerSet] ?? 'Purchase Header', `Id='{${documentId.toUpperCase()}}'`);
    } else if (values.documentId !== undefined && values.documentId !== header.id) {
      throw bcErrors.badRequest('The documentId in the body does not match the document in the URL');
    }
    this.assertEditable(headerSet, header);
    const existing = this.store.linesOf(set, header.id as string);
    const sequence = (values.sequence as number | undefined) ?? existing.reduce((max, l) => Math.max(max, l.sequence as number), 0) + 10000;
    if (existing.some((l) => l.sequence === sequence)) throw bcErrors.dialog(AL_MESSAGES.duplicateSequence);
    const line: EntityRecord = { id: randomUUID(), ...values, documentId: header.id, sequence, $company: companyId, $documentNumber: header.number };
    this.applyLineRules(set, line, values, true);
    // A new line inherits the header's dimension set (Purchase Line CreateDim), so POSTing a dimension the
    // header already has collides on the line too.
    line.$dims = this.buildDims(companyId, this.arrayOf(nested.dimensionSetLines, 'dimensionSetLines'), dimsOf(header), 'insert');
    const stored = this.store.insert(set, line);
    if (recompute) this.store.recomputeTotals(headerSet, header.id as string);
    return stored;
  }

  /** Resolves the line's object (G/L account), then computes its amounts. Mutates `line`. */
  private applyLineRules(set: LineSet, line: EntityRecord, changes: Record<string, unknown>, creating: boolean, before?: EntityRecord): void {
    const setGuid = (v: unknown) => typeof v === 'string' && v !== EMPTY_GUID_VALUE;
    if (setGuid(changes.itemId) && setGuid(changes.accountId)) throw bcErrors.dialog(AL_MESSAGES.itemAndAccount);
    if (before && 'lineObjectNumber' in changes && changes.lineObjectNumber !== before.lineObjectNumber && (before.lineObjectNumber ?? '') !== '') {
      throw bcErrors.dialog(AL_MESSAGES.lineObjectNumberChanged);
    }
    if (creating && changes.lineType === undefined && setGuid(changes.accountId)) line.lineType = 'Account';
    if (creating && changes.lineType === undefined && setGuid(changes.itemId)) line.lineType = 'Item';
    if (setGuid(changes.itemId)) {
      const item = this.store.get('items', changes.itemId as string);
      if (!item || item.$company !== line.$company) throw bcErrors.dialog(AL_MESSAGES.itemUnknown);
    }
    const lineType = (line.lineType as string | undefined) ?? 'Comment';
    const touchesObject = creating || 'lineType' in changes || 'accountId' in changes || 'lineObjectNumber' in changes;
    if (touchesObject) {
      if ('lineType' in changes && !('accountId' in changes) && !('lineObjectNumber' in changes)) {
        line.accountId = EMPTY_GUID_VALUE;
        line.lineObjectNumber = '';
      }
      const number = (changes.lineObjectNumber as string | undefined) ?? (line.lineObjectNumber as string | undefined) ?? '';
      // A new lineObjectNumber without accountId re-resolves the account by number (and vice versa).
      const accountId = 'accountId' in changes ? (changes.accountId as string) : 'lineObjectNumber' in changes ? undefined : (line.accountId as string | undefined);
      if (lineType === 'Account') {
        const account = this.resolveAccount(line.$company as string, accountId, 'lineObjectNumber' in changes || creating ? number : '');
        if (account) {
          line.accountId = account.id;
          line.lineObjectNumber = account.number;
          if (!line.description) line.description = account.displayName;
        }
      } else if (lineType === 'Item') {
        const itemId = 'itemId' in changes ? (changes.itemId as string) : 'lineObjectNumber' in changes ? undefined : (line.itemId as string | undefined);
        const item = this.resolveItem(line.$company as string, itemId, 'lineObjectNumber' in changes || creating ? number : '');
        if (item) {
          line.itemId = item.id;
          line.lineObjectNumber = item.number;
          line.accountId = EMPTY_GUID_VALUE;
          if (!line.description) line.description = item.displayName;
          if (!line.unitOfMeasureCode) line.unitOfMeasureCode = item.baseUnitOfMeasureCode ?? '';
        }
      } else if (lineType === 'Comment') {
        // Comment lines take a Standard Text code as "No."; none exist in the emulator.
        if (number) throw bcErrors.recordNotFound('Standard Text', `Code='${number}'`);
        if (accountId && accountId !== EMPTY_GUID_VALUE) throw bcErrors.dialog('accountId can only be set on lines of lineType Account');
      } else {
        // Items, resources, fixed assets and charges are not seeded: any reference is unknown.
        const table = { Item: 'Item', Resource: 'Resource', 'Fixed Asset': 'Fixed Asset', Charge: 'Item Charge' }[lineType] ?? lineType;
        if (number) throw bcErrors.recordNotFound(table, `No.='${number}'`);
        if (line.itemId && line.itemId !== EMPTY_GUID_VALUE) throw bcErrors.recordNotFound(table, `Id='{${String(line.itemId).toUpperCase()}}'`);
      }
    }
    this.computeLineAmounts(set, line, changes);
  }

  /** Looks up a G/L account and applies BC's posting checks (exists, not blocked, posting type, direct posting). */
  private resolveAccount(companyId: string, accountId: string | undefined, number: string): EntityRecord | undefined {
    let account: EntityRecord | undefined;
    if (accountId && accountId !== EMPTY_GUID_VALUE) {
      account = this.store.get('accounts', accountId);
      if (!account || account.$company !== companyId) throw bcErrors.dialog(AL_MESSAGES.accountUnknown);
      if (number && account.number !== number) throw bcErrors.dialog(`The lineObjectNumber '${number}' does not match the account with accountId '${accountId}'`);
    } else if (number) {
      account = this.findBy('accounts', companyId, 'number', number);
      if (!account) throw bcErrors.dialog(AL_MESSAGES.accountUnknown);
    } else return undefined;
    checkPostable(account);
    return account;
  }

  /** Looks up an item by id or number ("Item does not exist." otherwise) and refuses blocked items. */
  private resolveItem(companyId: string, itemId: string | undefined, number: string): EntityRecord | undefined {
    let item: EntityRecord | undefined;
    if (itemId && itemId !== EMPTY_GUID_VALUE) item = this.store.get('items', itemId);
    else if (number) item = this.findBy('items', companyId, 'number', number);
    else return undefined;
    if (!item || item.$company !== companyId) throw bcErrors.dialog(AL_MESSAGES.itemUnknown);
    if (item.blocked === true) {
      throw bcErrors.fieldValidation(`Blocked must be equal to 'No'  in Item: No.=${item.number as string}. Current value is 'Yes'`);
    }
    return item;
  }

  private computeLineAmounts(set: LineSet, line: EntityRecord, changes: Record<string, unknown>): void {
    if ((line.lineType ?? 'Comment') === 'Comment') {
      for (const f of ['quantity', 'unitCost', 'directUnitCost', 'discountAmount', 'discountPercent']) {
        if (typeof changes[f] === 'number' && changes[f] !== 0) throw bcErrors.dialog(`${f} must be zero on a Comment line`);
      }
    }
    const costField = set === 'purchaseInvoiceLines' ? 'unitCost' : 'directUnitCost';
    const quantity = (line.quantity as number | undefined) ?? 0;
    const unit = (line[costField] as number | undefined) ?? 0;
    const gross = round2(quantity * unit);
    let discountAmount = (line.discountAmount as number | undefined) ?? 0;
    let discountPercent = (line.discountPercent as number | undefined) ?? 0;
    if ('discountPercent' in changes || (!('discountAmount' in changes) && discountPercent)) discountAmount = round2((gross * discountPercent) / 100);
    else if ('discountAmount' in changes) discountPercent = gross ? round2((discountAmount / gross) * 100) : 0;
    if (discountAmount > gross && gross > 0) throw bcErrors.dialog('The total discount amount cannot be greater than the line amount');
    const net = round2(gross - discountAmount);
    // Sales tax is not emulated (US purchase lines usually carry none): tax 0, incl. = excl.
    Object.assign(line, {
      discountAmount,
      discountPercent,
      amountExcludingTax: net,
      taxPercent: 0,
      totalTaxAmount: 0,
      amountIncludingTax: net,
      invoiceDiscountAllocation: 0,
      netAmount: net,
      netTaxAmount: 0,
      netAmountIncludingTax: net,
    });
  }

  // ----------------------------------------------------------------------------------------- update

  /** Applies a PATCH body (ETag already checked). */
  patch(set: EntitySetName, record: EntityRecord, body: unknown): EntityRecord {
    const def = ENTITY_DEFS[set];
    if (!def.methods.patch) throw bcErrors.methodNotAllowed('PATCH', set);
    return this.store.atomically(() => {
      const id = record[def.key] as string;
      const companyId = record.$company as string;
      if (set === 'purchaseInvoices' || set === 'purchaseOrders') {
        this.assertEditable(set, record);
        const { values } = validateBody(def, body);
        const shortcut = this.takeShortcuts(values);
        const changes: Record<string, unknown> = { ...values };
        if ('vendorId' in values || 'vendorNumber' in values) {
          const probe = 'vendorId' in values ? { vendorId: values.vendorId } : { vendorNumber: values.vendorNumber };
          const vendor = this.resolveVendor(companyId, probe, true) as EntityRecord;
          Object.assign(changes, this.vendorFields(vendor, values));
        }
        if ('currencyId' in values || 'currencyCode' in values) Object.assign(changes, this.resolveCurrency(companyId, values));
        const before = dimsOf(record);
        const after = this.applyShortcuts(companyId, shortcut, before);
        if (after !== before) changes.$dims = after;
        this.store.update(set, id, changes);
        if (after !== before) this.updateAllLineDims(set, id, after, before);
        if ('discountAmount' in values) this.store.recomputeTotals(set, id);
        return this.store.get(set, id) as EntityRecord;
      }
      if (set === 'purchaseInvoiceLines' || set === 'purchaseOrderLines') {
        const header = this.store.get(HEADER_OF[set], record.documentId as string) as EntityRecord;
        this.assertEditable(HEADER_OF[set], header);
        const { values } = validateBody(def, body);
        if ('documentId' in values && values.documentId !== record.documentId) throw bcErrors.dialog(AL_MESSAGES.documentIdChanged);
        if ('sequence' in values && values.sequence !== record.sequence) throw bcErrors.dialog(AL_MESSAGES.sequenceChanged);
        const line: EntityRecord = { ...record, ...values };
        this.applyLineRules(set, line, values, false, record);
        const changes: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(line)) if (record[k] !== v) changes[k] = v;
        this.store.update(set, id, changes);
        this.store.recomputeTotals(HEADER_OF[set], header.id as string);
        return this.store.get(set, id) as EntityRecord;
      }
      if (set === 'vendors') {
        const { values } = validateBody(def, body);
        if (values.number !== undefined && values.number !== record.number && this.findBy('vendors', companyId, 'number', values.number)) {
          throw new BcEmulatorError(400, BC_ERROR_CODES.duplicateKey, `The Vendor already exists. Identification fields and values: No.='${values.number as string}'`);
        }
        return this.store.update(set, id, values);
      }
      throw bcErrors.methodNotAllowed('PATCH', set);
    });
  }

  /** Deletes an entity (ETag already checked). */
  delete(set: EntitySetName, record: EntityRecord): void {
    const def = ENTITY_DEFS[set];
    if (!def.methods.delete) throw bcErrors.methodNotAllowed('DELETE', set);
    this.store.atomically(() => {
      const id = record[def.key] as string;
      if (set === 'purchaseInvoices' || set === 'purchaseOrders') {
        this.assertEditable(set, record);
      } else if (set === 'purchaseInvoiceLines' || set === 'purchaseOrderLines') {
        const header = this.store.get(HEADER_OF[set], record.documentId as string) as EntityRecord;
        this.assertEditable(HEADER_OF[set], header);
        this.store.remove(set, id);
        this.store.recomputeTotals(HEADER_OF[set], header.id as string);
        return;
      } else if (set === 'vendors') {
        for (const docSet of ['purchaseInvoices', 'purchaseOrders'] as const) {
          for (const doc of this.store.tables[docSet].values()) {
            if (doc.vendorId === id && doc.status !== 'Paid') {
              throw bcErrors.dialog(`You cannot delete Vendor ${record.number as string} because there is at least one outstanding ${docSet === 'purchaseInvoices' ? 'Purchase Invoice' : 'Purchase Order'} for this vendor`);
            }
          }
        }
      }
      this.store.remove(set, id);
    });
  }

  /**
   * Adds (`insert`: POST, refused when the dimension is already on the owner) or changes (`replace`: PATCH of
   * `dimensionSetLines({dimensionId})`) a dimension set line of a draft document or line.
   */
  addDimensionSetLine(ownerSet: EntitySetName, owner: EntityRecord, body: unknown, mode: 'insert' | 'replace' = 'insert'): DimensionSetLineRecord {
    this.assertOwnerEditable(ownerSet, owner);
    return this.store.atomically(() => {
      const dims = this.buildDims(owner.$company as string, [body], dimsOf(owner), mode);
      this.store.update(ownerSet, owner.id as string, { $dims: dims });
      return dims[dims.length - 1] as DimensionSetLineRecord;
    });
  }

  /** Removes one dimension from a draft document or line. */
  removeDimensionSetLine(ownerSet: EntitySetName, owner: EntityRecord, dimensionId: string): void {
    this.assertOwnerEditable(ownerSet, owner);
    const dims = dimsOf(owner);
    if (!dims.some((d) => d.id === dimensionId)) throw bcErrors.notFound();
    this.store.update(ownerSet, owner.id as string, { $dims: dims.filter((d) => d.id !== dimensionId) });
  }

  private assertOwnerEditable(ownerSet: EntitySetName, owner: EntityRecord): void {
    if (ownerSet === 'purchaseInvoices' || ownerSet === 'purchaseOrders') this.assertEditable(ownerSet, owner);
    if (ownerSet === 'purchaseInvoiceLines' || ownerSet === 'purchaseOrderLines') {
      this.assertEditable(HEADER_OF[ownerSet], this.store.get(HEADER_OF[ownerSet], owner.documentId as string) as EntityRecord);
    }
  }

  // ----------------------------------------------------------------------------------------- actions

  /**
   * `Microsoft.NAV.post`: Draft → Open, keeps the API id, assigns a posted number `PPI-…`, checks what BC checks
   * before posting (vendor invoice no., something to post, every account line has a postable account, no
   * duplicate vendor invoice no. for the vendor) and raises the vendor's balance.
   */
  postInvoice(invoice: EntityRecord): void {
    this.store.atomically(() => {
      if (invoice.status !== 'Draft' && invoice.status !== 'In Review') throw bcErrors.dialog(AL_MESSAGES.draftOnlyAction);
      const vendorInvoiceNumber = (invoice.vendorInvoiceNumber as string | undefined) ?? '';
      if (!vendorInvoiceNumber) {
        throw bcErrors.dialog(
          'You need to enter the document number of the document from the vendor in the Vendor Invoice No. field, so that this document stays linked to the original',
        );
      }
      const lines = this.store.linesOf('purchaseInvoiceLines', invoice.id as string);
      if (!lines.some((l) => l.lineType !== 'Comment' && ((l.quantity as number | undefined) ?? 0) !== 0)) throw bcErrors.dialog('There is nothing to post');
      for (const line of lines) {
        if (line.lineType !== 'Account') continue;
        if (!line.accountId || line.accountId === EMPTY_GUID_VALUE) {
          throw bcErrors.fieldValidation(
            `No. must have a value in Purchase Line: Document Type=Invoice, Document No.=${invoice.number as string}, Line No.=${line.sequence as number}. It cannot be zero or empty`,
          );
        }
        checkPostable(this.store.get('accounts', line.accountId as string) as EntityRecord);
      }
      for (const other of this.store.tables.purchaseInvoices.values()) {
        if (other.id !== invoice.id && other.vendorId === invoice.vendorId && (other.status === 'Open' || other.status === 'Paid') && other.vendorInvoiceNumber === vendorInvoiceNumber) {
          throw bcErrors.dialog(`Purchase Invoice ${vendorInvoiceNumber} already exists for this vendor`);
        }
      }
      const number = `PPI-${String(++this.store.counters.postedInvoice).padStart(6, '0')}`;
      this.store.update('purchaseInvoices', invoice.id as string, { status: 'Open', number });
      for (const line of lines) this.store.update('purchaseInvoiceLines', line.id as string, { $documentNumber: number }, { silent: true });
      this.adjustBalance(invoice.vendorId as string, (this.store.get('purchaseInvoices', invoice.id as string)?.totalAmountIncludingTax as number) ?? 0);
    });
  }

  /** Marks an Open (posted) invoice as Paid, as a payment application would; lowers the vendor balance. */
  markPaid(invoice: EntityRecord): void {
    this.store.atomically(() => {
      this.store.update('purchaseInvoices', invoice.id as string, { status: 'Paid' });
      this.adjustBalance(invoice.vendorId as string, -((invoice.totalAmountIncludingTax as number | undefined) ?? 0));
    });
  }

  private adjustBalance(vendorId: string, delta: number): void {
    const vendor = this.store.get('vendors', vendorId);
    if (vendor) this.store.update('vendors', vendorId, { balance: round2(((vendor.balance as number | undefined) ?? 0) + delta) });
  }
}

/** BC's TestField checks for posting to a G/L account. */
function checkPostable(account: EntityRecord): void {
  const no = account.number as string;
  if (account.blocked === true) {
    throw bcErrors.fieldValidation(`Blocked must be equal to 'No'  in G/L Account: No.=${no}. Current value is 'Yes'`);
  }
  const type = (account.accountType as string | undefined) ?? 'Posting';
  if (type !== 'Posting') {
    throw bcErrors.fieldValidation(`Account Type must be equal to 'Posting'  in G/L Account: No.=${no}. Current value is '${type}'`);
  }
  if (account.directPosting === false) {
    throw bcErrors.fieldValidation(`Direct Posting must be equal to 'Yes'  in G/L Account: No.=${no}. Current value is 'No'`);
  }
}
