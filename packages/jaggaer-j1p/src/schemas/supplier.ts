import { z } from 'zod';
import { normaliseTimestamp } from '../dates.js';
import { envelopeSchema, idLike, listOf, pagedEnvelopeSchema, toText } from './common.js';

/** Wire shape of `returnCompanyInfo` (JAGGAER Advanced `companyprofiles`); loose, unknown fields kept. */
export const companyInfoSchema = z.looseObject({
  bravoId: idLike,
  companyName: z.string().nullish(),
  extCode: z.string().nullish(),
  extUniqueCode: z.string().nullish(),
  type: z.string().nullish(),
  status: z.string().nullish(),
  dAndBCode: z.string().nullish(),
  city: z.string().nullish(),
  isoCountry: z.string().nullish(),
  fiscalCode: z.string().nullish(),
  bizEmail: z.string().nullish(),
  lastModTime: z.string().nullish(),
  parentExtCode: z.string().nullish(),
  parentBravoId: idLike.nullish(),
});

/** Wire shape of one `returnCompanyData` entry: `{returnCompanyInfo:{…}}`. */
export const companyDataSchema = z.looseObject({ returnCompanyInfo: companyInfoSchema });

/** Wire shape of the company-profile list. */
export const companyListResponseSchema = pagedEnvelopeSchema.extend({ returnCompanyData: listOf(companyDataSchema) });

/** Wire shape of the create/update answer (`bravoId` as the sandbox sends it; UNCONFIRMED for J1P). */
export const companyUpsertResponseSchema = envelopeSchema.extend({ bravoId: idLike.nullish() });

/** A supplier company profile as JAGGAER returns it. */
export interface Supplier {
  /** JAGGAER's company id. */
  bravoId: string;
  /** The ERP's supplier number (`extCode`). */
  supplierNumber?: string;
  /** Company name. */
  companyName?: string;
  /** `ACTIVE` or `INACTIVE`. */
  status?: string;
  /** Company type, e.g. `SELLER`. */
  type?: string;
  /** ERP number of the parent company (`parentExtCode`, UNCONFIRMED field name). */
  parentSupplierNumber?: string;
  /** JAGGAER id of the parent company (`parentBravoId`, UNCONFIRMED field name). */
  parentBravoId?: string;
  /** DUNS number (`dAndBCode`). */
  duns?: string;
  /** ISO 3166 alpha-2 country. */
  isoCountry?: string;
  /** City. */
  city?: string;
  /** Tax / fiscal code. */
  fiscalCode?: string;
  /** Business e-mail (`bizEmail`). */
  email?: string;
  /** Last modification as ISO 8601 (from `lastModTime`, read as UTC). */
  lastModified?: string;
  /** `returnCompanyInfo` as received, including fields this model does not name. */
  raw: Record<string, unknown>;
}

/** Maps a validated `returnCompanyData` entry to {@link Supplier}. */
export function toSupplier(entry: z.infer<typeof companyDataSchema>): Supplier {
  const c = entry.returnCompanyInfo;
  const out: Supplier = { bravoId: String(c.bravoId), raw: c as Record<string, unknown> };
  const set = <K extends keyof Supplier>(key: K, value: Supplier[K] | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  set('supplierNumber', toText(c.extCode) ?? toText(c.extUniqueCode));
  set('companyName', toText(c.companyName));
  set('status', toText(c.status));
  set('type', toText(c.type));
  set('parentSupplierNumber', toText(c.parentExtCode));
  set('parentBravoId', toText(c.parentBravoId));
  set('duns', toText(c.dAndBCode));
  set('isoCountry', toText(c.isoCountry));
  set('city', toText(c.city));
  set('fiscalCode', toText(c.fiscalCode));
  set('email', toText(c.bizEmail));
  set('lastModified', normaliseTimestamp(toText(c.lastModTime)));
  return out;
}
