import { z } from 'zod';
import { type Entity, guid, isoDateTime, odataEtag } from './common.js';
import { type ItemType, type UnknownEnumMember, enumMember } from './enums.js';

// v2.0 setup entities; fields from microsoft/BCApps src/Apps/W1/APIV2/app/src/pages/APIV2*.Page.al.

/** Fields every code/description setup entity has (`currencies`, `paymentTerms`, `paymentMethods`, …). */
export interface CodedSetupFields {
  /** Record id. */
  id: string;
  /** Code, e.g. `EUR`, `30 DAYS`, `BANK`, `EA`. */
  code: string;
  /** Description. */
  displayName: string;
  /** Last change. */
  lastModifiedDateTime: string;
}
const coded = { ...odataEtag, id: guid, code: z.string(), displayName: z.string(), lastModifiedDateTime: isoDateTime };

/** A currency (`currencies`); the local currency has no row. */
export interface CurrencyFields extends CodedSetupFields {
  /** Symbol, e.g. `€`. */
  symbol?: string;
  /** Decimal places of amounts, e.g. `2:2`. */
  amountDecimalPlaces?: string;
  /** Rounding precision of invoice amounts. */
  amountRoundingPrecision?: number;
}
/** A currency. */
export type Currency = Entity<CurrencyFields>;
/** zod schema of a currency. */
export const currencySchema = z.looseObject({
  ...coded,
  symbol: z.string().optional(),
  amountDecimalPlaces: z.string().optional(),
  amountRoundingPrecision: z.number().optional(),
});

/** Payment terms (`paymentTerms`). */
export interface PaymentTermFields extends CodedSetupFields {
  /** Date formula of the due date, e.g. `30D`. */
  dueDateCalculation?: string;
  /** Date formula of the discount date. */
  discountDateCalculation?: string;
  /** Payment discount %. */
  discountPercent?: number;
  /** Whether the discount applies to credit memos. */
  calculateDiscountOnCreditMemos?: boolean;
}
/** Payment terms. */
export type PaymentTerm = Entity<PaymentTermFields>;
/** zod schema of payment terms. */
export const paymentTermSchema = z.looseObject({
  ...coded,
  dueDateCalculation: z.string().optional(),
  discountDateCalculation: z.string().optional(),
  discountPercent: z.number().optional(),
  calculateDiscountOnCreditMemos: z.boolean().optional(),
});

/** A payment method (`paymentMethods`). */
export type PaymentMethodFields = CodedSetupFields;
/** A payment method. */
export type PaymentMethod = Entity<PaymentMethodFields>;
/** zod schema of a payment method. */
export const paymentMethodSchema = z.looseObject(coded);

/** A tax group (`taxGroups`). */
export interface TaxGroupFields extends CodedSetupFields {
  /** `Sales Tax` or `VAT` (decoded from `Sales_x0020_Tax`). */
  taxType?: 'Sales Tax' | 'VAT' | UnknownEnumMember;
}
/** A tax group. */
export type TaxGroup = Entity<TaxGroupFields>;
/** zod schema of a tax group. */
export const taxGroupSchema = z.looseObject({ ...coded, taxType: enumMember<'Sales Tax' | 'VAT'>().optional() });

/** A unit of measure (`unitsOfMeasure`). */
export interface UnitOfMeasureFields extends CodedSetupFields {
  /** UN/ECE code, e.g. `EA`. */
  internationalStandardCode?: string;
  /** Symbol. */
  symbol?: string;
}
/** A unit of measure. */
export type UnitOfMeasure = Entity<UnitOfMeasureFields>;
/** zod schema of a unit of measure. */
export const unitOfMeasureSchema = z.looseObject({ ...coded, internationalStandardCode: z.string().optional(), symbol: z.string().optional() });

/** An item (`items`), the fields a purchase line needs. */
export interface ItemFields {
  /** Item id. */
  id: string;
  /** Item number (`lineObjectNumber` of an Item line). */
  number: string;
  /** Description. */
  displayName: string;
  /** `Inventory`, `Service` or `Non-Inventory` (decoded). */
  type: ItemType | UnknownEnumMember;
  /** Blocked items cannot be purchased. */
  blocked: boolean;
  /** Unit cost. */
  unitCost: number;
  /** Base unit of measure code. */
  baseUnitOfMeasureCode: string;
  /** Tax group code. */
  taxGroupCode?: string;
  /** Last change. */
  lastModifiedDateTime: string;
}
/** An item. */
export type Item = Entity<ItemFields>;
/** zod schema of an item. */
export const itemSchema = z.looseObject({
  ...odataEtag,
  id: guid,
  number: z.string(),
  displayName: z.string(),
  type: enumMember<ItemType>(),
  blocked: z.boolean(),
  unitCost: z.number(),
  baseUnitOfMeasureCode: z.string(),
  taxGroupCode: z.string().optional(),
  lastModifiedDateTime: isoDateTime,
});

/** A vendor's default dimension (`vendors({id})/defaultDimensions`), copied onto the vendor's new documents. */
export interface DefaultDimensionFields {
  /** Record id. */
  id: string;
  /** `Vendor`, `Item`, … (decoded). */
  parentType: string;
  /** Id of the vendor (or other parent). */
  parentId: string;
  /** Dimension id. */
  dimensionId: string;
  /** Dimension code, e.g. `DEPARTMENT`. */
  dimensionCode: string;
  /** Default value id. */
  dimensionValueId: string;
  /** Default value code. */
  dimensionValueCode: string;
  /** `Code Mandatory`, `Same Code`, `No Code` or blank (decoded). */
  postingValidation: string;
}
/** A default dimension. */
export type DefaultDimension = Entity<DefaultDimensionFields>;
/** zod schema of a default dimension. */
export const defaultDimensionSchema = z.looseObject({
  ...odataEtag,
  id: guid,
  parentType: enumMember<string>(),
  parentId: guid,
  dimensionId: guid,
  dimensionCode: z.string(),
  dimensionValueId: guid,
  dimensionValueCode: z.string(),
  postingValidation: enumMember<string>(),
});

/** An attachment of a document (`attachments` and `documentAttachments` navigations). */
export interface AttachmentFields {
  /** Attachment id. */
  id: string;
  /** Id of the document. */
  parentId: string;
  /** File name. */
  fileName: string;
  /** Size of the content in bytes (0 until uploaded). */
  byteSize: number;
  /** `Purchase Invoice`, … (decoded). */
  parentType?: string;
  /** When the attachment was created. */
  lastModifiedDateTime?: string;
}
/** An attachment. */
export type Attachment = Entity<AttachmentFields>;
/** zod schema of an attachment. */
export const attachmentSchema = z.looseObject({
  ...odataEtag,
  id: guid,
  parentId: guid,
  fileName: z.string(),
  byteSize: z.number(),
  parentType: enumMember<string>().optional(),
  lastModifiedDateTime: isoDateTime.optional(),
});

/** The PDF of a posted document (`pdfDocument` navigation). */
export interface PdfDocumentFields {
  /** Id (the document's). */
  id: string;
  /** Id of the document. */
  parentId: string;
  /** `Purchase Invoice`, … (decoded). */
  parentType?: string;
}
/** zod schema of a PDF document entry. */
export const pdfDocumentSchema = z.looseObject({ ...odataEtag, id: guid, parentId: guid, parentType: enumMember<string>().optional() });
