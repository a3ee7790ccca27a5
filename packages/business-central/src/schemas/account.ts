import { z } from 'zod';
import { type Conforms, type Entity, type V1CommonFields, guid, isoDateTime, odataEtag } from './common.js';
import { type AccountType, type UnknownEnumMember, enumMember } from './enums.js';

/** G/L account fields that v1.0 and v2.0 share (derived from the v1.0 OpenAPI schema `account`). */
export type AccountCommonFields = V1CommonFields<'account', 'id' | 'number' | 'displayName' | 'category' | 'subCategory' | 'blocked' | 'lastModifiedDateTime'>;

/** G/L account fields as modelled by this client (v2.0 adds type, posting and consolidation fields). */
export interface AccountFields extends AccountCommonFields {
  /** v2.0: `Posting`, `Heading`, `Total`, `Begin-Total` or `End-Total` (decoded). */
  accountType?: AccountType | UnknownEnumMember;
  /** v2.0: whether direct posting is allowed. */
  directPosting?: boolean;
  /** v2.0: net change. */
  netChange?: number;
  /** v2.0: consolidation translation method. */
  consolidationTranslationMethod?: string;
  /** v2.0: consolidation debit account. */
  consolidationDebitAccount?: string;
  /** v2.0: consolidation credit account. */
  consolidationCreditAccount?: string;
  /** v2.0: excluded from consolidation. */
  excludeFromConsolidation?: boolean;
}

/** A G/L account (read-only in the API). */
export type Account = Entity<AccountFields>;

/** zod schema of an account response; unknown fields pass through. */
export const accountSchema = z.looseObject({
  ...odataEtag,
  id: guid,
  number: z.string(),
  displayName: z.string(),
  category: enumMember<string>(),
  subCategory: z.string(),
  blocked: z.boolean(),
  lastModifiedDateTime: isoDateTime,
  accountType: enumMember<AccountType>().optional(),
  directPosting: z.boolean().optional(),
  netChange: z.number().optional(),
  consolidationTranslationMethod: z.string().optional(),
  consolidationDebitAccount: z.string().optional(),
  consolidationCreditAccount: z.string().optional(),
  excludeFromConsolidation: z.boolean().optional(),
});

type _AccountCheck = Conforms<z.infer<typeof accountSchema>, AccountFields>;
