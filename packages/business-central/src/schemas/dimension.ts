import { z } from 'zod';
import { type Conforms, type Entity, type V1CommonFields, guid, isoDateTime, odataEtag } from './common.js';
import { type DimensionSetLineParentType, type UnknownEnumMember, enumMember } from './enums.js';

/** Dimension fields that v1.0 and v2.0 share (v1.0 OpenAPI schema `dimension`). */
export type DimensionCommonFields = V1CommonFields<'dimension', 'id' | 'code' | 'displayName' | 'lastModifiedDateTime'>;
/** Dimension fields as modelled by this client. */
export interface DimensionFields extends DimensionCommonFields {
  /** v2.0: consolidation code. */
  consolidationCode?: string;
}
/** A dimension (read-only in the API). */
export type Dimension = Entity<DimensionFields>;

/** Dimension value fields that v1.0 and v2.0 share (v1.0 OpenAPI schema `dimensionValue`). */
export type DimensionValueCommonFields = V1CommonFields<'dimensionValue', 'id' | 'code' | 'displayName' | 'lastModifiedDateTime'>;
/** Dimension value fields as modelled by this client. */
export interface DimensionValueFields extends DimensionValueCommonFields {
  /** v2.0: id of the owning dimension. */
  dimensionId?: string;
  /** v2.0: consolidation code. */
  consolidationCode?: string;
}
/** A dimension value (read-only in the API). */
export type DimensionValue = Entity<DimensionValueFields>;

/** zod schema of a dimension response. */
export const dimensionSchema = z.looseObject({
  ...odataEtag,
  id: guid,
  code: z.string(),
  displayName: z.string(),
  lastModifiedDateTime: isoDateTime,
  consolidationCode: z.string().optional(),
});

/** zod schema of a dimension value response. */
export const dimensionValueSchema = z.looseObject({
  ...odataEtag,
  id: guid,
  code: z.string(),
  displayName: z.string(),
  lastModifiedDateTime: isoDateTime,
  dimensionId: guid.optional(),
  consolidationCode: z.string().optional(),
});

/** Dimension set line fields shared with v1.0's `dimensionLine` (v2.0 renamed it `dimensionSetLine`). */
export type DimensionSetLineCommonFields = V1CommonFields<'dimensionLine', 'id' | 'code' | 'parentId' | 'displayName' | 'valueId' | 'valueCode' | 'valueDisplayName'>;
/** A dimension set line of a document or document line (v2.0). */
export interface DimensionSetLine extends DimensionSetLineCommonFields {
  /** v2.0: `Purchase Invoice`, `Purchase Invoice Line`, … (decoded from `Purchase_x0020_Invoice`). */
  parentType?: DimensionSetLineParentType | UnknownEnumMember;
  /** Raw `@odata.etag` of the owner, when returned. */
  '@odata.etag'?: string;
}
/** Dimension set line fields BC computes; stripped from POST/PATCH bodies. */
export const DIMENSION_SET_LINE_READ_ONLY_FIELDS = ['parentId', 'parentType', 'displayName', 'valueDisplayName'] as const;
/** A dimension set line to write: the dimension (`id` or `code`) and the value (`valueId` or `valueCode`). */
export type DimensionSetLineInput = Partial<Pick<DimensionSetLine, 'id' | 'code' | 'valueId' | 'valueCode'>>;

/** zod schema of a dimension set line. */
export const dimensionSetLineSchema = z.looseObject({
  ...odataEtag,
  id: guid,
  code: z.string(),
  parentId: guid,
  parentType: enumMember<DimensionSetLineParentType>().optional(),
  displayName: z.string(),
  valueId: guid,
  valueCode: z.string(),
  valueDisplayName: z.string(),
});

type _DimensionChecks = [
  Conforms<z.infer<typeof dimensionSchema>, DimensionFields>,
  Conforms<z.infer<typeof dimensionValueSchema>, DimensionValueFields>,
  Conforms<z.infer<typeof dimensionSetLineSchema>, DimensionSetLine>,
];
