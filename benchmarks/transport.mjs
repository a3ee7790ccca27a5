// pnpm bench: prints the transport's figures. Targets: pipeline overhead < 1.15x a bare fetch to a loopback
// server; exactly 1 token request when 1,000 calls start together at token expiry.
import { createServer } from 'node:http';
import { createClientCredentialsProvider, createHttpClient } from '@ml-connector/core';
import { createOAuthEmulator, serveOnLoopback } from '@ml-connector/core/testing';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

async function overhead() {
  const payload = JSON.stringify({ value: Array.from({ length: 10 }, (_, i) => ({ id: i, name: `Vendor ${i}` })) });
  const server = createServer((_, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
    res.end(payload);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}/`;
  const client = createHttpClient({ baseUrl: base, allowLoopback: true, auth: { username: 'bench', password: 'x' } });

  const bare = async () => {
    for (let i = 0; i < REQUESTS; i++) await (await fetch(`${base}vendors?$top=10`, { headers: { accept: 'application/json' } })).json();
  };
  const viaClient = async () => {
    for (let i = 0; i < REQUESTS; i++) await client.get('vendors', { query: { $top: 10 } });
  };
  const time = async (fn) => {
    const t = process.hrtime.bigint();
    await fn();
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  await bare();
  await viaClient(); // warm-up: JIT, keep-alive sockets
  const ratios = [];
  const bareMs = [];
  const clientMs = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate the order so drift on a shared machine hits both sides alike.
    const [a, b] = r % 2 ? [await time(viaClient), await time(bare)] : [await time(bare), await time(viaClient)].reverse();
    clientMs.push(a);
    bareMs.push(b);
    ratios.push(a / b);
  }
  server.close();
  const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  const perBare = (median(bareMs) * 1000) / REQUESTS;
  const perClient = (median(clientMs) * 1000) / REQUESTS;
  return { ratio: median(ratios), perBare, perClient };
}

async function tokenStampede() {
  let now = Date.now();
  const idp = createOAuthEmulator({ flavour: 'entra', clients: [{ clientId: 'bench', clientSecret: 'bench-secret' }], tokenLifetimeSeconds: 3600, now: () => now });
  const audience = 'https://api.example.test';
  const server = await serveOnLoopback(async (request) => {
    const url = new URL(request.url);
    if (url.pathname.endsWith('/token')) return idp.handleTokenRequest(request);
    const check = idp.authenticate(request, audience);
    return check.ok ? Response.json({ ok: true }) : Response.json({ error: check.reason }, { status: 401 });
  });
  const auth = createClientCredentialsProvider({
    tokenUrl: `${server.url}/tenant/oauth2/v2.0/token`,
    clientId: 'bench',
    clientSecret: 'bench-secret',
    scope: `${audience}/.default`,
    now: () => now,
  });
  const client = createHttpClient({ baseUrl: `${server.url}/api/`, allowLoopback: true, auth, throttle: false });
  await client.get('warm');
  const before = idp.issuedCount;
  now += 3600 * 1000 + 1; // every cached token is now expired
  const results = await Promise.allSettled(Array.from({ length: 1000 }, () => client.get('x')));
  await server.close();
  return { tokenRequests: idp.issuedCount - before, failed: results.filter((r) => r.status === 'rejected').length };
}

const o = await overhead();
console.log(`pipeline overhead: ${o.ratio.toFixed(3)}x bare fetch (median of ${ROUNDS} rounds × ${REQUESTS} sequential GETs; ` +
  `${o.perBare.toFixed(0)} µs bare vs ${o.perClient.toFixed(0)} µs via client per request) — target < 1.15x: ${o.ratio < 1.15 ? 'MET' : 'MISSED'}`);
const t = await tokenStampede();
console.log(`token requests for 1,000 concurrent calls at token expiry: ${t.tokenRequests} (failed calls: ${t.failed}) — target exactly 1: ${t.tokenRequests === 1 && t.failed === 0 ? 'MET' : 'MISSED'}`);
