// The README's "In code" example, typechecked (tsconfig.test.json) and run by test/quick-start.test.ts.
import { createBusinessCentralClient } from '@ml-connector/business-central';
import { findRunningEmulators, startEmulators } from '@ml-connector/emulators';

export async function quickStart(stateDir?: string): Promise<string[]> {
  // Use the running `pnpm emulators` if there is one; else start them here, on the same persisted state.
  const found = await findRunningEmulators({ stateDir });
  const started = found ? undefined : await startEmulators({ stateDir, systems: ['businessCentral', 'jaggaer'], ports: { businessCentral: 0, jaggaer: 0 } });
  try {
    const options = (found ?? started)?.clients.businessCentral;
    if (!options) throw new Error('Business Central is not among the running emulators');
    const bc = createBusinessCentralClient(options);
    const companies = await bc.companies.list().toArray({ limit: 10 });
    return companies.map((company) => company.name);
  } finally {
    await started?.close(); // saves and stops
  }
}
