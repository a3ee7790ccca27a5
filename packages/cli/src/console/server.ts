import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidInputError, isConnectorError, redactText, type ThrottleState } from '@ml-connector/core';
import { createSyncEngine, type SyncStore } from '@ml-connector/core/sync';
import type { ConnectorEnvironment } from '../config.js';
import { buildFlow, type FlowRegistry } from '../flows.js';
import { auditTrail, listReviewItems, listRuns } from '../operations.js';
import { CONSOLE_PAGE } from './page.js';

/** Options of {@link startConsole}. */
export interface ConsoleOptions {
  /** The engine's store (runs, audit, review queue). */
  readonly store: SyncStore;
  /** Configuration handed to flow factories on replay. */
  readonly env: ConnectorEnvironment;
  /** Flow factories for replay; without it the console is read-only. */
  readonly registry?: FlowRegistry;
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /** Access token; default 32 random bytes, base64url. */
  readonly token?: string;
  /**
   * Live throttle state per tenant when the console runs inside the process that runs the flows (key → state, e.g.
   * from `AdaptiveThrottle.state`). The command-line console has none and shows the runs' recorded figures.
   */
  readonly throttleStates?: () => Readonly<Record<string, ThrottleState>>;
}

/** A running console. */
export interface RunningConsole {
  /** `http://127.0.0.1:<port>/?token=<token>`: the only URL that opens it. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const LOOPBACK_HOST = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?$/;

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of request) {
    text += String(chunk);
    if (text.length > 64_000) throw new HttpProblem(413, 'body too large');
  }
  try {
    const value = JSON.parse(text || '{}') as unknown;
    if (typeof value !== 'object' || value === null) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch {
    throw new HttpProblem(400, 'the body must be a JSON object');
  }
}

function send(response: ServerResponse, status: number, body: unknown, type = 'application/json; charset=utf-8'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'content-security-policy': "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  });
  response.end(text);
}

/**
 * Serves the operator console on 127.0.0.1: runs, records with their audit trail, the review queue with replay
 * (confirmation first), search by business identifier, throttle state per tenant. Every request needs the random
 * token (page: `?token=`; API: `x-console-token` header, which also stops cross-site requests) and a loopback
 * `Host` header (no DNS rebinding).
 */
export async function startConsole(options: ConsoleOptions): Promise<RunningConsole> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const expected = Buffer.from(token);
  const tokenMatches = (given: string | null | undefined) => {
    if (!given) return false;
    const actual = Buffer.from(given);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  };
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new InvalidInputError(`port must be 0 to 65535, got ${String(options.port)}`, { field: 'port' });
  const { store } = options;

  const api = async (request: IncomingMessage, url: URL): Promise<unknown> => {
    const path = url.pathname;
    if (request.method === 'GET' && path === '/api/runs') return listRuns(store, { limit: 100 });
    if (request.method === 'GET' && path === '/api/review') {
      const state = (url.searchParams.get('state') ?? 'open,retrying').split(',') as Array<'open' | 'retrying' | 'resolved' | 'ignored'>;
      return listReviewItems(store, { state });
    }
    if (request.method === 'GET' && path === '/api/audit') {
      const id = url.searchParams.get('id')?.trim();
      if (!id) throw new HttpProblem(400, 'id is required: an invoice, PO or vendor number, or a record id');
      return auditTrail(store, id);
    }
    if (request.method === 'GET' && path === '/api/throttle') {
      const live = options.throttleStates?.() ?? {};
      const runs = await listRuns(store, { limit: 100 });
      const latest = new Map<string, (typeof runs)[number]>();
      for (const run of runs) if (!latest.has(run.flow)) latest.set(run.flow, run);
      return {
        live: Object.entries(live).map(([key, state]) => ({ key, ...state })),
        recorded: [...latest.values()].map((run) => ({ flow: run.flow, runId: run.id, finishedAt: run.finishedAt ?? null, stats: run.stats ?? {} })),
      };
    }
    if (request.method === 'POST' && path === '/api/replay') {
      const body = await readJson(request);
      const flow = typeof body['flow'] === 'string' ? body['flow'] : '';
      const sourceId = typeof body['sourceId'] === 'string' ? body['sourceId'] : '';
      if (!flow || !sourceId) throw new HttpProblem(400, 'flow and sourceId are required');
      if (body['confirm'] !== true) throw new HttpProblem(400, 'replay writes to the target system: send confirm: true after asking the operator');
      if (!options.registry) throw new HttpProblem(409, 'replay needs the flow definitions: start the console with --flows <module> or ML_CONNECTOR_FLOWS');
      const item = (await listReviewItems(store, { flow, state: ['open', 'retrying'] })).find((i) => i.sourceId === sourceId);
      if (!item) throw new HttpProblem(404, `no open review item ${flow}/${sourceId}`);
      const built = await buildFlow(options.registry, flow, { env: options.env, store });
      try {
        return await createSyncEngine({ store }).replay(built.flow, { sourceId });
      } finally {
        await built.close?.();
      }
    }
    throw new HttpProblem(404, 'no such endpoint');
  };

  const server = createServer((request, response) => {
    const host = request.headers.host ?? '';
    if (!LOOPBACK_HOST.test(host)) return send(response, 421, { error: 'the console only answers on loopback' });
    const url = new URL(request.url ?? '/', `http://${host}`);
    void (async () => {
      try {
        if (url.pathname === '/') {
          if (request.method !== 'GET' || !tokenMatches(url.searchParams.get('token'))) return send(response, 401, 'Open the URL printed by `ml-connector console` (it carries the access token).', 'text/plain; charset=utf-8');
          return send(response, 200, CONSOLE_PAGE, 'text/html; charset=utf-8');
        }
        if (!url.pathname.startsWith('/api/')) return send(response, 404, { error: 'not found' });
        if (!tokenMatches(request.headers['x-console-token'] as string | undefined)) return send(response, 401, { error: 'missing or wrong x-console-token' });
        return send(response, 200, await api(request, url));
      } catch (error) {
        if (error instanceof HttpProblem) return send(response, error.status, { error: error.message });
        const text = isConnectorError(error) ? error.message : redactText(error instanceof Error ? error.message : String(error));
        return send(response, 500, { error: text });
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}/?token=${token}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
