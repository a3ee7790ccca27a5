/**
 * The master-data flows: Business Central vendors, posting G/L accounts and dimension values into JAGGAER
 * (suppliers and read-only coding values). One flow per BC entity, each with its own checkpoint, ledger and audit.
 */
import type { Account, AccountFields, BusinessCentralCompany, DimensionValue, DimensionValueFields, Vendor, VendorBlocked, VendorFields } from '@ml-connector/business-central';
import type { JaggaerClient } from '@ml-connector/jaggaer-j1p';
import { DataError, type ReadContext, type SyncFlow } from '@ml-connector/core/sync';
import { createBcDeltaSource } from './delta-source.ts';
import { type CodingValuePayload, type SupplierPayload, createCodingValueTarget, createSupplierTarget } from './targets.ts';

/** The BC entities this example moves, in the order a run takes them. */
export const MASTER_DATA_ENTITIES = ['vendors', 'accounts', 'dimensionValues'] as const;
/** One of {@link MASTER_DATA_ENTITIES}. */
export type MasterDataEntity = (typeof MASTER_DATA_ENTITIES)[number];

/** Flow names (they key ledger, checkpoints and audit). */
export const MASTER_DATA_FLOW_NAMES: Readonly<Record<MasterDataEntity, string>> = Object.freeze({
  vendors: 'bc-master-data.vendors',
  accounts: 'bc-master-data.accounts',
  dimensionValues: 'bc-master-data.dimension-values',
});

/** Default crosswalk BC dimension code → JAGGAER coding segment (the sandboxes' DEPARTMENT and PROJECT). */
export const DEFAULT_DIMENSION_SEGMENTS: Readonly<Record<string, string>> = Object.freeze({ DEPARTMENT: 'department', PROJECT: 'project' });

/** Options of {@link createMasterDataFlows}. */
export interface MasterDataFlowOptions {
  /** BC company to read from. */
  readonly company: BusinessCentralCompany;
  /** JAGGAER client to write to. */
  readonly jaggaer: JaggaerClient;
  /** BC dimension code → JAGGAER segment. Dimensions not listed are not moved. Default {@link DEFAULT_DIMENSION_SEGMENTS}. */
  readonly dimensionSegments?: Readonly<Record<string, string>>;
  /** JAGGAER segment of G/L accounts. Default `account`. */
  readonly accountSegment?: string;
  /**
   * Vendor `blocked` values that make the supplier INACTIVE. Default `['All']`: a vendor blocked for `Payment`
   * still takes invoices in BC, so it stays ACTIVE in JAGGAER (add `'Payment'` to stop those too).
   */
  readonly inactiveWhenBlocked?: readonly VendorBlocked[];
  /** Cursor look-back (late commits). Default 5 minutes. */
  readonly lookBackMs?: number;
  /** Records per page. Default 200. */
  readonly pageSize?: number;
}

/** The three flows, by entity. */
export type MasterDataFlows = {
  readonly vendors: SyncFlow<Vendor, SupplierPayload>;
  readonly accounts: SyncFlow<Account, CodingValuePayload>;
  readonly dimensionValues: SyncFlow<DimensionValueWithCode, CodingValuePayload>;
};

/** A dimension value with the code of its dimension (BC gives only `dimensionId`). */
export type DimensionValueWithCode = DimensionValue & { readonly dimensionCode: string };

const ISO_COUNTRY = /^[A-Z]{2}$/;

/** Maps a BC vendor to a JAGGAER supplier. @throws DataError `invalid-country` for a country code JAGGAER cannot take. */
export function vendorToSupplier(vendor: Vendor, inactiveWhenBlocked: readonly string[] = ['All']): SupplierPayload {
  const country = (vendor.country ?? '').trim().toUpperCase();
  if (country !== '' && !ISO_COUNTRY.test(country)) {
    throw new DataError('invalid-country', `Vendor ${vendor.number} has country/region code "${vendor.country}"; JAGGAER needs an ISO 3166 alpha-2 code. Fix the vendor in Business Central.`, {
      field: 'country',
    });
  }
  const text = (value: string | undefined) => (value !== undefined && value.trim() !== '' ? value.trim() : undefined);
  const optional = {
    isoCountry: country || undefined,
    city: text(vendor.city),
    fiscalCode: text(vendor.taxRegistrationNumber),
    email: text(vendor.email),
  };
  return {
    supplierNumber: vendor.number,
    companyName: vendor.displayName,
    status: inactiveWhenBlocked.includes(vendor.blocked) ? 'INACTIVE' : 'ACTIVE',
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
  };
}

/** Maps a BC posting G/L account to a JAGGAER coding value: inactive when blocked or closed to direct posting. */
export function accountToCodingValue(account: Account, segment = 'account'): CodingValuePayload {
  return {
    segment,
    code: account.number,
    description: account.displayName,
    active: account.blocked !== true && account.directPosting !== false,
  };
}

/** Creates the three flows over one BC company and one JAGGAER tenant. */
export function createMasterDataFlows(options: MasterDataFlowOptions): MasterDataFlows {
  const { company, jaggaer } = options;
  const dimensionSegments = options.dimensionSegments ?? DEFAULT_DIMENSION_SEGMENTS;
  const accountSegment = options.accountSegment ?? 'account';
  const inactiveWhenBlocked = options.inactiveWhenBlocked ?? ['All'];
  const common = { ...(options.lookBackMs !== undefined ? { lookBackMs: options.lookBackMs } : {}), ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}) };
  const suppliers = createSupplierTarget(jaggaer);
  const codingValues = createCodingValueTarget(jaggaer);

  // Dimension id → code, read once and again (at most once per page) when an unknown id turns up.
  let dimensionCodes = new Map<string, string>();
  const readDimensions = async (context: ReadContext) => {
    const codes = new Map<string, string>();
    for await (const dimension of company.dimensions.list({ signal: context.signal })) codes.set(dimension.id, dimension.code);
    dimensionCodes = codes;
  };
  const withDimensionCodes = async (values: readonly DimensionValue[], context: ReadContext): Promise<DimensionValueWithCode[]> => {
    if (values.some((value) => value.dimensionId !== undefined && !dimensionCodes.has(value.dimensionId))) await readDimensions(context);
    const out: DimensionValueWithCode[] = [];
    for (const value of values) {
      const code = value.dimensionId === undefined ? undefined : dimensionCodes.get(value.dimensionId);
      // Dimensions without a segment in the crosswalk are not JAGGAER's business: not records of this flow.
      if (code !== undefined && Object.hasOwn(dimensionSegments, code)) out.push({ ...value, dimensionCode: code });
    }
    return out;
  };

  return {
    vendors: {
      name: MASTER_DATA_FLOW_NAMES.vendors,
      source: {
        ...createBcDeltaSource<VendorFields>('business-central', { stream: 'vendors', entitySet: company.vendors, ...common }),
        identify: (vendor) => ({ id: vendor.id, version: vendor.lastModifiedDateTime, businessIds: [vendor.number] }),
      },
      map: (vendor) => vendorToSupplier(vendor, inactiveWhenBlocked),
      target: suppliers,
      mappingVersion: `vendors:v1;inactive=${inactiveWhenBlocked.join('|')}`,
    },
    accounts: {
      name: MASTER_DATA_FLOW_NAMES.accounts,
      source: {
        ...createBcDeltaSource<AccountFields>('business-central', {
          stream: 'accounts',
          entitySet: company.accounts,
          // Only posting accounts can be coded on an invoice line; headings and totals are not coding values.
          filter: (f) => f.eq('accountType', 'Posting'),
          selection: { accountType: 'Posting' },
          ...common,
        }),
        identify: (account) => ({ id: account.id, version: account.lastModifiedDateTime, businessIds: [account.number] }),
      },
      map: (account) => accountToCodingValue(account, accountSegment),
      target: codingValues,
      mappingVersion: `accounts:v1;segment=${accountSegment}`,
    },
    dimensionValues: {
      name: MASTER_DATA_FLOW_NAMES.dimensionValues,
      source: {
        ...createBcDeltaSource<DimensionValueFields, DimensionValueWithCode>('business-central', {
          stream: 'dimensionValues',
          entitySet: company.dimensionValues,
          selection: { dimensionSegments },
          select: withDimensionCodes,
          ...common,
        }),
        identify: (value) => ({ id: value.id, version: value.lastModifiedDateTime, businessIds: [`${value.dimensionCode}/${value.code}`, value.code] }),
      },
      map: (value) => {
        const segment = dimensionSegments[value.dimensionCode];
        if (segment === undefined) {
          throw new DataError('missing-mapping', `Dimension ${value.dimensionCode} has no JAGGAER segment; add it to the dimension crosswalk`, { field: 'dimensionCode' });
        }
        return { segment, code: value.code, description: value.displayName, active: true };
      },
      target: codingValues,
      mappingVersion: `dimensionValues:v1;${Object.entries(dimensionSegments)
        .map(([k, v]) => `${k}=${v}`)
        .join(',')}`,
    },
  };
}
