import type { BusinessCentralClientOptions } from '@ml-connector/business-central';
import {
  SANDBOX_CLIENT_ID as BC_CLIENT_ID,
  SANDBOX_CLIENT_SECRET as BC_CLIENT_SECRET,
  createBusinessCentralSandbox,
  type BusinessCentralSandbox,
  type BusinessCentralSandboxOptions,
  type BusinessCentralSeed,
} from '@ml-connector/business-central/testing';
import type { FetchHandler } from '@ml-connector/core/testing';
import type { FinanceOperationsClientOptions } from '@ml-connector/d365-fo';
import {
  FO_SANDBOX_CLIENT_ID,
  FO_SANDBOX_CLIENT_SECRET,
  createFinanceOperationsSandbox,
  type FinanceOperationsSandbox,
  type FinanceOperationsSandboxOptions,
  type FinanceOperationsSnapshot,
} from '@ml-connector/d365-fo/testing';
import type { JaggaerClientOptions } from '@ml-connector/jaggaer-j1p';
import {
  SANDBOX_CLIENT_ID as JAGGAER_CLIENT_ID,
  SANDBOX_CLIENT_SECRET as JAGGAER_CLIENT_SECRET,
  createJaggaerSandbox,
  type JaggaerSandbox,
  type JaggaerSandboxOptions,
  type JaggaerSeed,
} from '@ml-connector/jaggaer-j1p/testing';
import type { JiraClientOptions } from '@ml-connector/jira';
import {
  SANDBOX_API_TOKEN as JIRA_API_TOKEN,
  SANDBOX_EMAIL as JIRA_EMAIL,
  createJiraSandbox,
  type JiraSandbox,
  type JiraSandboxOptions,
  type JiraSiteSeed,
} from '@ml-connector/jira/testing';
import type { NavClientOptions } from '@ml-connector/nav';
import { NAV_SANDBOX_ACCESS_KEY, NAV_SANDBOX_USER, createNavSandbox, type NavSandbox, type NavSandboxOptions, type NavSeed } from '@ml-connector/nav/testing';
import type { OracleFusionClientOptions } from '@ml-connector/oracle-fusion';
import {
  ORACLE_SANDBOX_CLIENT_ID,
  ORACLE_SANDBOX_CLIENT_SECRET,
  createOracleFusionSandbox,
  type OracleFusionData,
  type OracleFusionSandbox,
  type OracleFusionSandboxOptions,
} from '@ml-connector/oracle-fusion/testing';

/** The systems the emulators serve, as the keys of {@link EmulatorClientOptions}. */
export type EmulatorSystem = 'businessCentral' | 'jaggaer' | 'd365fo' | 'nav' | 'oracleFusion' | 'jira';

/** Every system, in port order. */
export const EMULATOR_SYSTEMS: readonly EmulatorSystem[] = Object.freeze(['businessCentral', 'jaggaer', 'd365fo', 'nav', 'oracleFusion', 'jira']);

/** Default ports on 127.0.0.1: the block 4010–4015, one per system in {@link EMULATOR_SYSTEMS} order. */
export const DEFAULT_EMULATOR_PORTS: Readonly<Record<EmulatorSystem, number>> = Object.freeze({
  businessCentral: 4010,
  jaggaer: 4011,
  d365fo: 4012,
  nav: 4013,
  oracleFusion: 4014,
  jira: 4015,
});

/**
 * Per system, the options its client factory accepts as they are (JSON-serialisable: URLs of the loopback server,
 * tenant, sandbox credentials, `allowLoopback: true`): `createBusinessCentralClient`, `createJaggaerClient`,
 * `createFinanceOperationsClient`, `createNavClient`, `createOracleFusionClient`, `connectJira`.
 */
export interface EmulatorClientOptions {
  /** For `createBusinessCentralClient` (`@ml-connector/business-central`). */
  businessCentral: BusinessCentralClientOptions;
  /** For `createJaggaerClient` (`@ml-connector/jaggaer-j1p`). */
  jaggaer: JaggaerClientOptions;
  /** For `createFinanceOperationsClient` (`@ml-connector/d365-fo`). */
  d365fo: FinanceOperationsClientOptions;
  /** For `createNavClient` (`@ml-connector/nav`), on-premises OData v4 with Basic auth. */
  nav: NavClientOptions;
  /** For `createOracleFusionClient` (`@ml-connector/oracle-fusion`). */
  oracleFusion: OracleFusionClientOptions;
  /** For `connectJira` (`@ml-connector/jira`), API-token auth on the emulated site `acme`. */
  jira: JiraClientOptions;
}

/** The sandbox object of each system (from each package's `./testing`). */
export interface EmulatorSandboxes {
  /** Business Central. */
  businessCentral: BusinessCentralSandbox;
  /** JAGGAER ONE. */
  jaggaer: JaggaerSandbox;
  /** Dynamics 365 Finance & Operations. */
  d365fo: FinanceOperationsSandbox;
  /** Dynamics NAV. */
  nav: NavSandbox;
  /** Oracle Fusion Cloud ERP. */
  oracleFusion: OracleFusionSandbox;
  /** Jira Cloud. */
  jira: JiraSandbox;
}

/**
 * Options passed through to each system's sandbox factory, without the data option (the emulators load persisted
 * state into it). E.g. `{ businessCentral: { limits: { requestsPerWindow: 600, windowMs: 10_000 } } }`.
 */
export interface EmulatorSandboxOptions {
  /** `createBusinessCentralSandbox` options. */
  businessCentral?: Omit<BusinessCentralSandboxOptions, 'data'>;
  /** `createJaggaerSandbox` options. */
  jaggaer?: Omit<JaggaerSandboxOptions, 'data'>;
  /** `createFinanceOperationsSandbox` options. */
  d365fo?: Omit<FinanceOperationsSandboxOptions, 'data'>;
  /** `createNavSandbox` options. */
  nav?: Omit<NavSandboxOptions, 'data'>;
  /** `createOracleFusionSandbox` options. */
  oracleFusion?: Omit<OracleFusionSandboxOptions, 'data'>;
  /** `createJiraSandbox` options (`sites` is the seed when there is no saved state). */
  jira?: JiraSandboxOptions;
}

/** How the emulators drive one system's sandbox. */
export interface SystemAdapter<S extends EmulatorSystem> {
  /** A sandbox from its options and, when there is saved state, that state. */
  create(options: EmulatorSandboxOptions[S], state: unknown): EmulatorSandboxes[S];
  /** The sandbox's state as JSON-serialisable data `create` accepts back. */
  snapshot(sandbox: EmulatorSandboxes[S]): unknown;
  /** The fetch-style handler to serve. */
  handler(sandbox: EmulatorSandboxes[S]): FetchHandler;
  /** The client factory's options for the sandbox served at `url`. */
  clientOptions(sandbox: EmulatorSandboxes[S], url: string): EmulatorClientOptions[S];
  /** Stops timers the sandbox keeps. */
  close?(sandbox: EmulatorSandboxes[S]): void;
}

/** The adapters, by system. */
export const ADAPTERS: { readonly [S in EmulatorSystem]: SystemAdapter<S> } = {
  businessCentral: {
    create: (options, state) => createBusinessCentralSandbox({ ...options, ...(state ? { data: state as BusinessCentralSeed } : {}) }),
    snapshot: (sandbox) => sandbox.snapshot(),
    handler: (sandbox) => sandbox.handle,
    clientOptions: (sandbox, url) => ({
      tenantId: sandbox.tenantId,
      environment: sandbox.environment,
      credentials: { clientId: BC_CLIENT_ID, clientSecret: BC_CLIENT_SECRET },
      apiHost: url,
      authorityHost: url,
      allowLoopback: true,
    }),
    close: (sandbox) => sandbox.close(),
  },
  jaggaer: {
    create: (options, state) => createJaggaerSandbox({ ...options, ...(state ? { data: state as JaggaerSeed } : {}) }),
    snapshot: (sandbox) => sandbox.snapshot(),
    handler: (sandbox) => sandbox.handle,
    clientOptions: (_sandbox, url) => ({ host: url, clientId: JAGGAER_CLIENT_ID, clientSecret: JAGGAER_CLIENT_SECRET, allowLoopback: true }),
  },
  d365fo: {
    create: (options, state) => createFinanceOperationsSandbox({ ...options, ...(state ? { data: state as FinanceOperationsSnapshot } : {}) }),
    snapshot: (sandbox) => sandbox.snapshot(),
    handler: (sandbox) => sandbox.handle,
    clientOptions: (sandbox, url) => ({
      environmentUrl: sandbox.environmentUrl(url),
      tenantId: sandbox.tenantId,
      credentials: { clientId: FO_SANDBOX_CLIENT_ID, clientSecret: FO_SANDBOX_CLIENT_SECRET },
      authorityHost: sandbox.authorityHost(url),
      defaultLegalEntity: 'usmf',
      allowLoopback: true,
    }),
  },
  nav: {
    create: (options, state) => createNavSandbox({ ...options, ...(state ? { data: state as NavSeed } : {}) }),
    snapshot: (sandbox) => sandbox.snapshot(),
    handler: (sandbox) => sandbox.handle,
    clientOptions: (sandbox, url) => ({
      url: sandbox.url({ origin: url }),
      auth: { kind: 'basic', username: NAV_SANDBOX_USER, password: NAV_SANDBOX_ACCESS_KEY },
      apiUrl: sandbox.apiUrl(url),
      allowLoopback: true,
    }),
  },
  oracleFusion: {
    create: (options, state) => createOracleFusionSandbox({ ...options, ...(state ? { data: state as OracleFusionData } : {}) }),
    snapshot: (sandbox) => sandbox.snapshot(),
    handler: (sandbox) => sandbox.handle,
    clientOptions: (sandbox, url) => ({
      host: url,
      identityDomainUrl: url,
      scope: sandbox.scope,
      credentials: { clientId: ORACLE_SANDBOX_CLIENT_ID, clientSecret: ORACLE_SANDBOX_CLIENT_SECRET },
      allowLoopback: true,
    }),
  },
  jira: {
    create: (options, state) => createJiraSandbox({ ...options, ...(state ? { sites: state as JiraSiteSeed[] } : {}) }),
    snapshot: (sandbox) => sandbox.snapshot(),
    handler: (sandbox) => sandbox.handle,
    clientOptions: (sandbox, url) => ({
      auth: { kind: 'api-token', siteUrl: sandbox.siteUrl(undefined, url), email: JIRA_EMAIL, apiToken: JIRA_API_TOKEN },
      apiHost: sandbox.apiHost(url),
      authHost: sandbox.authHost(url),
      allowLoopback: true,
    }),
  },
};
