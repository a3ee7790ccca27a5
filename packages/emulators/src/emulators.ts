import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InvalidInputError } from '@ml-connector/core';
import { serveOnLoopback, type FetchHandler, type LoopbackServer } from '@ml-connector/core/testing';
import { RUNNING_FILE, claimStateDir, isProcessAlive, readJsonFile, writeFileAtomic } from './state.js';
import {
  ADAPTERS,
  DEFAULT_EMULATOR_PORTS,
  EMULATOR_SYSTEMS,
  type EmulatorClientOptions,
  type EmulatorSandboxOptions,
  type EmulatorSandboxes,
  type EmulatorSystem,
  type SystemAdapter,
} from './systems.js';

/** Default state directory, relative to the current working directory. */
export const DEFAULT_STATE_DIR = '.ml-connector/emulators';

/** Path every emulator answers (before the sandbox) with `{ system, pid }`, for {@link findRunningEmulators}. */
export const HEALTH_PATH = '/.ml-connector/health';

/** Format version of the per-system state files. */
const STATE_VERSION = 1;

/** Options of {@link startEmulators}. Everything is optional. */
export interface StartEmulatorsOptions {
  /** Systems to start. Default all of {@link EMULATOR_SYSTEMS}. */
  systems?: readonly EmulatorSystem[];
  /** Ports on 127.0.0.1 by system; `0` picks a free one. Default {@link DEFAULT_EMULATOR_PORTS} (4010–4015). */
  ports?: Partial<Record<EmulatorSystem, number>>;
  /** Where state is persisted (one `<system>.json` per system, plus `running.json` while running). Default {@link DEFAULT_STATE_DIR}, relative to the working directory. */
  stateDir?: string;
  /** Ignore and replace saved state: every sandbox starts from its seed. Default `false`. */
  reset?: boolean;
  /** Delay after the last write before state is saved, in ms. Default 250. Ignored with `durableWrites`. */
  saveDebounceMs?: number;
  /**
   * Save a system's state before answering each write request, so a write the client saw acknowledged survives
   * a crash of this process (as it would on the real system). Costs one snapshot per write: meant for small
   * data sets, such as emulators started inside an example. Default `false` (debounced saves).
   */
  durableWrites?: boolean;
  /** Options passed through to each sandbox factory (limits, faults, seed sizes, …). */
  sandboxes?: EmulatorSandboxOptions;
}

/** Client options of every started system (only the started ones are present). */
export type RunningClientOptions = Partial<EmulatorClientOptions>;

/** Emulators started by {@link startEmulators}. */
export interface RunningEmulators {
  /** Per started system, exactly the options its client factory accepts (see {@link EmulatorClientOptions}). */
  readonly clients: RunningClientOptions;
  /** The sandbox objects, for test hooks and assertions (e.g. `sandboxes.businessCentral.markPaid(id)`). */
  readonly sandboxes: Readonly<Partial<EmulatorSandboxes>>;
  /** Base URL of each started system, e.g. `http://127.0.0.1:4010`. */
  readonly urls: Readonly<Partial<Record<EmulatorSystem, string>>>;
  /** Bound port of each started system. */
  readonly ports: Readonly<Partial<Record<EmulatorSystem, number>>>;
  /** Absolute state directory. */
  readonly stateDir: string;
  /** Writes every system's state now (atomically). Writes through HTTP are also saved on their own, debounced. */
  save(): Promise<void>;
  /** Saves, stops the servers and removes `running.json`. Idempotent. */
  close(): Promise<void>;
}

/** What `running.json` holds while emulators run, and what {@link findRunningEmulators} returns. */
export interface RunningEmulatorsInfo {
  /** Process id serving the emulators. */
  readonly pid: number;
  /** Absolute state directory. */
  readonly stateDir: string;
  /** Base URL by system. */
  readonly urls: Readonly<Partial<Record<EmulatorSystem, string>>>;
  /** Port by system. */
  readonly ports: Readonly<Partial<Record<EmulatorSystem, number>>>;
  /** Client options by system, as {@link RunningEmulators.clients}. */
  readonly clients: RunningClientOptions;
}

function checkSystems(systems: readonly EmulatorSystem[]): EmulatorSystem[] {
  if (!Array.isArray(systems) || systems.length === 0) {
    throw new InvalidInputError(`systems must list at least one of ${EMULATOR_SYSTEMS.join(', ')}`, { field: 'systems' });
  }
  for (const system of systems) {
    if (!EMULATOR_SYSTEMS.includes(system)) {
      throw new InvalidInputError(`Unknown system "${String(system)}"; use one of ${EMULATOR_SYSTEMS.join(', ')}`, { field: 'systems' });
    }
  }
  return [...new Set(systems)];
}

function checkPort(system: EmulatorSystem, port: number): number {
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidInputError(`ports.${system} must be a port number from 0 to 65535 (0 = any free port), got ${String(port)}`, { field: `ports.${system}` });
  }
  return port;
}

const stateFile = (stateDir: string, system: EmulatorSystem) => join(stateDir, `${system}.json`);

async function loadState(stateDir: string, system: EmulatorSystem): Promise<unknown> {
  const path = stateFile(stateDir, system);
  const file = (await readJsonFile(path, 'start with --reset (reset: true) to reseed')) as { version?: unknown; data?: unknown } | undefined;
  if (file === undefined) return undefined;
  if (file.version !== STATE_VERSION || file.data === undefined) {
    throw new InvalidInputError(`${path} is not an emulator state file of version ${STATE_VERSION}; start with --reset (reset: true) to reseed`, { field: 'stateDir' });
  }
  return file.data;
}

/** Serves one sandbox: answers the health path itself and reports every request that may have written. */
function servingHandler(system: EmulatorSystem, handle: FetchHandler, onWrite: () => Promise<void> | void): FetchHandler {
  return async (request) => {
    if (request.method === 'GET' && new URL(request.url).pathname === HEALTH_PATH) {
      return Response.json({ system, pid: process.pid });
    }
    const writes = request.method !== 'GET' && request.method !== 'HEAD' && request.method !== 'OPTIONS';
    try {
      return await handle(request);
    } finally {
      // Also after an emulated connection drop: the request may have been processed.
      if (writes) await onWrite();
    }
  };
}

/**
 * Starts the emulators of the chosen systems on 127.0.0.1, each from its saved state in `stateDir` (or its seed), and
 * keeps that state saved: debounced after every write request, on {@link RunningEmulators.save} and on close. While
 * they run, `running.json` in the state directory holds the pid, ports and client options, so other processes find
 * them with {@link findRunningEmulators}; a second start on the same state directory is refused.
 *
 * Ports default to {@link DEFAULT_EMULATOR_PORTS} (4010–4015); `0` picks a free port. Only loopback is served.
 */
export async function startEmulators(options: StartEmulatorsOptions = {}): Promise<RunningEmulators> {
  const systems = checkSystems(options.systems ?? EMULATOR_SYSTEMS);
  const ports = Object.fromEntries(systems.map((s) => [s, checkPort(s, options.ports?.[s] ?? DEFAULT_EMULATOR_PORTS[s])])) as Record<EmulatorSystem, number>;
  for (const key of Object.keys(options.ports ?? {})) {
    if (!EMULATOR_SYSTEMS.includes(key as EmulatorSystem)) throw new InvalidInputError(`ports has an unknown system "${key}"; use ${EMULATOR_SYSTEMS.join(', ')}`, { field: 'ports' });
  }
  const debounceMs = options.saveDebounceMs ?? 250;
  if (!Number.isFinite(debounceMs) || debounceMs < 0) throw new InvalidInputError(`saveDebounceMs must be a number >= 0, got ${String(debounceMs)}`, { field: 'saveDebounceMs' });
  const stateDir = resolve(options.stateDir ?? DEFAULT_STATE_DIR);
  await claimStateDir(stateDir);

  const sandboxes: Partial<Record<EmulatorSystem, unknown>> = {};
  const servers: Partial<Record<EmulatorSystem, LoopbackServer>> = {};
  const urls: Partial<Record<EmulatorSystem, string>> = {};
  const boundPorts: Partial<Record<EmulatorSystem, number>> = {};
  const clients: Record<string, unknown> = {};
  const dirty = new Set<EmulatorSystem>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let saving: Promise<void> = Promise.resolve();
  let closed: Promise<void> | undefined;

  const adapter = <S extends EmulatorSystem>(system: S) => ADAPTERS[system] as SystemAdapter<S>;
  const saveSystems = (which: readonly EmulatorSystem[]): Promise<void> => {
    // Saves run one after another, so an older snapshot never overwrites a newer one.
    saving = saving
      .catch(() => undefined)
      .then(async () => {
        for (const system of which) {
          dirty.delete(system);
          const data = adapter(system).snapshot(sandboxes[system] as never);
          await writeFileAtomic(stateFile(stateDir, system), `${JSON.stringify({ version: STATE_VERSION, system, savedAt: new Date().toISOString(), data })}\n`);
        }
      });
    return saving;
  };
  const onWrite = (system: EmulatorSystem): Promise<void> | void => {
    if (closed) return;
    dirty.add(system);
    if (options.durableWrites) return saveSystems([system]);
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      saveSystems([...dirty]).catch((error: unknown) => process.emitWarning(`ml-connector emulators: saving state failed: ${error instanceof Error ? error.message : String(error)}`));
    }, debounceMs);
  };

  const stopAll = async () => {
    clearTimeout(timer);
    await Promise.all(Object.values(servers).map((server) => server.close()));
    for (const system of systems) if (sandboxes[system]) adapter(system).close?.(sandboxes[system] as never);
  };
  const runningPath = join(stateDir, RUNNING_FILE);

  try {
    if (options.reset) for (const system of systems) await rm(stateFile(stateDir, system), { force: true });
    for (const system of systems) {
      const state = options.reset ? undefined : await loadState(stateDir, system);
      const a = adapter(system);
      const sandbox = a.create((options.sandboxes?.[system] ?? {}) as never, state);
      sandboxes[system] = sandbox;
      const server = await serveOnLoopback(servingHandler(system, a.handler(sandbox as never), () => onWrite(system)), { host: '127.0.0.1', port: ports[system] }).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
          throw new InvalidInputError(`Port ${ports[system]} for ${system} is in use on 127.0.0.1; choose another with ports.${system} / --port, or 0 for any free port`, { field: `ports.${system}` });
        }
        throw error;
      });
      servers[system] = server;
      urls[system] = server.url;
      boundPorts[system] = server.port;
      clients[system] = a.clientOptions(sandbox as never, server.url);
    }
    // The files exist from the first start on, so a second process sees exactly this state.
    await saveSystems(systems);
    await writeFileAtomic(runningPath, `${JSON.stringify({ pid: process.pid, stateDir, urls, ports: boundPorts, clients })}\n`);
  } catch (error) {
    await stopAll();
    await rm(runningPath, { force: true });
    throw error;
  }

  return {
    clients: clients as RunningClientOptions,
    sandboxes: sandboxes as RunningEmulators['sandboxes'],
    urls,
    ports: boundPorts,
    stateDir,
    save: () => saveSystems(systems),
    close() {
      closed ??= (async () => {
        await stopAll();
        await saveSystems(systems);
        await rm(runningPath, { force: true });
      })();
      return closed;
    },
  };
}

/**
 * The emulators serving `stateDir` (default {@link DEFAULT_STATE_DIR}): their client options, URLs and pid, read from
 * `running.json`, when that process is alive and every system answers a health request; else `undefined`.
 */
export async function findRunningEmulators(options: { stateDir?: string; timeoutMs?: number } = {}): Promise<RunningEmulatorsInfo | undefined> {
  const stateDir = resolve(options.stateDir ?? DEFAULT_STATE_DIR);
  const info = (await readJsonFile(join(stateDir, RUNNING_FILE), 'delete it').catch(() => undefined)) as Partial<RunningEmulatorsInfo> | undefined;
  if (!info || typeof info.pid !== 'number' || !info.urls || !info.clients || !isProcessAlive(info.pid)) return undefined;
  const timeoutMs = options.timeoutMs ?? 2000;
  const answers = await Promise.all(
    Object.entries(info.urls).map(async ([system, url]) => {
      // Only ever probe loopback, whatever the file says.
      if (!/^http:\/\/(?:127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\]|localhost):\d+$/.test(String(url))) return false;
      try {
        const response = await fetch(`${String(url)}${HEALTH_PATH}`, { signal: AbortSignal.timeout(timeoutMs) });
        const body = (await response.json()) as { system?: unknown; pid?: unknown };
        return response.ok && body.system === system && body.pid === info.pid;
      } catch {
        return false;
      }
    }),
  );
  return answers.length > 0 && answers.every(Boolean) ? (info as RunningEmulatorsInfo) : undefined;
}
