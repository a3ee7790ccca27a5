// pnpm bench: prints the transport's figures. Targets: the full client at most 1.15x ky alone (ky is the
// design's transport, so this is the pipeline's own cost); bare fetch is printed for information; exactly 1
// token request when 1,000 calls start together at token expiry.
import { createServer } from 'node:http';
import ky from 'ky';
import { createClientCredentialsProvider, createHttpClient } from '@ml-connector/core';
import { createOAuthEmulator, serveOnLoopback } from '@ml-connector/core/testing';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 250);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);

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
    fetch: async () => (await fetch(`${base}vendors?%24top=${records}`, { headers: { accept: 'application/json' } })).json(),
    ky: async () => (await kyOnly(`${base}vendors?%24top=${records}`, { headers: { accept: 'application/json' }, timeout: 30_000 })).json(),
    client: () => client.get('vendors', { query: { $top: records } }),
  };
  const names = Object.keys(variants);
  const wall = { fetch: [], ky: [], client: [] };
  const cpu = { fetch: [], ky: [], client: [] };
  for (const name of names) for (let i = 0; i < 200; i++) await variants[name](); // warm-up: JIT, keep-alive sockets
  for (let round = 0; round < ROUNDS; round++) {
    // Short rounds in rotating order, so drift of a shared machine hits every variant alike.
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length];
      const fn = variants[name];
      const c = process.cpuUsage();
      const t = process.hrtime.bigint();
      for (let i = 0; i < REQUESTS; i++) await fn();
      wall[name].push(Number(process.hrtime.bigint() - t) / 1e3 / REQUESTS);
      const used = process.cpuUsage(c);
      cpu[name].push((used.user + used.system) / REQUESTS);
    }
  }
  server.close();
  const pick = (samples) => Object.fromEntries(names.map((n) => [n, median(samples[n])]));
  return { wall: pick(wall), cpu: pick(cpu) };
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

const TARGET_VS_KY = 1.15;
const us = (x) => `${x.toFixed(0)} µs`;
for (const records of [10, 100]) {
  const { wall, cpu } = await overhead(records);
  const vsKy = wall.client / wall.ky;
  console.log(
    `${records}-record page, wall clock: client ${vsKy.toFixed(3)}x ky alone — target <= ${TARGET_VS_KY}x: ${vsKy <= TARGET_VS_KY ? 'MET' : 'MISSED'}; ` +
      `${(wall.client / wall.fetch).toFixed(3)}x bare fetch (info; ky alone ${(wall.ky / wall.fetch).toFixed(3)}x). ` +
      `Per GET: fetch ${us(wall.fetch)}, ky ${us(wall.ky)}, client ${us(wall.client)}`,
  );
  console.log(
    `${records}-record page, CPU time (client and server in this process; steadier on a shared machine): ` +
      `client ${(cpu.client / cpu.ky).toFixed(3)}x ky alone, ${(cpu.client / cpu.fetch).toFixed(3)}x bare fetch. ` +
      `Per GET: fetch ${us(cpu.fetch)}, ky ${us(cpu.ky)}, client ${us(cpu.client)} ` +
      `(medians of ${ROUNDS} interleaved rounds × ${REQUESTS} sequential GETs)`,
  );
}
const t = await tokenStampede();
console.log(`token requests for 1,000 concurrent calls at token expiry: ${t.tokenRequests} (failed calls: ${t.failed}) — target exactly 1: ${t.tokenRequests === 1 && t.failed === 0 ? 'MET' : 'MISSED'}`);
