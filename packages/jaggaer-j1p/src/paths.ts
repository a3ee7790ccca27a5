import { InvalidInputError } from '@ml-connector/core';
import { mergeOverrides } from './overrides.js';

/**
 * The URL paths of the JAGGAER ONE (J1P) public API the client calls, relative to the tenant host.
 *
 * J1P paths are provisioned per customer at onboarding (the host always differs, and some tenants use another
 * prefix, e.g. JAGGAER Advanced eSourcing's `/esop/jint/api/public/ja/v1/…`), so every path can be overridden with
 * the client's `paths` option. Each field says whether its default is **confirmed** by public samples or
 * **UNCONFIRMED** (it follows the documented `/j1p/api/public/{module}/v1/…` pattern). Placeholders such as
 * `{invoiceId}` stand for one URL-encoded path segment.
 *
 * This table is the canonical one: the emulator under `./testing` serves the same defaults.
 */
export interface JaggaerPaths {
  /**
   * Keycloak client-credentials token endpoint of realm `J1p-integrations`, `POST`.
   * **Confirmed** (community: UCLALibrary/jaggaer-api `jaggaer_api_client.py`; a second public TypeScript client).
   */
  token: string;
  /** One invoice with header and lines, `GET`. **Confirmed** (UCLALibrary/jaggaer-api). Must contain `{invoiceId}`. */
  invoice: string;
  /**
   * Invoice list, `GET`, paged with `startAt`/`totRecords`. The response shape is **confirmed** (UCLALibrary/jaggaer-api
   * `sample_data`); the path without an id and the query parameter names are **UNCONFIRMED**.
   */
  invoices: string;
  /** OCR / import of a supplier invoice, `POST`. **Confirmed** (UCLALibrary/jaggaer-api `sample_invoice_post.txt`). */
  invoiceOcrImport: string;
  /** Payment-status update, `PUT`. **UNCONFIRMED** (follows the `ji/v1` pattern). Must contain `{invoiceId}`. */
  invoicePaymentStatus: string;
  /**
   * Supplier company profiles, `GET` (list, `start`/`flt`/`comp`) and `POST` (create/update).
   * **Confirmed** as `ja/v1/companyprofiles` in public JAGGAER clients; the parent reference `parentExtCode` is UNCONFIRMED.
   */
  companyProfiles: string;
  /** Chart-of-accounts coding values (GL accounts, dimension segments), `GET`/`POST`. **UNCONFIRMED**. */
  codingValues: string;
  /** Purchase orders pushed from the ERP, `GET`/`POST`. **UNCONFIRMED**. */
  purchaseOrders: string;
  /** Catalog items maintained by the ERP (released products), `GET`/`POST`. **UNCONFIRMED**. */
  catalogItems: string;
}

/**
 * Default {@link JaggaerPaths}. Confirmed by public samples: `token`, `invoice` (ji/v1 GET), `invoiceOcrImport` (OCR POST)
 * and `companyProfiles` (ja/v1). UNCONFIRMED (pattern-following): `invoices` (list), `invoicePaymentStatus`,
 * `codingValues`, `purchaseOrders` and `catalogItems`. Ask JAGGAER for your tenant's paths at onboarding and override as needed.
 */
export const DEFAULT_JAGGAER_PATHS: Readonly<JaggaerPaths> = Object.freeze({
  token: '/auth/realms/J1p-integrations/protocol/openid-connect/token',
  invoice: '/j1p/api/public/ji/v1/invoices/{invoiceId}',
  invoices: '/j1p/api/public/ji/v1/invoices',
  invoiceOcrImport: '/j1p/api/public/ji/v1/invoices/ocr/',
  invoicePaymentStatus: '/j1p/api/public/ji/v1/invoices/{invoiceId}/paymentStatus',
  companyProfiles: '/j1p/api/public/ja/v1/companyprofiles',
  codingValues: '/j1p/api/public/ja/v1/codingvalues',
  purchaseOrders: '/j1p/api/public/ja/v1/purchaseorders',
  catalogItems: '/j1p/api/public/ja/v1/catalogitems',
});

/** The Keycloak realm of the default token path. */
export const DEFAULT_JAGGAER_REALM = 'J1p-integrations';

/**
 * Where Keycloak serves its endpoints. `legacy`: under `/auth` (`/auth/realms/{realm}/…`, Keycloak 16 and older and
 * the path public J1P clients use, so the default). `modern`: without it (`/realms/{realm}/…`, Keycloak 17 and later
 * unless the tenant keeps the legacy context path). Which one a tenant runs is UNCONFIRMED; ask JAGGAER.
 */
export type KeycloakLayout = 'legacy' | 'modern';

/** The client-credentials token path of `realm` in the given {@link KeycloakLayout}. */
export function keycloakTokenPath(realm: string, layout: KeycloakLayout = 'legacy'): string {
  return `${layout === 'legacy' ? '/auth' : ''}/realms/${encodeURIComponent(realm)}/protocol/openid-connect/token`;
}

/**
 * The same Keycloak path in both layouts (`{legacy, modern}`), or `undefined` for a path that is not a Keycloak
 * `/realms/…` path (a custom token path is then served as given).
 */
export function keycloakPathLayouts(path: string): Record<KeycloakLayout, string> | undefined {
  const m = /^(\/auth)?(\/realms\/[^/]+\/.+)$/.exec(path);
  return m ? { legacy: `/auth${m[2]}`, modern: m[2] as string } : undefined;
}

const REQUIRED_PLACEHOLDERS: Partial<Record<keyof JaggaerPaths, string>> = {
  invoice: '{invoiceId}',
  invoicePaymentStatus: '{invoiceId}',
};

/**
 * Merges `overrides` over {@link DEFAULT_JAGGAER_PATHS} and checks every path: absolute (`/…`), no query, fragment or
 * spaces, and the placeholders a path needs. Unknown keys are rejected so a typo cannot silently fall back to a default.
 *
 * @throws InvalidInputError naming `paths.<key>` and what to fix.
 */
export function resolveJaggaerPaths(overrides?: Partial<JaggaerPaths>): JaggaerPaths {
  const paths = mergeOverrides(DEFAULT_JAGGAER_PATHS as JaggaerPaths, overrides, 'paths', '{ invoices: "/j1p/api/public/ji/v1/invoices" }', (value, key) =>
    typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || /[?#\s]/.test(value)
      ? `must be an absolute path without query or spaces, e.g. "${DEFAULT_JAGGAER_PATHS[key as keyof JaggaerPaths]}"`
      : undefined,
  );
  for (const [key, placeholder] of Object.entries(REQUIRED_PLACEHOLDERS) as [keyof JaggaerPaths, string][]) {
    if (!paths[key].includes(placeholder)) {
      throw new InvalidInputError(`paths.${key} must contain ${placeholder}, e.g. "${DEFAULT_JAGGAER_PATHS[key]}"`, { field: `paths.${key}` });
    }
  }
  return paths;
}

/**
 * Fills the `{name}` placeholders of a path template with URL-encoded values.
 *
 * @throws InvalidInputError when a placeholder has no value.
 */
export function expandJaggaerPath(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{([A-Za-z][A-Za-z0-9]*)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined || value === '') {
      throw new InvalidInputError(`A value for {${name}} is required by the path "${template}"`, { field: name });
    }
    return encodeURIComponent(String(value));
  });
}
