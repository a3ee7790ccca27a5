import { createConnectorTelemetry } from '@ml-connector/cli';
import type { SyncEvent } from '@ml-connector/core/sync';
import type { EmulatorSystem } from '@ml-connector/emulators';
import type { ClientInstrumentation } from './systems.ts';

/** The `ml_connector.system` attribute of each system's HTTP spans and metrics (its package name). */
export const TELEMETRY_SYSTEM_NAMES: Readonly<Record<EmulatorSystem, string>> = Object.freeze({
  businessCentral: 'business-central',
  jaggaer: 'jaggaer',
  d365fo: 'd365-fo',
  nav: 'nav',
  oracleFusion: 'oracle-fusion',
  jira: 'jira',
});

/** OpenTelemetry hooks of one example run. */
export interface ExampleTelemetry {
  /** Hooks of each client (an HTTP span per attempt, retries with reason and wait). */
  readonly clients: (system: EmulatorSystem) => ClientInstrumentation;
  /** A span and a count per record. */
  onEvent(event: SyncEvent): void;
}

/**
 * Whether the run reports through OpenTelemetry: `--telemetry`, or any `OTEL_*` variable (the standard SDK
 * configuration) unless `OTEL_SDK_DISABLED=true`. Without a registered SDK the API is a no-op either way; the switch
 * only spares the hooks' own work when nobody listens.
 */
export function telemetryWanted(flag: boolean, env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return false;
  return flag || Object.keys(env).some((name) => name.startsWith('OTEL_') && env[name]?.trim());
}

/**
 * The run's hooks on the global tracer and meter providers (`@opentelemetry/api`): register an SDK before the example
 * starts (`node --import`, see examples/README.md) and the spans and metrics go wherever it exports them.
 */
export function createExampleTelemetry(): ExampleTelemetry {
  const records = createConnectorTelemetry();
  const bySystem = new Map<EmulatorSystem, ClientInstrumentation>();
  return {
    clients: (system) => {
      let hooks = bySystem.get(system);
      if (!hooks) bySystem.set(system, (hooks = createConnectorTelemetry({ system: TELEMETRY_SYSTEM_NAMES[system] })));
      return hooks;
    },
    onEvent: (event) => records.onEvent(event),
  };
}
