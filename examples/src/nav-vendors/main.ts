import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { InvalidInputError, isConnectorError, redactText } from '@ml-connector/core';
import { createSyncEngine, openSqliteSyncStore } from '@ml-connector/core/sync';
import { type NavClientOptions, handleNavValidationRequest } from '@ml-connector/nav';
import { takeWatchFlag } from '../bc-master-data/example.ts';
import { connectNavExample, loadNavExampleEnvironment, type NavExampleConnections } from '../nav/connections.ts';
import { exampleMain, loadDotEnv, type ExampleDefinition, type ExampleIo } from '../shared/index.ts';
import { acquireRunLock } from '../shared/lock.ts';
import { NAV_VENDORS_TO_JAGGAER, NAV_VENDORS_TO_NAV, createNavVendorFlows } from './flows.ts';
import { loadNavVendorMappings } from './mappings.ts';
import { vendorPolicyFromEnv } from './policy.ts';
import { type NavVendorWebhookOptions, serveNotifications, startNavVendorWatch, stopOnSignal } from './watch.ts';

/**
 * The `services` option of the NAV client for this example: the instance's published names (`NAV_SERVICES`) with the
 * opt-in contact pages enabled (they are checked against `$metadata` like the others).
 */
export function vendorServices(json: string | undefined): NavClientOptions['services'] {
  let parsed: Record<string, unknown> = {};
  if (json !== undefined) {
    try {
      const value: unknown = JSON.parse(json);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
      parsed = value as Record<string, unknown>;
    } catch {
      throw new InvalidInputError('NAV_SERVICES must be a JSON object like {"vendors":{"entitySet":"VendorCard"}} (the client\'s services option)', { field: 'NAV_SERVICES' });
    }
  }
  return { contacts: {}, contactBusinessRelations: {}, ...parsed } as NavClientOptions['services'];
}

/** `pnpm example:nav-vendors`: vendors both ways between JAGGAER and Dynamics NAV. */
export const navVendorsExample: ExampleDefinition<unknown, unknown, NavExampleConnections> = {
  command: 'pnpm example:nav-vendors',
  label: 'nav-vendors',
  description:
    'Vendors in both directions between JAGGAER supplier profiles and Dynamics NAV (name, status, e-mail, payment terms ' +
    "through payment-terms.csv, the main contact person, hierarchy through Pay-to Vendor No.), with a conflict policy " +
    "(NAV_VENDOR_CONFLICT_POLICY=owner|latest) and no echo of the flows' own writes.",
  // One at a time: parents are written before their children (NAV checks Pay-to Vendor No. exists).
  engine: { concurrency: 1 },
  systems: {
    environment: () => loadNavExampleEnvironment(),
    connect: (env, options) => connectNavExample(env, { ...options, navOptions: { services: vendorServices(env.nav?.services) } }),
  },
  flow: async ({ connections, store, signal }) => {
    await connections.nav.connect({ signal });
    return createNavVendorFlows({
      nav: connections.nav,
      jaggaer: connections.jaggaer,
      store,
      policy: vendorPolicyFromEnv(),
      mappings: await loadNavVendorMappings(process.env['NAV_VENDORS_MAPPINGS_DIR'] || undefined),
      ...(process.env['NAV_DEFAULT_PAYMENT_TERMS']?.trim() ? { defaultPaymentTerms: process.env['NAV_DEFAULT_PAYMENT_TERMS'].trim() } : {}),
    });
  },
};

/** Settings of `--watch` read from the environment (see `examples/.env.example`). */
export interface NavVendorWatchSettings {
  /** `NAV_API_URL`: the Business Central on-premises API root (`…/api/v2.0/`), for webhook subscriptions. */
  readonly apiUrl?: string;
  /** Set when `NAV_WEBHOOK_NOTIFICATION_URL` is (with `NAV_COMPANY_ID`). */
  readonly webhook?: NavVendorWebhookOptions & { readonly port: number; readonly host?: string };
  /** `NAV_POLL_INTERVAL_MS`, default 5 minutes. */
  readonly pollIntervalMs: number;
}

/** Reads the `--watch` settings; a notification URL needs `NAV_API_URL` and `NAV_COMPANY_ID`. */
export function navVendorWatchSettings(env: Readonly<Record<string, string | undefined>> = process.env): NavVendorWatchSettings {
  const text = (name: string) => env[name]?.trim() || undefined;
  const whole = (name: string, fallback: number) => {
    const value = text(name);
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidInputError(`${name} must be a whole number >= 1, got "${value}"`, { field: name });
    return Number(value);
  };
  const apiUrl = text('NAV_API_URL');
  const notificationUrl = text('NAV_WEBHOOK_NOTIFICATION_URL');
  const pollIntervalMs = whole('NAV_POLL_INTERVAL_MS', 300_000);
  if (!notificationUrl) return { ...(apiUrl ? { apiUrl } : {}), pollIntervalMs };
  const companyId = text('NAV_COMPANY_ID');
  if (!apiUrl || !companyId) {
    throw new InvalidInputError('NAV_WEBHOOK_NOTIFICATION_URL needs NAV_API_URL (the …/api/v2.0/ root) and NAV_COMPANY_ID (GET …/api/v2.0/companies)', { field: apiUrl ? 'NAV_COMPANY_ID' : 'NAV_API_URL' });
  }
  const clientState = text('NAV_WEBHOOK_CLIENT_STATE') ?? randomBytes(24).toString('base64url');
  if (clientState.length < 16) throw new InvalidInputError('NAV_WEBHOOK_CLIENT_STATE must be at least 16 characters (the notifications\' shared secret)', { field: 'NAV_WEBHOOK_CLIENT_STATE' });
  const host = text('NAV_WEBHOOK_HOST');
  return { apiUrl, pollIntervalMs, webhook: { companyId, notificationUrl, clientState, port: whole('NAV_WEBHOOK_PORT', 8788), ...(host ? { host } : {}) } };
}

/** `--watch`: both flows until SIGINT/SIGTERM, NAV through webhooks when configured and offered, polling otherwise. */
export async function watchNavVendors(settings: NavVendorWatchSettings, io: ExampleIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const env = loadNavExampleEnvironment();
  mkdirSync(dirname(env.statePath), { recursive: true });
  const names = [NAV_VENDORS_TO_NAV, NAV_VENDORS_TO_JAGGAER];
  const locks = names.map((name) => acquireRunLock(`${env.statePath}.${name}.lock`, name));
  const store = await openSqliteSyncStore({ path: env.statePath });
  let connections: NavExampleConnections | undefined;
  let server: Awaited<ReturnType<typeof serveNotifications>> | undefined;
  try {
    connections = await connectNavExample(env, { navOptions: { services: vendorServices(env.nav?.services), ...(settings.apiUrl ? { apiUrl: settings.apiUrl } : {}) } });
    await connections.nav.connect();
    const engine = createSyncEngine({ store, owner: `${hostname()}:${names.join('+')}` });
    const flows = createNavVendorFlows({ nav: connections.nav, jaggaer: connections.jaggaer, store, policy: vendorPolicyFromEnv(), mappings: await loadNavVendorMappings(process.env['NAV_VENDORS_MAPPINGS_DIR'] || undefined) });
    let failures = 0;
    let handle: ((request: Request) => Promise<Response>) | undefined;
    // The receiver listens before subscribing: Business Central runs the handshake while the subscription is created.
    if (settings.webhook) {
      server = await serveNotifications(
        async (request) => (handle ? handle(request) : (handleNavValidationRequest(request) ?? new Response('starting', { status: 503 }))),
        settings.webhook,
      );
    }
    const watch = await startNavVendorWatch({
      engine,
      flows,
      nav: connections.nav,
      ...(settings.webhook ? { webhook: settings.webhook } : {}),
      pollIntervalMs: settings.pollIntervalMs,
      onRun: (flow, summary, trigger) => {
        const c = summary.counts;
        io.stdout.write(`${new Date().toISOString()} ${flow} (${trigger}): read ${c.read}, created ${c.created}, updated ${c.updated}, skipped ${c.skipped}, review ${c.review}, failed ${c.failed}\n`);
      },
      onError: (what, error) => {
        failures++;
        io.stderr.write(`${what} failed: ${redactText(isConnectorError(error) ? `${error.name}: ${error.message}` : String(error))}\n`);
      },
    });
    handle = (request) => watch.handle(request);
    io.stderr.write(
      `pnpm example:nav-vendors --watch: ${connections.description}; NAV ${watch.mode === 'webhooks' ? `by webhooks to ${settings.webhook!.notificationUrl} (receiver ${server!.url})` : `polled${watch.fallbackReason ? ` (no webhooks: ${redactText(watch.fallbackReason)})` : ''}`}, JAGGAER polled, every ${settings.pollIntervalMs / 1000} s. Ctrl-C stops.\n`,
    );
    await stopOnSignal(watch, (line) => io.stderr.write(line));
    return failures > 0 ? 1 : 0;
  } finally {
    await server?.close();
    await connections?.close();
    await store.close();
    for (const unlock of locks) unlock();
  }
}

/** Entry point: `--watch` or one run with the shared options. */
export async function navVendorsMain(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const { watch, rest } = takeWatchFlag(argv);
  if (!watch) return exampleMain(navVendorsExample, rest);
  try {
    loadDotEnv();
    process.exitCode = await watchNavVendors(navVendorWatchSettings());
  } catch (error) {
    process.stderr.write(`${redactText(isConnectorError(error) ? `${error.name}: ${error.message}` : String((error as Error)?.stack ?? error))}\n`);
    process.exitCode = isConnectorError(error) && error.name === 'InvalidInputError' ? 2 : 1;
  }
}

if (import.meta.main) await navVendorsMain();
