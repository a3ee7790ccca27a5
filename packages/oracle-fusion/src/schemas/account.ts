import { z } from 'zod';
import { itemMeta, optNumber, optString } from './common.js';

/**
 * A GL account combination (`/accountCombinationsLOV`). Attribute names follow the LOV resource; the segment
 * layout (Segment1 company, Segment2 cost center, Segment3 natural account …) is the customer's chart of accounts.
 */
export const accountCombinationSchema = z.looseObject({
  ...itemMeta,
  _CODE_COMBINATION_ID: z.number(),
  _CHART_OF_ACCOUNTS_ID: optNumber,
  EnabledFlag: z.boolean().nullish(),
  AccountType: optString,
  StartDateActive: optString,
  EndDateActive: optString,
  Segment1: optString,
  Segment2: optString,
  Segment3: optString,
  Segment4: optString,
  LastUpdateDate: z.string().nullish(),
});
/** A GL account combination. */
export type AccountCombination = z.infer<typeof accountCombinationSchema>;

/** A chart-of-accounts segment value (`/valueSets/{ValueSetCode}/child/values`), e.g. a cost center. */
export const valueSetValueSchema = z.looseObject({
  ...itemMeta,
  ValueId: z.number(),
  Value: z.string(),
  Description: optString,
  EnabledFlag: z.string().nullish(),
  StartDateActive: optString,
  EndDateActive: optString,
  SummaryFlag: optString,
  LastUpdateDate: z.string().nullish(),
});
/** A value-set value. */
export type ValueSetValue = z.infer<typeof valueSetValueSchema>;

/** Body of a value create (`POST /valueSets/{ValueSetCode}/child/values`). */
export interface ValueSetValueCreate {
  /** The segment value, e.g. `8110` or `ADM`; unique within the value set. */
  Value: string;
  /** Description shown to users. */
  Description?: string;
  /** `Y` (default) or `N`. */
  EnabledFlag?: 'Y' | 'N';
  /** First day the value may be used (`YYYY-MM-DD`). */
  StartDateActive?: string | null;
  /** Last day the value may be used (`YYYY-MM-DD`). */
  EndDateActive?: string | null;
  /** Other attributes. */
  [attribute: string]: unknown;
}

/** Body of a value update (`PATCH` of a value read before). */
export type ValueSetValueUpdate = Partial<Omit<ValueSetValueCreate, 'Value'>>;
