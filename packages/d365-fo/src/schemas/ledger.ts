import { z } from 'zod';
import { type CdmFields, type Entity, type FieldsOf, foDateTime, noYes, odataEtag } from './common.js';

/** `MainAccounts` fields modelled by this client (CDM `MainAccountEntity`). Main accounts are shared by chart of accounts, not per company. */
export type MainAccountField = CdmFields<
  'MainAccountEntity',
  'MainAccountId' | 'ChartOfAccounts' | 'Name' | 'MainAccountType' | 'MainAccountCategory' | 'IsSuspended' | 'ActiveFrom' | 'ActiveTo' | 'DoNotAllowManualEntry' | 'DefaultCurrency' | 'PostingType' | 'DebitCreditDefault'
>;

/** zod schema of one `MainAccounts` record. */
export const mainAccountSchema = z.looseObject({
  ...odataEtag,
  MainAccountId: z.string(),
  ChartOfAccounts: z.string(),
  Name: z.string(),
  MainAccountType: z.string(),
  MainAccountCategory: z.string().optional(),
  IsSuspended: noYes,
  ActiveFrom: foDateTime.optional(),
  ActiveTo: foDateTime.optional(),
  DoNotAllowManualEntry: noYes.optional(),
  DefaultCurrency: z.string().optional(),
  PostingType: z.string().optional(),
  DebitCreditDefault: z.string().optional(),
} satisfies Record<MainAccountField | '@odata.etag', z.ZodType>);
/** Modelled `MainAccounts` fields. */
export type MainAccountFields = FieldsOf<typeof mainAccountSchema>;
/** A main account. */
export type MainAccount = Entity<MainAccountFields>;

/** `DimensionAttributes` fields modelled by this client (CDM `DimensionAttributeEntity`). */
export type DimensionAttributeField = CdmFields<'DimensionAttributeEntity', 'DimensionName' | 'ReportColumnName' | 'UseValuesFrom' | 'DimensionValueMask'>;

/** zod schema of one `DimensionAttributes` record (a financial dimension such as `Department`). */
export const dimensionAttributeSchema = z.looseObject({
  ...odataEtag,
  DimensionName: z.string(),
  ReportColumnName: z.string().optional(),
  UseValuesFrom: z.string().optional(),
  DimensionValueMask: z.string().optional(),
} satisfies Record<DimensionAttributeField | '@odata.etag', z.ZodType>);
/** Modelled `DimensionAttributes` fields. */
export type DimensionAttributeFields = FieldsOf<typeof dimensionAttributeSchema>;
/** A financial dimension. */
export type DimensionAttribute = Entity<DimensionAttributeFields>;

/** `FinancialDimensionValues` fields modelled by this client (CDM `FinancialDimensionValueEntity`). */
export type FinancialDimensionValueField = CdmFields<
  'FinancialDimensionValueEntity',
  'FinancialDimension' | 'DimensionValue' | 'Description' | 'LegalEntityId' | 'ActiveFrom' | 'ActiveTo' | 'IsSuspended' | 'IsTotal' | 'IsBlockedForManualEntry'
>;

/** zod schema of one `FinancialDimensionValues` record. `LegalEntityId` is empty for values shared by all companies. */
export const financialDimensionValueSchema = z.looseObject({
  ...odataEtag,
  FinancialDimension: z.string(),
  DimensionValue: z.string(),
  Description: z.string().optional(),
  LegalEntityId: z.string(),
  ActiveFrom: foDateTime.optional(),
  ActiveTo: foDateTime.optional(),
  IsSuspended: noYes,
  IsTotal: noYes.optional(),
  IsBlockedForManualEntry: noYes.optional(),
} satisfies Record<FinancialDimensionValueField | '@odata.etag', z.ZodType>);
/** Modelled `FinancialDimensionValues` fields. */
export type FinancialDimensionValueFields = FieldsOf<typeof financialDimensionValueSchema>;
/** A financial dimension value. */
export type FinancialDimensionValue = Entity<FinancialDimensionValueFields>;

/**
 * One account structure rule: which dimensions a range of main accounts requires or allows, and which values.
 * F&O keeps account structures (General ledger > Chart of accounts > Structures) in tables with no public data
 * entity of this shape; this client reads them from a configurable entity set (UNCONFIRMED, see
 * `accountStructureEntitySet`) or takes them as input.
 */
export const accountStructureRuleSchema = z.looseObject({
  ...odataEtag,
  /** Account structure name, e.g. `Manufacturing B/S`. */
  AccountStructure: z.string(),
  /** First main account of the range this rule applies to (inclusive, compared as text). */
  MainAccountFrom: z.string(),
  /** Last main account of the range (inclusive). */
  MainAccountTo: z.string(),
  /** Dimension name, e.g. `Department`. */
  DimensionName: z.string(),
  /** Whether a value is required (`Yes`) or may be blank. */
  IsRequired: noYes,
  /** Allowed values: `*` (any active value) or a `;`-separated list of values or `a..b` ranges. */
  AllowedValues: z.string(),
});
/** An account structure rule. */
export type AccountStructureRule = FieldsOf<typeof accountStructureRuleSchema>;
