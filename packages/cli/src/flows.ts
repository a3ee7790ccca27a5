import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidInputError } from '@ml-connector/core';
import type { SyncFlow, SyncStore } from '@ml-connector/core/sync';
import type { ConnectorEnvironment } from './config.js';

/** A flow of any record types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a registry holds flows of different record types
export type AnyFlow = SyncFlow<any, any>;

/** What a {@link FlowFactory} gets to build its flow. */
export interface FlowFactoryContext {
  /** The configuration the command read (same variables as the examples). */
  readonly env: ConnectorEnvironment;
  /** The state file the command opened: flows must use it for their target's own lookups. */
  readonly store: SyncStore;
}

/** A flow built for a replay, with what to close afterwards (clients, emulators started for it). */
export interface BuiltFlow {
  readonly flow: AnyFlow;
  close?(): Promise<void>;
}

/** Builds one flow by name: the flow alone, or with a `close`. */
export type FlowFactory = (context: FlowFactoryContext) => AnyFlow | BuiltFlow | Promise<AnyFlow | BuiltFlow>;

/**
 * Flow factories by flow name (the name that keys the ledger, e.g. `bc-invoices`). `ml-connector replay` needs the
 * flow definition to write again; it loads a registry module given by `--flows <module>` or `ML_CONNECTOR_FLOWS`,
 * whose default export (or `flows` export) is a registry. The CLI itself depends on no flow.
 */
export type FlowRegistry = Readonly<Record<string, FlowFactory>>;

/** Identity helper that types a registry module's default export. */
export function defineFlowRegistry(registry: FlowRegistry): FlowRegistry {
  return registry;
}

/** Loads a registry module (a path relative to `cwd`, or a package name). */
export async function loadFlowRegistry(specifier: string, cwd: string): Promise<FlowRegistry> {
  const target = specifier.startsWith('.') || specifier.startsWith('/') ? pathToFileURL(resolve(cwd, specifier)).href : specifier;
  let loaded: { default?: unknown; flows?: unknown };
  try {
    loaded = (await import(target)) as typeof loaded;
  } catch (error) {
    throw new InvalidInputError(`could not load the flow registry ${specifier}: ${error instanceof Error ? error.message : String(error)}`, { field: 'flows' });
  }
  const registry = (loaded.default ?? loaded.flows) as FlowRegistry | undefined;
  if (typeof registry !== 'object' || registry === null || Object.values(registry).some((f) => typeof f !== 'function')) {
    throw new InvalidInputError(`${specifier} must default-export a flow registry: { "<flow name>": (context) => flow }`, { field: 'flows' });
  }
  return registry;
}

/** Builds `name` from `registry`. */
export async function buildFlow(registry: FlowRegistry, name: string, context: FlowFactoryContext): Promise<BuiltFlow> {
  const factory = registry[name];
  if (!factory) throw new InvalidInputError(`the flow registry has no flow "${name}"; it has ${Object.keys(registry).join(', ') || 'none'}`, { field: 'flow' });
  const built = await factory(context);
  return 'flow' in built && typeof (built as BuiltFlow).flow === 'object' ? (built as BuiltFlow) : { flow: built as AnyFlow };
}
