import { join } from 'node:path';
import type { BusinessCentralClientOptions } from '@ml-connector/business-central';
import { findRunningEmulators, startEmulators, type EmulatorSandboxOptions } from '@ml-connector/emulators';
import type { JaggaerClientOptions } from '@ml-connector/jaggaer-j1p';

/** Where the local emulators answer, as client options. */
export interface EmulatorEndpoints {
  readonly businessCentral: BusinessCentralClientOptions;
  /** The emulated company; undefined: the client lists companies (there is one). */
  readonly businessCentralCompanyId?: string;
  readonly jaggaer: JaggaerClientOptions;
  /** One line for the console. */
  readonly description: string;
  /** Stops emulators this process started (saving their state); nothing for emulators found running. */
  close(): Promise<void>;
}

/** Options of {@link startLocalEmulators}. */
export interface LocalEmulatorOptions {
  /** `.ml-connector` directory; the emulators persist under `emulators/` in it (as `pnpm emulators` does). */
  readonly stateDir: string;
  /** Reseed emulators started here (ignored for running ones: restart `pnpm emulators --reset`). */
  readonly reset: boolean;
  /** Sandbox options (limits, faults, sizes) for emulators started here. */
  readonly sandboxes?: EmulatorSandboxOptions;
}

/**
 * The emulators the examples use without configuration: the running `pnpm emulators` on the same state
 * directory, or else Business Central and JAGGAER started in this process on free loopback ports, on the same
 * persisted state, and stopped (state saved) when the example ends.
 */
export async function startLocalEmulators(options: LocalEmulatorOptions): Promise<EmulatorEndpoints> {
  const stateDir = join(options.stateDir, 'emulators');
  const running = await findRunningEmulators({ stateDir });
  if (running?.clients.businessCentral && running.clients.jaggaer) {
    return {
      businessCentral: running.clients.businessCentral,
      jaggaer: running.clients.jaggaer,
      description: `running emulators (pid ${running.pid}: Business Central ${running.urls.businessCentral}, JAGGAER ${running.urls.jaggaer})`,
      close: async () => {},
    };
  }
  const started = await startEmulators({
    systems: ['businessCentral', 'jaggaer'],
    ports: { businessCentral: 0, jaggaer: 0 },
    stateDir,
    reset: options.reset,
    // In the example's own process: a write BC acknowledged must survive the example being killed.
    durableWrites: true,
    ...(options.sandboxes ? { sandboxes: options.sandboxes } : {}),
  });
  const { businessCentral, jaggaer } = started.clients;
  if (!businessCentral || !jaggaer) {
    await started.close();
    throw new Error('the emulators did not start Business Central and JAGGAER');
  }
  return {
    businessCentral,
    ...(started.sandboxes.businessCentral ? { businessCentralCompanyId: started.sandboxes.businessCentral.companyId } : {}),
    jaggaer,
    description: `emulators started here on ${stateDir} (Business Central ${started.urls.businessCentral}, JAGGAER ${started.urls.jaggaer}); run \`pnpm emulators\` to keep them up`,
    close: () => started.close(),
  };
}
