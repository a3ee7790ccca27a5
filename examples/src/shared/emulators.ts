import { join } from 'node:path';
import { findRunningEmulators, startEmulators, type EmulatorClientOptions, type EmulatorSandboxes, type EmulatorSandboxOptions, type EmulatorSystem } from '@ml-connector/emulators';

/** Where the local emulators of some systems answer, as client options. */
export interface EmulatorEndpoints<E extends EmulatorSystem = EmulatorSystem> {
  /** Per system, the options its client factory takes as they are. */
  readonly clients: Pick<EmulatorClientOptions, E>;
  /** The sandboxes of emulators started in this process (test hooks, the emulated company); absent for running ones. */
  readonly sandboxes?: Readonly<Partial<EmulatorSandboxes>>;
  /** One line for the console. */
  readonly description: string;
  /** Stops emulators this process started (saving their state); nothing for emulators found running. */
  close(): Promise<void>;
}

/** Options of {@link useLocalEmulators}. */
export interface LocalEmulatorOptions {
  /** `.ml-connector` directory; the emulators persist under `emulators/` in it (as `pnpm emulators` does). */
  readonly stateDir: string;
  /** Reseed emulators started here (ignored for running ones: restart `pnpm emulators --reset`). */
  readonly reset: boolean;
  /** Sandbox options (limits, faults, sizes) for emulators started here. */
  readonly sandboxes?: EmulatorSandboxOptions;
}

/** Names in the console line. */
const LABELS: Readonly<Record<EmulatorSystem, string>> = {
  businessCentral: 'Business Central',
  jaggaer: 'JAGGAER',
  d365fo: 'Finance & Operations',
  nav: 'NAV',
  oracleFusion: 'Oracle Fusion',
  jira: 'Jira',
};

/**
 * The emulators an example uses without configuration: the running `pnpm emulators` on the same state directory when
 * it serves every system asked for, or else those systems started in this process on free loopback ports, on the
 * same persisted state, and stopped (state saved) when the example ends.
 */
export async function useLocalEmulators<E extends EmulatorSystem>(systems: readonly E[], options: LocalEmulatorOptions): Promise<EmulatorEndpoints<E>> {
  const stateDir = join(options.stateDir, 'emulators');
  const urls = (found: Readonly<Partial<Record<EmulatorSystem, string>>>) => systems.map((system) => `${LABELS[system]} ${found[system]}`).join(', ');
  const running = await findRunningEmulators({ stateDir });
  if (running && systems.every((system) => running.clients[system] !== undefined)) {
    return {
      clients: running.clients as Pick<EmulatorClientOptions, E>,
      description: `running emulators (pid ${running.pid}: ${urls(running.urls)})`,
      close: async () => {},
    };
  }
  const started = await startEmulators({
    systems,
    ports: Object.fromEntries(systems.map((system) => [system, 0])),
    stateDir,
    reset: options.reset,
    // In the example's own process: a write a system acknowledged must survive the example being killed.
    durableWrites: true,
    ...(options.sandboxes ? { sandboxes: options.sandboxes } : {}),
  });
  const absent = systems.filter((system) => started.clients[system] === undefined);
  if (absent.length > 0) {
    await started.close();
    throw new Error(`the emulators did not start ${absent.map((system) => LABELS[system]).join(', ')}`);
  }
  return {
    clients: started.clients as Pick<EmulatorClientOptions, E>,
    sandboxes: started.sandboxes,
    description: `emulators started here on ${stateDir} (${urls(started.urls)}); run \`pnpm emulators\` to keep them up`,
    close: () => started.close(),
  };
}
