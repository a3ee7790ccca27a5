import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { InvalidInputError } from '../errors/index.js';
import { EmulatedConnectionDrop, TRUNCATE_HEADER } from './faults.js';

/** A fetch-style request handler, the shape every emulator exposes. */
export type FetchHandler = (request: Request) => Promise<Response>;

/** A fetch-style handler served over HTTP on a loopback address. */
export interface LoopbackServer {
  /** Base URL, e.g. `http://127.0.0.1:49152`. */
  readonly url: string;
  /** The bound port. */
  readonly port: number;
  /** Stops accepting connections and closes open ones. */
  close(): Promise<void>;
}

/** Options for {@link serveOnLoopback}. */
export interface ServeOptions {
  /** Loopback address to bind. Default `127.0.0.1`; only loopback addresses are allowed. */
  host?: string;
  /** Port; `0` (default) picks a free one. */
  port?: number;
}

const LOOPBACK = /^(?:127(?:\.\d{1,3}){3}|::1|localhost)$/;

/**
 * Serves a fetch-style handler as a real HTTP server on a loopback address. Emulated connection drops
 * become destroyed sockets and truncation faults send half the body, exactly as a flaky network would.
 */
export async function serveOnLoopback(handler: FetchHandler, options: ServeOptions = {}): Promise<LoopbackServer> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.test(host)) {
    throw new InvalidInputError(`Emulators bind only to loopback addresses; got host "${host}". Use 127.0.0.1.`, { field: 'host' });
  }
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    void dispatch(handler, req, res, host);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function dispatch(handler: FetchHandler, req: IncomingMessage, res: ServerResponse, host: string): Promise<void> {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
    }
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && chunks.length > 0;
    const request = new Request(`http://${req.headers.host ?? host}${req.url ?? '/'}`, {
      method: req.method ?? 'GET',
      headers,
      body: hasBody ? Buffer.concat(chunks) : undefined,
    });
    const response = await handler(request);
    const body = Buffer.from(await response.arrayBuffer());
    const truncate = response.headers.has(TRUNCATE_HEADER);
    const outHeaders: Record<string, string | string[]> = {};
    response.headers.forEach((value, name) => {
      if (name !== TRUNCATE_HEADER && name !== 'content-length') outHeaders[name] = value;
    });
    outHeaders['content-length'] = String(body.length);
    res.writeHead(response.status, outHeaders);
    if (truncate) {
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
      return;
    }
    res.end(body);
  } catch (error) {
    if (error instanceof EmulatedConnectionDrop) {
      res.destroy();
      return;
    }
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(`emulator failure: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Wraps a handler for in-process use (msw `http.all(...)` resolvers, or an injected `fetch`): emulated
 * connection drops become `Response.error()` (a network error for the caller) and truncation faults
 * become a body stream that fails half-way.
 */
export function inProcess(handler: FetchHandler): FetchHandler {
  return async (request) => {
    try {
      const response = await handler(request);
      if (!response.headers.has(TRUNCATE_HEADER)) return response;
      const body = new Uint8Array(await response.arrayBuffer());
      const headers = new Headers(response.headers);
      headers.delete(TRUNCATE_HEADER);
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(body.subarray(0, Math.floor(body.length / 2)));
          controller.error(new TypeError('terminated: emulated truncated body'));
        },
      });
      return new Response(stream, { status: response.status, headers });
    } catch (error) {
      if (error instanceof EmulatedConnectionDrop) return Response.error();
      throw error;
    }
  };
}

/**
 * A `fetch` function that sends every request straight to the handler, no sockets involved.
 * Connection drops reject with a `TypeError` like undici's, carrying `cause.code = 'ECONNRESET'`; an
 * aborted `signal` rejects with its reason (an `AbortError` `DOMException` by default), as fetch does.
 */
export function createInProcessFetch(handler: FetchHandler): typeof fetch {
  const wrapped = inProcess(handler);
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    const signal = request.signal;
    // Like fetch: an aborted signal rejects with its reason, before or while the handler runs.
    signal.throwIfAborted();
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_resolve, reject) => {
      onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    const response = await Promise.race([wrapped(request), aborted]).finally(() => signal.removeEventListener('abort', onAbort!));
    if (response.type === 'error') {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
    }
    return response;
  }) as typeof fetch;
}
