import { createServer } from 'node:http';
import { InvalidInputError } from '@ml-connector/core';
import { createSyncEngine } from '@ml-connector/core/sync';
import { loadFoExampleEnvironment, connectFoExample } from '../fo/connections.ts';
import { openExampleStore } from '../shared/scale-out.ts';
import { createPurchaseOrderEventHandler } from './events.ts';
import { createFoMasterDataFlows } from './flows.ts';

/**
 * `node examples/src/fo-master-data/serve.ts`: the HTTPS business event endpoint of fo-master-data (register
 * `https://<host>/fo-events?code=<FO_EVENTS_SECRET>` as the endpoint of "Purchase order confirmed" in F&O; put TLS
 * in front). Each confirmed order is pushed to JAGGAER at once, through the same engine store as the scheduled
 * `pnpm example:fo-master-data`, so the next scheduled run skips it.
 */
async function main(): Promise<void> {
  const secret = process.env['FO_EVENTS_SECRET'];
  if (!secret) throw new InvalidInputError('set FO_EVENTS_SECRET (the ?code= of the F&O endpoint URL)', { field: 'FO_EVENTS_SECRET' });
  const env = loadFoExampleEnvironment();
  const connections = await connectFoExample(env);
  const store = await openExampleStore(env.statePath, undefined);
  const engine = createSyncEngine({ store });
  const legalEntity = process.env['FO_MASTER_DATA_LEGAL_ENTITY'] || 'usmf';
  const flow = createFoMasterDataFlows({ financeOperations: connections.financeOperations, jaggaer: connections.jaggaer, legalEntity }).at(-1)!;
  const handler = createPurchaseOrderEventHandler({
    financeOperations: connections.financeOperations,
    engine,
    flow: flow as never,
    legalEntity,
    secret,
    onOutcome: (outcome) => process.stderr.write(`${outcome.event.id} ${outcome.event.controlNumber}: ${outcome.result} ${outcome.purchaseOrder ?? ''}\n`),
  });
  const port = Number(process.env['FO_EVENTS_PORT'] ?? 8788);
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const request = new Request(url, { method: req.method ?? 'GET', headers: req.headers as Record<string, string>, ...(req.method === 'POST' ? { body: Buffer.concat(chunks) } : {}) });
    const response = url.pathname === '/fo-events' ? await handler(request) : new Response(null, { status: 404 });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  const stop = () => server.close(() => void Promise.all([store.close(), connections.close()]));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  server.listen(port, process.env['FO_EVENTS_HOST'] ?? '127.0.0.1', () => process.stderr.write(`fo-master-data: POST /fo-events on port ${port} (${connections.description})\n`));
}

if (import.meta.main) await main();
