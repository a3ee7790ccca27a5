import { InvalidInputError } from '@ml-connector/core';

/**
 * The URL paths the JAGGAER sandbox serves. J1P paths are provisioned per customer (the host and sometimes the
 * prefix differ: JAGGAER Advanced eSourcing tenants use `/esop/jint/api/public/ja/v1/…`), so both the emulator and
 * the client take this table instead of hard-coding paths. `{invoiceId}` is a placeholder for one path segment.
 */
export interface JaggaerPaths {
  /**
   * Keycloak client-credentials token endpoint. Confirmed (community: UCLALibrary/jaggaer-api `jaggaer_api_client.py`,
   * a second public TypeScript client).
   */
  token: string;
  /** One invoice, `GET`. Confirmed (UCLALibrary/jaggaer-api). Must contain `{invoiceId}`. */
  invoice: string;
  /**
   * Invoice list, `GET`. The response shape is confirmed (UCLALibrary/jaggaer-api `sample_data/invoice_list.json`);
   * the path without an id and the query parameters are UNCONFIRMED.
   */
  invoices: string;
  /** OCR / import of a supplier invoice, `POST`. Confirmed (UCLALibrary/jaggaer-api). */
  invoiceOcrImport: string;
  /** Payment status update, `PUT` or `PATCH`. UNCONFIRMED (follows the `ji/v1` pattern). Must contain `{invoiceId}`. */
  invoicePaymentStatus: string;
  /**
   * Supplier company profiles, `GET` (list) and `POST` (create/update). The `ja/v1/companyprofiles` resource, its
   * `start`/`flt`/`comp` parameters and the `{company:{operationCode, companyInfo}}` body are seen in public clients of
   * JAGGAER Advanced (Crown-Commercial-Service/ccs-scale-cat-service); that it is served under `/j1p/api/public/` is
   * seen in one public TypeScript client. The ERP-parent reference (`parentExtCode`) is UNCONFIRMED.
   */
  companyProfiles: string;
  /** Chart-of-accounts coding values (GL accounts, dimension segments), `GET`/`POST`. UNCONFIRMED (pattern-following). */
  codingValues: string;
  /** Purchase orders pushed from the ERP, `GET`/`POST`. UNCONFIRMED (pattern-following). */
  purchaseOrders: string;
}

/** Default path table; see each field of {@link JaggaerPaths} for what is confirmed and what is UNCONFIRMED. */
export const DEFAULT_JAGGAER_PATHS: Readonly<JaggaerPaths> = Object.freeze({
  token: '/auth/realms/J1p-integrations/protocol/openid-connect/token',
  invoice: '/j1p/api/public/ji/v1/invoices/{invoiceId}',
  invoices: '/j1p/api/public/ji/v1/invoices',
  invoiceOcrImport: '/j1p/api/public/ji/v1/invoices/ocr/',
  invoicePaymentStatus: '/j1p/api/public/ji/v1/invoices/{invoiceId}/paymentStatus',
  companyProfiles: '/j1p/api/public/ja/v1/companyprofiles',
  codingValues: '/j1p/api/public/ja/v1/codingvalues',
  purchaseOrders: '/j1p/api/public/ja/v1/purchaseorders',
});

/** A compiled path template. */
export interface PathMatcher {
  /** The template it was compiled from. */
  readonly template: string;
  /** The placeholder values when `pathname` matches, else `undefined`. */
  match(pathname: string): Record<string, string> | undefined;
}

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g;
const stripSlash = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);

/** Compiles a template like `/a/{invoiceId}/b`; a trailing slash is optional on both sides (J1P samples differ). */
export function compilePath(template: string): PathMatcher {
  const names: string[] = [];
  const source = stripSlash(template)
    .split(PLACEHOLDER)
    .map((part, i) => {
      if (i % 2 === 1) {
        names.push(part);
        return '([^/]+)';
      }
      return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
    })
    .join('');
  const regex = new RegExp(`^${source}$`);
  return {
    template,
    match(pathname) {
      const m = regex.exec(stripSlash(pathname));
      if (!m) return undefined;
      const params: Record<string, string> = {};
      names.forEach((name, i) => {
        params[name] = decodeURIComponent(m[i + 1] as string);
      });
      return params;
    },
  };
}

const REQUIRED_PLACEHOLDERS: Partial<Record<keyof JaggaerPaths, string>> = {
  invoice: '{invoiceId}',
  invoicePaymentStatus: '{invoiceId}',
};

/** Merges overrides into the defaults and checks every path; throws `InvalidInputError` on a bad table. */
export function resolveJaggaerPaths(overrides: Partial<JaggaerPaths> = {}): JaggaerPaths {
  const paths: JaggaerPaths = { ...DEFAULT_JAGGAER_PATHS };
  for (const [key, value] of Object.entries(overrides) as [keyof JaggaerPaths, unknown][]) {
    if (!(key in DEFAULT_JAGGAER_PATHS)) {
      throw new InvalidInputError(`paths.${String(key)} is not a JAGGAER path; known: ${Object.keys(DEFAULT_JAGGAER_PATHS).join(', ')}`, {
        field: `paths.${String(key)}`,
      });
    }
    if (value === undefined) continue;
    if (typeof value !== 'string' || !value.startsWith('/') || /[?#\s]/.test(value)) {
      throw new InvalidInputError(`paths.${key} must be an absolute path without query or spaces, e.g. "${DEFAULT_JAGGAER_PATHS[key]}"`, {
        field: `paths.${key}`,
      });
    }
    paths[key] = value;
  }
  for (const [key, placeholder] of Object.entries(REQUIRED_PLACEHOLDERS) as [keyof JaggaerPaths, string][]) {
    if (!paths[key].includes(placeholder)) {
      throw new InvalidInputError(`paths.${key} must contain ${placeholder}, e.g. "${DEFAULT_JAGGAER_PATHS[key]}"`, { field: `paths.${key}` });
    }
  }
  return paths;
}
