import type { BusinessCentralClientOptions } from '@ml-connector/business-central';
import type { JaggaerClientOptions } from '@ml-connector/jaggaer-j1p';

/** Where the local emulators answer, as client options. */
export interface EmulatorEndpoints {
  readonly businessCentral: BusinessCentralClientOptions;
  /** The emulated company; undefined: the client lists companies (there is one). */
  readonly businessCentralCompanyId?: string;
  readonly jaggaer: JaggaerClientOptions;
  /** One line for the console. */
  readonly description: string;
  /** Stops emulators this process started (no-op for running ones). */
  close(): Promise<void>;
}

/** Options of {@link startLocalEmulators}. */
export interface LocalEmulatorOptions {
  /** `.ml-connector` directory; the emulators persist under `emulators/` in it. */
  readonly stateDir: string;
  /** Reseed emulators started here. */
  readonly reset: boolean;
}

/**
 * The emulators the examples use without configuration. Until `@ml-connector/emulators` is in the workspace this
 * serves in-process sandboxes on loopback (state is not persisted between runs).
 */
export async function startLocalEmulators(_options: LocalEmulatorOptions): Promise<EmulatorEndpoints> {
  const bcTesting = await import('@ml-connector/business-central/testing');
  const jgTesting = await import('@ml-connector/jaggaer-j1p/testing');
  const bcSandbox = bcTesting.createBusinessCentralSandbox();
  const jgSandbox = jgTesting.createJaggaerSandbox();
  const bcServer = await bcSandbox.listen();
  const jgServer = await jgSandbox.listen();
  return {
    businessCentral: {
      tenantId: bcSandbox.tenantId,
      environment: bcSandbox.environment,
      credentials: { clientId: bcTesting.SANDBOX_CLIENT_ID, clientSecret: bcTesting.SANDBOX_CLIENT_SECRET },
      apiHost: bcServer.url,
      authorityHost: bcServer.url,
      allowLoopback: true,
    },
    businessCentralCompanyId: bcSandbox.companyId,
    jaggaer: { host: jgServer.url, clientId: jgTesting.SANDBOX_CLIENT_ID, clientSecret: jgTesting.SANDBOX_CLIENT_SECRET, allowLoopback: true },
    description: `in-process emulators (Business Central ${bcServer.url}, JAGGAER ${jgServer.url})`,
    close: async () => {
      await Promise.all([bcServer.close(), jgServer.close()]);
      bcSandbox.close();
    },
  };
}
