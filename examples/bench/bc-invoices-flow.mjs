// Child process of benchmarks/bc-invoices.mjs: runs the bc-invoices flow once over everything the emulators hold
// (client options in argv[2]) and prints one JSON line of figures (see harness.mjs). argv[3] is the profile of the
// emulators: `budget` (default) sets the client throttle to the scaled budget (60 requests/s, 5 in flight); `fast`
// leaves it unthrottled.
import { createBusinessCentralClient } from '@ml-connector/business-central';
import { createJaggaerClient } from '@ml-connector/jaggaer-j1p';
import { createBcInvoicesFlow } from '../src/bc-invoices/flow.ts';
import { loadInvoiceMappings } from '../src/bc-invoices/mappings.ts';
import { createRequestCounters, measureFlowRun } from './harness.mjs';

const clients = JSON.parse(process.argv[2]);
const fast = process.argv[3] === 'fast';
const counters = createRequestCounters();
const businessCentral = createBusinessCentralClient({
  ...clients.businessCentral,
  throttle: fast ? false : { maxRequestsPerSecond: 60, maxConcurrency: 5, initialConcurrency: 5 },
  fetch: counters.fetchFor('businessCentral'),
});
const jaggaer = createJaggaerClient({ ...clients.jaggaer, throttle: false, fetch: counters.fetchFor('jaggaer') });
const mappings = await loadInvoiceMappings();
await measureFlowRun({
  counters,
  createFlow: (store) =>
    createBcInvoicesFlow({
      jaggaer,
      company: businessCentral.company(clients.companyId),
      store,
      mappings,
      pageSize: 100,
      listPageSize: 500,
      since: '2024-12-01T00:00:00Z',
    }),
});
