/**
 * The examples' flows by name, for `ml-connector replay` and `ml-connector console`:
 *   ml-connector replay <record|reason> --flows examples/src/flows.ts
 * Each factory connects exactly as the example does (same variables, tenants or emulators) and builds the flow with
 * the example's own definition, so a replay writes with the same mapping and target.
 */
import { defineFlowRegistry, type BuiltFlow, type FlowFactoryContext } from '@ml-connector/cli';
import { silentLogger } from '@ml-connector/core';
import { bcInvoicesExample } from './bc-invoices/main.ts';
import { masterDataExample } from './bc-master-data/example.ts';
import { MASTER_DATA_FLOW_NAMES } from './bc-master-data/flows.ts';
import { paymentStatusExample } from './bc-payment-status/example.ts';
import { PAYMENT_STATUS_FLOW_NAME } from './bc-payment-status/flow.ts';
import { BC_INVOICES_FLOW } from './bc-invoices/flow.ts';
import { connectExample, parseExampleArgs, type AnySyncFlow, type ExampleDefinition } from './shared/index.ts';

/** Builds the flow `name` from an example definition (which may define several flows). */
function fromExample(definition: () => ExampleDefinition<unknown, unknown>, name: string) {
  return async ({ env, store }: FlowFactoryContext): Promise<BuiltFlow> => {
    const example = definition();
    const connections = await connectExample(env, example.connect ?? {});
    try {
      const built = await example.flow({ args: parseExampleArgs([]), env, connections, store, logger: silentLogger, signal: new AbortController().signal });
      const flow = (Array.isArray(built) ? built : [built]).find((candidate: AnySyncFlow) => candidate.name === name);
      if (!flow) throw new Error(`the example defines no flow named ${name}`);
      return { flow, close: () => connections.close() };
    } catch (error) {
      await connections.close();
      throw error;
    }
  };
}

export default defineFlowRegistry({
  [BC_INVOICES_FLOW]: fromExample(() => bcInvoicesExample as ExampleDefinition<unknown, unknown>, BC_INVOICES_FLOW),
  [PAYMENT_STATUS_FLOW_NAME]: fromExample(() => paymentStatusExample as ExampleDefinition<unknown, unknown>, PAYMENT_STATUS_FLOW_NAME),
  ...Object.fromEntries(Object.values(MASTER_DATA_FLOW_NAMES).map((name) => [name, fromExample(() => masterDataExample(), name)])),
});
