import type { parseArgs as ParseArgs } from 'node:util';
import { InvalidInputError } from '@ml-connector/core';
import type { BusinessCentralLimits } from '@ml-connector/business-central/testing';
import type { StartEmulatorsOptions } from './emulators.js';
import { DEFAULT_EMULATOR_PORTS, EMULATOR_SYSTEMS, type EmulatorSystem } from './systems.js';

/** Flag of each system's port, e.g. `--business-central-port`. */
const PORT_FLAGS: Record<EmulatorSystem, string> = {
  businessCentral: 'business-central-port',
  jaggaer: 'jaggaer-port',
  d365fo: 'd365fo-port',
  nav: 'nav-port',
  oracleFusion: 'oracle-fusion-port',
  jira: 'jira-port',
};

const BC_LIMIT_KEYS = ['requestsPerWindow', 'windowMs', 'maxConcurrent', 'maxQueued', 'maxPageSize', 'maxBatchOperations', 'maxSubscriptions', 'countBatchOperations', 'serviceTimeMs'] as const;

/** Help text. */
export const USAGE = `Usage: ml-connector-emulators [options]   (in this repository: pnpm emulators [options])

Serves the ml-connector emulators on 127.0.0.1 until Ctrl+C (SIGINT) or SIGTERM; state is saved in the state dir.

  --systems <list>           systems to start, comma-separated (default all):
                             ${EMULATOR_SYSTEMS.join(', ')} (or bc, j1p, fo, oracle)
  --port <base>              base port: the systems get base, base+1, … in the order above (default ${DEFAULT_EMULATOR_PORTS.businessCentral}; 0 = any free port)
${EMULATOR_SYSTEMS.map((s) => `  --${PORT_FLAGS[s]} <n>`.padEnd(29) + `port of ${s} (default ${DEFAULT_EMULATOR_PORTS[s]})`).join('\n')}
  --state-dir <dir>          where state is kept (default .ml-connector/emulators in the working directory)
  --reset                    discard saved state and reseed every system
  --bc-limits <k=v,…>        Business Central limits, e.g. requestsPerWindow=600,windowMs=10000,maxConcurrent=5,serviceTimeMs=20
                             (keys: ${BC_LIMIT_KEYS.join(', ')})
  --json                     print one line: a JSON object keyed by system, each value the options its client factory accepts
  -h, --help                 show this help
`;

/** Parsed command line. */
export interface CliArguments {
  /** `--help` was given. */
  help: boolean;
  /** `--json` was given. */
  json: boolean;
  /** Options for `startEmulators`. */
  options: StartEmulatorsOptions;
}

function port(flag: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65_535) throw new InvalidInputError(`--${flag} must be a port number from 0 to 65535, got "${value}"`, { field: flag });
  return n;
}

/** Short names accepted by `--systems` besides the system keys (case and `-` ignored). */
const ALIASES: Record<string, EmulatorSystem> = { bc: 'businessCentral', j1p: 'jaggaer', fo: 'd365fo', oracle: 'oracleFusion' };

function system(name: string): EmulatorSystem {
  const wanted = name.trim().toLowerCase().replaceAll('-', '');
  const found = EMULATOR_SYSTEMS.find((s) => s.toLowerCase() === wanted) ?? ALIASES[wanted];
  if (!found) throw new InvalidInputError(`--systems: unknown system "${name}"; use ${EMULATOR_SYSTEMS.join(', ')}`, { field: 'systems' });
  return found;
}

/** Parses `--bc-limits requestsPerWindow=600,…,serviceTimeMs=20` into sandbox limits and a service time. */
export function parseBcLimits(text: string): { limits: BusinessCentralLimits; serviceTimeMs?: number } {
  const limits: Record<string, number | boolean> = {};
  let serviceTimeMs: number | undefined;
  for (const pair of text.split(',').filter((p) => p.trim() !== '')) {
    const [rawKey = '', rawValue, ...rest] = pair.split('=');
    const key = rawKey.trim();
    const value = rawValue?.trim() ?? '';
    if (!(BC_LIMIT_KEYS as readonly string[]).includes(key) || rest.length > 0 || value === '') {
      throw new InvalidInputError(`--bc-limits: "${pair}" is not key=value with a key of ${BC_LIMIT_KEYS.join(', ')}`, { field: 'bc-limits' });
    }
    if (key === 'countBatchOperations') {
      if (value !== 'true' && value !== 'false') throw new InvalidInputError(`--bc-limits: countBatchOperations must be true or false, got "${value}"`, { field: 'bc-limits' });
      limits[key] = value === 'true';
      continue;
    }
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidInputError(`--bc-limits: ${key} must be a whole number, got "${value}"`, { field: 'bc-limits' });
    if (key === 'serviceTimeMs') serviceTimeMs = n;
    else limits[key] = n;
  }
  return { limits: limits as BusinessCentralLimits, ...(serviceTimeMs === undefined ? {} : { serviceTimeMs }) };
}

/** Parses the command line (strict: unknown flags are errors). */
export function parseCliArguments(argv: readonly string[], parseArgs: typeof ParseArgs): CliArguments {
  const portOptions = Object.fromEntries(Object.values(PORT_FLAGS).map((flag) => [flag, { type: 'string' as const }]));
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      help: { type: 'boolean', short: 'h' },
      json: { type: 'boolean' },
      reset: { type: 'boolean' },
      systems: { type: 'string' },
      port: { type: 'string' },
      'state-dir': { type: 'string' },
      'bc-limits': { type: 'string' },
      ...portOptions,
    },
  });
  const flags = values as Record<string, string | boolean | undefined>;
  const options: StartEmulatorsOptions = {};
  if (typeof flags.systems === 'string') options.systems = flags.systems.split(',').filter((s) => s.trim() !== '').map(system);
  const ports: Partial<Record<EmulatorSystem, number>> = {};
  if (typeof flags.port === 'string') {
    const base = port('port', flags.port);
    EMULATOR_SYSTEMS.forEach((s, i) => (ports[s] = base === 0 ? 0 : base + i));
    if (base + EMULATOR_SYSTEMS.length - 1 > 65_535) throw new InvalidInputError(`--port ${base} leaves no room for ${EMULATOR_SYSTEMS.length} ports`, { field: 'port' });
  }
  for (const s of EMULATOR_SYSTEMS) {
    const value = flags[PORT_FLAGS[s]];
    if (typeof value === 'string') ports[s] = port(PORT_FLAGS[s], value);
  }
  if (Object.keys(ports).length > 0) options.ports = ports;
  if (typeof flags['state-dir'] === 'string') options.stateDir = flags['state-dir'];
  if (flags.reset === true) options.reset = true;
  if (typeof flags['bc-limits'] === 'string') {
    const { limits, serviceTimeMs } = parseBcLimits(flags['bc-limits']);
    // The sandbox's per-request latency runs while the request holds a concurrency slot: a service time.
    options.sandboxes = { businessCentral: { limits, ...(serviceTimeMs ? { faults: { latencyMs: serviceTimeMs } } : {}) } };
  }
  return { help: flags.help === true, json: flags.json === true, options };
}
