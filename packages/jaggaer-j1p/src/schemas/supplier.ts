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
  bizPhone: z.string().nullish(),
  userName: z.string().nullish(),
  userSurName: z.string().nullish(),
  userEmail: z.string().nullish(),
  userPhone: z.string().nullish(),
  userMobPhone: z.string().nullish(),
  lastModTime: z.string().nullish(),
  parentExtCode: z.string().nullish(),
  parentBravoId: idLike.nullish(),
});

/** Wire shape of one `subUser` of `returnSubUser` (sent when the list asks for `comp=USER`). */
export const subUserSchema = z.looseObject({
  name: z.string().nullish(),
  surname: z.string().nullish(),
  surName: z.string().nullish(),
  email: z.string().nullish(),
  login: z.string().nullish(),
  userId: idLike.nullish(),
  phoneNumber: z.string().nullish(),
  mobilePhoneNumber: z.string().nullish(),
});

/** Wire shape of one `returnCompanyData` entry: `{returnCompanyInfo:{…}, returnSubUser?:{subUser:[…]}}`. */
export const companyDataSchema = z.looseObject({
  returnCompanyInfo: companyInfoSchema,
  returnSubUser: z.looseObject({ subUser: listOf(subUserSchema) }).nullish(),
});

/** Wire shape of the company-profile list. */
export const companyListResponseSchema = pagedEnvelopeSchema.extend({ returnCompanyData: listOf(companyDataSchema) });

/** Wire shape of the create/update answer (`bravoId` as the sandbox sends it; UNCONFIRMED for J1P). */
export const companyUpsertResponseSchema = envelopeSchema.extend({ bravoId: idLike.nullish() });

/**
 * A person of a supplier company. The profile's main contact is its super user (`companyInfo.userName`,
 * `userSurName`, `userEmail`, `userPhone`); further contacts are its sub users (`returnSubUser.subUser`), as public
 * JAGGAER Advanced integrations read them (`companyprofiles?comp=USER`). That `userName` is the first name and not
 * the login (`userAlias`) is UNCONFIRMED.
 */
export interface SupplierContact {
  /** First name (`userName` of the super user, `name` of a sub user). */
  firstName?: string;
  /** Last name (`userSurName`, `surname`). */
  lastName?: string;
  /** E-mail (`userEmail`, `email`). */
  email?: string;
  /** Phone (`userPhone`, `phoneNumber`). */
  phone?: string;
  /** Mobile phone (`userMobPhone`, `mobilePhoneNumber`). */
  mobilePhone?: string;
  /** Sub users only: JAGGAER's user id. */
  userId?: string;
  /** Sub users only: login. */
  login?: string;
}

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
  /** Business phone (`bizPhone`). */
  phone?: string;
  /** The profile's main contact: its super user (`userName`, `userSurName`, `userEmail`, `userPhone`), when any is set. */
  primaryContact?: SupplierContact;
  /** Sub users (`returnSubUser.subUser`); present only when the list asked for them (`includeContacts`). */
  contacts?: SupplierContact[];
  /**
   * Payment terms code, read from the `companyInfo` field named by the client's `supplierPaymentTermsField`
   * (default `paymentTermsCode`). UNCONFIRMED: no public sample shows payment terms on a company profile; the codes
   * are those of invoice `terms.standardPaymentTermsCode` (e.g. `Net 30`).
   */
  paymentTermsCode?: string;
  /** Last modification as ISO 8601 (from `lastModTime`, read as UTC). */
  lastModified?: string;
  /** `returnCompanyInfo` as received, including fields this model does not name. */
  raw: Record<string, unknown>;
}

/** Default `companyInfo` field holding a supplier's payment terms (UNCONFIRMED). */
export const DEFAULT_SUPPLIER_PAYMENT_TERMS_FIELD = 'paymentTermsCode';

const contactOf = (fields: Record<keyof SupplierContact, unknown>): SupplierContact | undefined => {
  const out: SupplierContact = {};
  for (const [key, value] of Object.entries(fields)) {
    const text = toText(value);
    if (text !== undefined && text !== '') out[key as keyof SupplierContact] = text;
  }
  return Object.keys(out).length > 0 ? out : undefined;
};

/** Maps a validated `returnCompanyData` entry to {@link Supplier}. */
export function toSupplier(entry: z.infer<typeof companyDataSchema>, paymentTermsField: string = DEFAULT_SUPPLIER_PAYMENT_TERMS_FIELD): Supplier {
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
  set('phone', toText(c.bizPhone));
  set(
    'primaryContact',
    contactOf({ firstName: c.userName, lastName: c.userSurName, email: c.userEmail, phone: c.userPhone, mobilePhone: c.userMobPhone, userId: undefined, login: undefined }),
  );
  if (entry.returnSubUser) {
    out.contacts = entry.returnSubUser.subUser.flatMap((u) => {
      const contact = contactOf({
        firstName: u.name, lastName: u.surname ?? u.surName, email: u.email, phone: u.phoneNumber, mobilePhone: u.mobilePhoneNumber, userId: u.userId, login: u.login,
      });
      return contact ? [contact] : [];
    });
  }
  set('paymentTermsCode', toText((c as Record<string, unknown>)[paymentTermsField]));
  set('lastModified', normaliseTimestamp(toText(c.lastModTime)));
  return out;
}
