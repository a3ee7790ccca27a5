/**
 * How every example connects: each system it uses is an {@link ExampleSystem} (its client factory and how its
 * environment group becomes client options); {@link connectSystems} connects them all to the configured real
 * systems, or else to the local emulators, with one request counter.
 */
import { ENV_GROUPS, type ConnectorSystem, type SystemEnvironments } from '@ml-connector/cli';
import { InvalidInputError, type Logger, type RetryEvent, type SecretSource } from '@ml-connector/core';
import type { EmulatorClientOptions, EmulatorSandboxes, EmulatorSystem } from '@ml-connector/emulators';
import type { ExampleEnvironment } from './config.ts';
import { useLocalEmulators } from './emulators.ts';

/** A secret read from the vault when its environment variable is not set. */
export type VaultSecretReader = (system: ConnectorSystem) => Promise<string>;

/** What every connect function takes (the runner builds it from the command line and the flow's tuning). */
export interface ConnectOptions {
  readonly logger?: Logger;
  /** Reseed emulators this process starts. */
  readonly reset?: boolean;
  /** Secrets the environment left out, read from the vault (by system). */
  readonly secret?: VaultSecretReader;
  /** Extra Business Central client options (throttle, retry): the flows' tuning. */
  readonly businessCentralOptions?: Partial<EmulatorClientOptions['businessCentral']>;
  /** Extra JAGGAER client options. */
  readonly jaggaerOptions?: Partial<EmulatorClientOptions['jaggaer']>;
  /** Extra Finance & Operations client options (throttle, retry). */
  readonly financeOperationsOptions?: Partial<EmulatorClientOptions['d365fo']>;
  /** Extra NAV client options (retry, throttle, services). */
  readonly navOptions?: Partial<EmulatorClientOptions['nav']>;
  /** Extra Oracle Fusion client options. */
  readonly oracleOptions?: Partial<EmulatorClientOptions['oracleFusion']>;
  /** Telemetry hooks of each client (`createConnectorTelemetry` of `@ml-connector/cli`), by the system's emulator name. */
  readonly telemetry?: (system: EmulatorSystem) => ClientInstrumentation;
}

/** Hooks that observe one client's traffic: its `fetch` is wrapped, its retries reported. */
export interface ClientInstrumentation {
  /** Wraps the client's `fetch` (one span per HTTP attempt). */
  fetch(inner: typeof fetch): typeof fetch;
  /** Called before each retry with its reason and wait. */
  onRetry(event: RetryEvent): void;
}

/** One system an example connects: what is specific to it, and nothing else. */
export interface ExampleSystem<K extends ConnectorSystem, E extends EmulatorSystem, C> {
  /** Its environment group and vault entry (`financeOperations`). */
  readonly key: K;
  /** Its emulator (`d365fo`). */
  readonly emulator: E;
  /** The secret the environment gives (undefined: read it from the vault) and the variable that would hold it. */
  secret(config: SystemEnvironments[K]): { readonly value: string | undefined; readonly variable: string };
  /** Client options of the configured real system, given its secret. */
  tenantOptions(config: SystemEnvironments[K], secret: SecretSource): EmulatorClientOptions[E] | Promise<EmulatorClientOptions[E]>;
  /** Where the real system is, in one line without secrets (`Finance & Operations contoso.operations.dynamics.com`). */
  describe(config: SystemEnvironments[K]): string;
  /** The flow's client tuning for this system, taken from the connect options (and the environment). */
  tuning?(options: ConnectOptions, env: ExampleEnvironment): Partial<EmulatorClientOptions[E]> | undefined;
  /** The client factory. */
  create(options: EmulatorClientOptions[E]): C;
}

/** Any {@link ExampleSystem}. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a record of systems of different types
export type AnyExampleSystem = ExampleSystem<any, any, any>;

/** What the runner needs of an example's connected systems, whichever they are. */
export interface ConnectedSystems {
  /** `emulators` (no configuration) or `tenants` (real systems configured in the environment). */
  readonly mode: 'emulators' | 'tenants';
  /** One line saying where the example runs (no secrets). */
  readonly description: string;
  /** HTTP requests sent so far to every system, token requests and retries included. */
  requestsUsed(): number;
  /** Stops emulators this process started. */
  close(): Promise<void>;
}

/** The clients of `S` by the names the example gave them, with {@link ConnectedSystems}. */
export type ConnectedClients<S extends Record<string, AnyExampleSystem>> = ConnectedSystems & {
  readonly [N in keyof S]: S[N] extends ExampleSystem<ConnectorSystem, EmulatorSystem, infer C> ? C : never;
} & {
  /** The sandboxes of emulators started in this process (test hooks, the emulated company); absent otherwise. */
  readonly emulatorSandboxes?: Readonly<Partial<EmulatorSandboxes>>;
};

/** A `fetch` that counts every request it sends. */
export function countingFetch(counter: { count: number }, inner: typeof fetch = globalThis.fetch): typeof fetch {
  return (input, init) => {
    counter.count++;
    return inner(input, init);
  };
}

/**
 * Refuses a mix of real systems and emulators: every system of `systems` configured in `env`, or none.
 *
 * @throws InvalidInputError naming what is configured and what is not.
 */
export function requireAllOrNone(env: ExampleEnvironment, systems: readonly ConnectorSystem[]): void {
  const configured = systems.filter((system) => env[system] !== undefined);
  if (configured.length === 0 || configured.length === systems.length) return;
  const missing = systems.filter((system) => env[system] === undefined);
  const names = (list: readonly ConnectorSystem[]) => list.map((system) => ENV_GROUPS[system].system).join(' and ');
  throw new InvalidInputError(
    `Only ${names(configured)} ${configured.length === 1 ? 'is' : 'are'} configured. The examples run against real systems or against the emulators, ` +
      `not a mix: configure ${names(missing)} too (see examples/.env.example) or none of them.`,
    { field: Object.values<string>(ENV_GROUPS[missing[0]!].variables)[0]! },
  );
}

/**
 * Connects the systems of an example: the real ones when the environment configures them all (secrets left out of
 * the environment come from the vault), otherwise the running `pnpm emulators` or emulators started here on the same
 * persisted state. Every client counts its requests in one counter and gets the logger and the flow's tuning.
 *
 * @example
 * ```ts
 * const { financeOperations, jaggaer } = await connectSystems(env, { financeOperations: FINANCE_OPERATIONS_SYSTEM, jaggaer: JAGGAER_SYSTEM }, options);
 * ```
 */
export async function connectSystems<S extends Record<string, AnyExampleSystem>>(env: ExampleEnvironment, systems: S, options: ConnectOptions = {}): Promise<ConnectedClients<S>> {
  const entries = Object.entries(systems);
  requireAllOrNone(
    env,
    entries.map(([, system]) => system.key as ConnectorSystem),
  );
  const tenants = entries.every(([, system]) => env[system.key as ConnectorSystem] !== undefined);
  const counter = { count: 0 };
  const clientOptions: Record<string, object> = {};
  let description: string;
  let close = async () => {};
  let sandboxes: Readonly<Partial<EmulatorSandboxes>> | undefined;
  if (tenants) {
    for (const [name, system] of entries) {
      const config = env[system.key as ConnectorSystem]!;
      const { value, variable } = system.secret(config);
      const secret: SecretSource | undefined = value ?? (options.secret ? () => options.secret!(system.key) : undefined);
      if (secret === undefined) {
        throw new InvalidInputError(`${variable} is neither in the environment nor in the vault: set it, or ML_CONNECTOR_VAULT_KEY and store it with --vault-set.`, { field: variable });
      }
      clientOptions[name] = await system.tenantOptions(config, secret);
    }
    description = entries.map(([, system]) => system.describe(env[system.key as ConnectorSystem]!)).join(' and ');
  } else {
    const endpoints = await useLocalEmulators(
      entries.map(([, system]) => system.emulator as EmulatorSystem),
      { stateDir: env.stateDir, reset: options.reset ?? false },
    );
    for (const [name, system] of entries) clientOptions[name] = (endpoints.clients as Record<string, object>)[system.emulator]!;
    description = endpoints.description;
    close = () => endpoints.close();
    sandboxes = endpoints.sandboxes;
  }
  const clients: Record<string, unknown> = {};
  for (const [name, system] of entries) {
    type Hooks = { fetch?: typeof fetch; onRetry?: (event: RetryEvent) => void };
    const base = clientOptions[name] as Hooks;
    const tuning = (system.tuning?.(options, env) ?? {}) as Hooks;
    const counted = countingFetch(counter, tuning.fetch ?? base.fetch);
    const observed = options.telemetry?.(system.emulator);
    const onRetry = tuning.onRetry ?? base.onRetry;
    clients[name] = system.create({
      ...base,
      ...tuning,
      ...(options.logger ? { logger: options.logger } : {}),
      fetch: observed ? observed.fetch(counted) : counted,
      ...(observed
        ? {
            onRetry: (event: RetryEvent) => {
              observed.onRetry(event);
              onRetry?.(event);
            },
          }
        : {}),
    });
  }
  return {
    ...(clients as { [N in keyof S]: S[N] extends ExampleSystem<ConnectorSystem, EmulatorSystem, infer C> ? C : never }),
    mode: tenants ? 'tenants' : 'emulators',
    description,
    ...(sandboxes ? { emulatorSandboxes: sandboxes } : {}),
    requestsUsed: () => counter.count,
    close,
  };
}
