import { z } from 'zod';
import { type Entity, type V1CommonFields, type Conforms, guid, isoDateTime, odataEtag } from './common.js';

/** Fields of a company that v1.0 and v2.0 share (derived from the v1.0 OpenAPI schema). */
export type CompanyCommonFields = V1CommonFields<'company', 'id' | 'systemVersion' | 'name' | 'displayName' | 'businessProfileId'>;

/** Company fields as modelled by this client (v2.0). */
export interface CompanyFields extends CompanyCommonFields {
  /** v2.0: row version of the company record. */
  timestamp?: number;
  /** v2.0: creation time. */
  systemCreatedAt?: string;
  /** v2.0: creating user id. */
  systemCreatedBy?: string;
  /** v2.0: last modification time. */
  systemModifiedAt?: string;
  /** v2.0: last modifying user id. */
  systemModifiedBy?: string;
}

/** A Business Central company. */
export type Company = Entity<CompanyFields>;

/** zod schema of a company response; unknown fields pass through. */
export const companySchema = z.looseObject({
  ...odataEtag,
  id: guid,
  systemVersion: z.string(),
  name: z.string(),
  displayName: z.string(),
  businessProfileId: z.string(),
  timestamp: z.number().optional(),
  systemCreatedAt: isoDateTime.optional(),
  systemCreatedBy: guid.optional(),
  systemModifiedAt: isoDateTime.optional(),
  systemModifiedBy: guid.optional(),
});

type _CompanyCheck = Conforms<z.infer<typeof companySchema>, CompanyFields>;
