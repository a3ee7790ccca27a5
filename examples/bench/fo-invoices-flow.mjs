// Child process of benchmarks/fo-invoices.mjs: runs the fo-invoices flow once over everything the emulators hold
// (client options in argv[2]) and prints one JSON line of figures (see harness.mjs).
import { createFinanceOperationsClient } from '@ml-connector/d365-fo';
import { createJaggaerClient } from '@ml-connector/jaggaer-j1p';
import { createFoInvoicesFlow } from '../src/fo-invoices/flow.ts';
import { loadFoInvoiceMappings } from '../src/fo-invoices/mappings.ts';
import { createRequestCounters, measureFlowRun } from './harness.mjs';

const clients = JSON.parse(process.argv[2]);
const counters = createRequestCounters();
const financeOperations = createFinanceOperationsClient({
  ...clients.d365fo,
  // The scaled budget: 200 requests per 10 s, 5 at a time.
  throttle: { maxRequestsPerSecond: 20, maxConcurrency: 5, initialConcurrency: 5 },
  fetch: counters.fetchFor('financeOperations'),
});
const jaggaer = createJaggaerClient({ ...clients.jaggaer, throttle: false, fetch: counters.fetchFor('jaggaer') });
const mappings = await loadFoInvoiceMappings();
await measureFlowRun({
  counters,
  createFlow: (store) => createFoInvoicesFlow({ jaggaer, financeOperations, store, mappings, pageSize: 100, listPageSize: 500, since: '2024-12-01T00:00:00Z' }),
});
