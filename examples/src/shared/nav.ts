import { InvalidInputError, type Logger } from '@ml-connector/core';
import { findRunningEmulators, startEmulators } from '@ml-connector/emulators';
import { createJaggaerClient, type JaggaerClient, type JaggaerClientOptions } from '@ml-connector/jaggaer-j1p';
import { createNavClient, type NavClient, type NavClientOptions } from '@ml-connector/nav';
import { join } from 'node:path';
import type { ExampleEnvironment } from './config.ts';
import { countingFetch, type ConnectOptions } from './connections.ts';
import type { ExampleSystemConnections } from './run.ts';

/** Dynamics NAV and JAGGAER, connected, with a request counter for the summary. */
export interface NavExampleConnections extends ExampleSystemConnections {
  readonly nav: NavClient;
  readonly jaggaer: JaggaerClient;
}

/** Options of {@link connectNavExample}: the shared ones plus client tuning for NAV. */
export interface NavConnectOptions extends ConnectOptions {
  /** Extra NAV client options (retry, throttle, services). */
  readonly navOptions?: Partial<NavClientOptions>;
}

const loopback = (url: string | undefined) => url !== undefined && /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(url);

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
export async function connectNavExample(env: ExampleEnvironment, options: NavConnectOptions = {}): Promise<NavExampleConnections> {
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
      ...(loopback(n.url) ? { allowLoopback: true } : {}),
      auth: n.clientId
        ? { kind: 'oauth', clientId: n.clientId, clientSecret: navSecret, ...(n.tenantId ? { tenantId: n.tenantId } : {}), ...(n.scope ? { scope: n.scope } : {}) }
        : { kind: 'basic', username: n.username!, password: navSecret },
      ...(services ? { services } : {}),
    };
    jaggaerOptions = {
      ...(loopback(jg.host) ? { allowLoopback: true } : {}),
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
