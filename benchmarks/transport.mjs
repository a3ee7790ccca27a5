// pnpm bench: prints the transport's figures. Targets: pipeline overhead < 1.15x a bare fetch to a loopback
// server; exactly 1 token request when 1,000 calls start together at token expiry.
import { createServer } from 'node:http';
import ky from 'ky';
import { createClientCredentialsProvider, createHttpClient } from '@ml-connector/core';
import { createOAuthEmulator, serveOnLoopback } from '@ml-connector/core/testing';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

/** Median µs per sequential GET for each variant, interleaved round by round so machine drift hits all alike. */
async function overhead(records) {
  const payload = JSON.stringify({ value: Array.from({ length: records }, (_, i) => ({ id: `id-${i}`, number: `V${String(i).padStart(5, '0')}`, displayName: `Vendor ${i}`, balance: i * 10.5, blocked: ' ' })) });
  const server = createServer((_, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
    res.end(payload);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}/`;
  const client = createHttpClient({ baseUrl: base, allowLoopback: true, auth: { username: 'bench', password: 'x' } });
  const kyOnly = ky.create({ retry: 0, throwHttpErrors: false });
  const variants = {
    fetch: async () => (await fetch(`${base}vendors?%24top=10`, { headers: { accept: 'application/json' } })).json(),
    ky: async () => (await kyOnly(`${base}vendors?%24top=10`, { headers: { accept: 'application/json' }, timeout: 30_000 })).json(),
    client: () => client.get('vendors', { query: { $top: 10 } }),
  };
  const samples = { fetch: [], ky: [], client: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, fn] of Object.entries(variants)) {
      for (let i = 0; i < 100; i++) await fn(); // warm-up: JIT, keep-alive sockets
      const t = process.hrtime.bigint();
      for (let i = 0; i < REQUESTS; i++) await fn();
      samples[name].push(Number(process.hrtime.bigint() - t) / 1e3 / REQUESTS);
    }
  }
  server.close();
  return { fetch: median(samples.fetch), ky: median(samples.ky), client: median(samples.client) };
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

for (const records of [10, 100]) {
  const o = await overhead(records);
  const ratio = o.client / o.fetch;
  console.log(
    `pipeline overhead, ${records}-record page: ${ratio.toFixed(3)}x bare fetch ` +
      `(fetch ${o.fetch.toFixed(0)} µs, ky alone ${o.ky.toFixed(0)} µs = ${(o.ky / o.fetch).toFixed(3)}x, client ${o.client.toFixed(0)} µs; ` +
      `median of ${ROUNDS} rounds × ${REQUESTS} sequential GETs) — target < 1.15x: ${ratio < 1.15 ? 'MET' : 'MISSED'}`,
  );
}
const t = await tokenStampede();
console.log(`token requests for 1,000 concurrent calls at token expiry: ${t.tokenRequests} (failed calls: ${t.failed}) — target exactly 1: ${t.tokenRequests === 1 && t.failed === 0 ? 'MET' : 'MISSED'}`);
