/**
 * Dynamics NAV ⇄ JAGGAER connections for the NAV examples: real instances when the environment configures both
 * (`NAV_*` and `JAGGAER_*`, see `examples/.env.example`), otherwise the running `pnpm emulators` or emulators started
 * here on the same persisted state.
 */
import { join } from 'node:path';
import { loadConnectorEnvironment } from '@ml-connector/cli';
import { InvalidInputError, type Logger } from '@ml-connector/core';
import { findRunningEmulators, startEmulators } from '@ml-connector/emulators';
import { createJaggaerClient, type JaggaerClient, type JaggaerClientOptions } from '@ml-connector/jaggaer-j1p';
import { createNavClient, type NavClient, type NavClientOptions } from '@ml-connector/nav';
import { loadDotEnv, type ExampleEnvironment } from '../shared/config.ts';
import { countingFetch, isLoopbackUrl, type ConnectOptions } from '../shared/connections.ts';
import type { ConnectedSystems } from '../shared/run.ts';

/** Dynamics NAV / Business Central on-premises connection read from the environment (a real instance). */
export interface NavEnvironment {
  /** Full OData URL with the company: `https://nav.contoso.local:7048/DynamicsNAV110/ODataV4/Company('CRONUS')`. */
  readonly url: string;
  /** NavUserPassword user; with `password` (its web service access key). */
  readonly username?: string;
  /** Absent when kept in the vault (`nav/secret`). */
  readonly password?: string;
  /** Entra app for OAuth (instead of a user): client id, secret (or vault `nav/secret`), tenant, scope. */
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly tenantId?: string;
  readonly scope?: string;
  /** JSON of the client's `services` option (published page and field names of this instance). */
  readonly services?: string;
}

/** The examples' environment plus the NAV instance. */
export interface NavExampleEnvironment extends ExampleEnvironment {
  readonly nav?: NavEnvironment;
}

/** A loopback NAV URL (emulator or test): its path follows the port, so the shared host check does not fit. */
const loopbackUrl = (url: string): boolean => /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(url);

type Env = Readonly<Record<string, string | undefined>>;
const value = (env: Env, name: string): string | undefined => env[name]?.trim() || undefined;

/** Reads the `NAV_*` variables: a URL and either a user (Basic) or an Entra app (OAuth); all absent gives undefined. */
export function loadNavEnvironment(env: Env, secretsInVault = false): NavEnvironment | undefined {
  const names = {
    url: 'NAV_URL', username: 'NAV_USERNAME', password: 'NAV_PASSWORD', clientId: 'NAV_CLIENT_ID', clientSecret: 'NAV_CLIENT_SECRET',
    tenantId: 'NAV_TENANT_ID', scope: 'NAV_SCOPE', services: 'NAV_SERVICES',
  } as const;
  const read: Record<string, string> = {};
  for (const [key, name] of Object.entries(names)) {
    const found = value(env, name);
    if (found !== undefined) read[key] = found;
  }
  if (Object.keys(read).length === 0) return undefined;
  const missing: string[] = [];
  if (read['url'] === undefined) missing.push('NAV_URL');
  if (read['clientId'] !== undefined) {
    if (read['clientSecret'] === undefined && !secretsInVault) missing.push('NAV_CLIENT_SECRET');
    if (read['scope'] === undefined && !/businesscentral\.dynamics\.com/.test(read['url'] ?? '')) missing.push('NAV_SCOPE');
  } else {
    if (read['username'] === undefined) missing.push('NAV_USERNAME (or NAV_CLIENT_ID for Entra)');
    if (read['password'] === undefined && !secretsInVault) missing.push('NAV_PASSWORD');
  }
  if (missing.length > 0) {
    throw new InvalidInputError(
      `Dynamics NAV is partly configured (${Object.keys(read).map((key) => names[key as keyof typeof names]).join(', ')} set) but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing. ` +
        'Set them (see examples/.env.example), or unset every NAV_* variable to use the emulators.',
      { field: missing[0]!.split(' ')[0]! },
    );
  }
  return read as unknown as NavEnvironment;
}

/**
 * The NAV examples' environment: state paths, vault key and JAGGAER as for every example (Business Central variables
 * are ignored), plus Dynamics NAV. Both systems or neither: a mix is refused with a message naming what is missing.
 */
export function loadNavExampleEnvironment(env: Env = loadDotEnv(), cwd: string = process.cwd()): NavExampleEnvironment {
  // The CLI's loader reads JAGGAER on its own when no BC_* variable is given; it never pairs them.
  const base = loadConnectorEnvironment(Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('BC_'))), cwd);
  const nav = loadNavEnvironment(env, base.vaultKey !== undefined);
  if ((nav === undefined) !== (base.jaggaer === undefined)) {
    throw new InvalidInputError(
      `Only ${nav ? 'Dynamics NAV' : 'JAGGAER'} is configured. The examples run against real instances or against the emulators, not a mix: ` +
        `configure ${nav ? 'JAGGAER' : 'Dynamics NAV'} too (see examples/.env.example) or neither.`,
      { field: nav ? 'JAGGAER_HOST' : 'NAV_URL' },
    );
  }
  return { ...base, ...(nav ? { nav } : {}) };
}

/** Dynamics NAV and JAGGAER, connected, with a request counter for the summary. */
export interface NavExampleConnections extends ConnectedSystems {
  readonly nav: NavClient;
  readonly jaggaer: JaggaerClient;
}

/** Options of {@link connectNavExample}: the shared ones plus client tuning for NAV. */
export interface NavConnectOptions extends ConnectOptions {
  /** Extra NAV client options (retry, throttle, services). */
  readonly navOptions?: Partial<NavClientOptions>;
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

/**
 * Connects Dynamics NAV and JAGGAER: the instances the environment configures (`NAV_*`, `JAGGAER_*`), or else the
 * running `pnpm emulators`, or NAV and JAGGAER emulators started here on the same persisted state. Nothing else:
 * the caller checks NAV's `$metadata` (`nav.connect()`) before any data moves.
 */
export async function connectNavExample(env: NavExampleEnvironment, options: NavConnectOptions = {}): Promise<NavExampleConnections> {
  const counter = { count: 0 };
  let navOptions: NavClientOptions;
  let jaggaerOptions: JaggaerClientOptions;
  let description: string;
  let close = async () => {};
  if (env.nav && env.jaggaer) {
    const n = env.nav;
    const jg = env.jaggaer;
    const navSecret = (n.clientId ? n.clientSecret : n.password) ?? (options.secret ? await options.secret('nav') : undefined);
    const jgSecret = jg.clientSecret ?? (options.secret ? () => options.secret!('jaggaer') : undefined);
    if (!navSecret || !jgSecret) {
      throw new InvalidInputError('Secrets are neither in the environment nor in the vault: set NAV_PASSWORD (or NAV_CLIENT_SECRET) and JAGGAER_CLIENT_SECRET, or ML_CONNECTOR_VAULT_KEY.', {
        field: navSecret ? 'JAGGAER_CLIENT_SECRET' : n.clientId ? 'NAV_CLIENT_SECRET' : 'NAV_PASSWORD',
      });
    }
    const services = parseServices(n.services);
    navOptions = {
      url: n.url,
      ...(loopbackUrl(n.url) ? { allowLoopback: true } : {}),
      auth: n.clientId
        ? { kind: 'oauth', clientId: n.clientId, clientSecret: navSecret, ...(n.tenantId ? { tenantId: n.tenantId } : {}), ...(n.scope ? { scope: n.scope } : {}) }
        : { kind: 'basic', username: n.username!, password: navSecret },
      ...(services ? { services } : {}),
    };
    jaggaerOptions = {
      ...(isLoopbackUrl(jg.host) ? { allowLoopback: true } : {}),
      host: jg.host,
      clientId: jg.clientId,
      clientSecret: jgSecret,
      ...(jg.realm ? { realm: jg.realm } : {}),
      ...(jg.tokenUrl ? { tokenUrl: jg.tokenUrl } : {}),
    };
    description = `Dynamics NAV ${new URL(n.url).host} and JAGGAER ${jg.host}`;
  } else {
    const stateDir = join(env.stateDir, 'emulators');
    const running = await findRunningEmulators({ stateDir });
    if (running?.clients.nav && running.clients.jaggaer) {
      navOptions = running.clients.nav;
      jaggaerOptions = running.clients.jaggaer;
      description = `running emulators (pid ${running.pid}: NAV ${running.urls.nav}, JAGGAER ${running.urls.jaggaer})`;
    } else {
      const started = await startEmulators({ systems: ['jaggaer', 'nav'], ports: { jaggaer: 0, nav: 0 }, stateDir, reset: options.reset ?? false });
      if (!started.clients.nav || !started.clients.jaggaer) {
        await started.close();
        throw new Error('the emulators did not start NAV and JAGGAER');
      }
      navOptions = started.clients.nav;
      jaggaerOptions = started.clients.jaggaer;
      description = `emulators started here on ${stateDir} (NAV ${started.urls.nav}, JAGGAER ${started.urls.jaggaer}); run \`pnpm emulators\` to keep them up`;
      close = () => started.close();
    }
  }
  const logger: { logger?: Logger } = options.logger ? { logger: options.logger } : {};
  const nav = createNavClient({
    ...navOptions,
    ...options.navOptions,
    ...logger,
    fetch: countingFetch(counter, options.navOptions?.fetch ?? navOptions.fetch),
  });
  const jaggaer = createJaggaerClient({
    ...jaggaerOptions,
    ...options.jaggaerOptions,
    ...logger,
    fetch: countingFetch(counter, options.jaggaerOptions?.fetch ?? jaggaerOptions.fetch),
  });
  return { mode: env.nav ? 'tenants' : 'emulators', description, nav, jaggaer, requestsUsed: () => counter.count, close };
}
