// Child process of benchmarks/bc-invoices.mjs: runs the bc-invoices flow once over everything the emulators hold
// (client options in argv[2]) and prints one JSON line of figures (see harness.mjs). argv[3] is the profile of the
// emulators: `budget` (default) sets the client throttle to the client's defaults scaled like the emulators' limits
// (BUSINESS_CENTRAL_THROTTLE_DEFAULTS: 5 in flight, BC's sliding window, now 600 per 10 s counted over 10.1 s, and a
// rate 25 % above the window's average, now 75/s); `fast` leaves it unthrottled.
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
  throttle: fast ? false : { maxConcurrency: 5, initialConcurrency: 5, window: { requests: 600, ms: 10_100 }, maxRequestsPerSecond: 75 },
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
