/**
 * Dynamics NAV ⇄ JAGGAER connections for the NAV examples: real instances when the environment configures both
 * (`NAV_*` and `JAGGAER_*`, see `examples/.env.example`), otherwise the running `pnpm emulators` or emulators started
 * here on the same persisted state.
 */
import { isLoopbackUrl, type Env, type NavEnvironment } from '@ml-connector/cli';
import { InvalidInputError } from '@ml-connector/core';
import type { JaggaerClient } from '@ml-connector/jaggaer-j1p';
import { createNavClient, type NavClient, type NavClientOptions } from '@ml-connector/nav';
import { loadDotEnv, loadExampleEnvironment, type ExampleEnvironment } from '../shared/config.ts';
import { JAGGAER_SYSTEM } from '../shared/connections.ts';
import { connectSystems, type ConnectedSystems, type ConnectOptions, type ExampleSystem } from '../shared/systems.ts';

export type { NavEnvironment };

/** The NAV examples' environment (`nav` and `jaggaer` set for real systems). */
export type NavExampleEnvironment = ExampleEnvironment;

/**
 * The NAV examples' environment: state paths, vault key, Dynamics NAV and JAGGAER (Business Central variables are
 * ignored). Both systems or neither: a mix is refused with a message naming what is missing.
 */
export function loadNavExampleEnvironment(env: Env = loadDotEnv(), cwd: string = process.cwd()): NavExampleEnvironment {
  return loadExampleEnvironment(env, cwd, ['nav', 'jaggaer']);
}

/** Parses `NAV_SERVICES` (the client's `services` option as JSON). */
function parseServices(text: string | undefined): NavClientOptions['services'] | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as NavClientOptions['services'];
  } catch {
    throw new InvalidInputError('NAV_SERVICES must be a JSON object like {"vendors":{"entitySet":"VendorCard"}} (the client\'s services option)', { field: 'NAV_SERVICES' });
  }
}

/** Dynamics NAV / Business Central on-premises (`NAV_*`): a user with its web service access key, or an Entra app. */
export const NAV_SYSTEM: ExampleSystem<'nav', 'nav', NavClient> = {
  key: 'nav',
  emulator: 'nav',
  secret: (nav) => (nav.clientId ? { value: nav.clientSecret, variable: 'NAV_CLIENT_SECRET' } : { value: nav.password, variable: 'NAV_PASSWORD' }),
  tenantOptions: async (nav, source) => {
    // Basic auth takes the access key itself: a vault secret is read once here.
    const secret = typeof source === 'function' ? await source() : source;
    const services = parseServices(nav.services);
    return {
      url: nav.url,
      ...(isLoopbackUrl(nav.url) ? { allowLoopback: true } : {}),
      auth: nav.clientId
        ? { kind: 'oauth', clientId: nav.clientId, clientSecret: secret, ...(nav.tenantId ? { tenantId: nav.tenantId } : {}), ...(nav.scope ? { scope: nav.scope } : {}) }
        : { kind: 'basic', username: nav.username!, password: secret },
      ...(services ? { services } : {}),
    };
  },
  describe: (nav) => `Dynamics NAV ${new URL(nav.url).host}`,
  tuning: (options) => options.navOptions,
  create: createNavClient,
};

/** Dynamics NAV and JAGGAER, connected, with a request counter for the summary. */
export interface NavExampleConnections extends ConnectedSystems {
  readonly nav: NavClient;
  readonly jaggaer: JaggaerClient;
}

/** Options of {@link connectNavExample}: the shared ones (NAV's tuning is `navOptions`). */
export type NavConnectOptions = ConnectOptions;

/**
 * Connects Dynamics NAV and JAGGAER: the instances the environment configures (`NAV_*`, `JAGGAER_*`), or else the
 * running `pnpm emulators`, or NAV and JAGGAER emulators started here on the same persisted state. Nothing else:
 * the caller checks NAV's `$metadata` (`nav.connect()`) before any data moves.
 */
export function connectNavExample(env: NavExampleEnvironment, options: NavConnectOptions = {}): Promise<NavExampleConnections> {
  return connectSystems(env, { nav: NAV_SYSTEM, jaggaer: JAGGAER_SYSTEM }, options);
}
