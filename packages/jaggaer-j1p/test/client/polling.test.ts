import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isInvalidInputError, isServerError } from '@ml-connector/core';
import { createJaggaerClient, decodePollCursor, encodePollCursor, pollChanges, type PollState } from '@ml-connector/jaggaer-j1p';
import { createJaggaerSandbox, generateJaggaerSeed, SANDBOX_BASE_URL, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from '@ml-connector/jaggaer-j1p/testing';
import { changeServer, type ListingBehaviour, type Row } from './change-server.js';
import { failure, setup } from './helpers.js';

const BASE = Date.UTC(2025, 5, 1);

/** A seed whose invoices share timestamps in blocks of `block`, all Approved. */
function blockSeed(count: number, block: number) {
  const data = generateJaggaerSeed({ seed: 3, invoices: count });
  data.invoices.forEach((inv, i) => {
    inv.lastUpdate = BASE + Math.floor(i / block) * 1000;
    inv.workflowStatus = 'Approved';
  });
  return data;
}

const ids = (list: { invoiceId: string }[]) => list.map((i) => i.invoiceId);

describe('invoices.poll against the sandbox', () => {
  it('delivers every invoice once, with lines, when many share a timestamp, then only later changes', async () => {
    const { sandbox, client } = setup({ data: blockSeed(120, 25) });
    const first = await client.invoices.poll({ status: 'Approved', pageSize: 10 });
    expect(first.complete).toBe(true);
    expect(first.settled).toBe(true);
    expect(new Set(ids(first.invoices)).size).toBe(120);
    expect(first.invoices).toHaveLength(120);
    expect(first.invoices.every((i) => i.lines.length > 0)).toBe(true);
    expect(first.since).toBe(new Date(BASE + 4000).toISOString());

    const quiet = await client.invoices.poll({ status: 'Approved', cursor: first.cursor, pageSize: 10 });
    expect(quiet.invoices).toEqual([]);
    expect(quiet.since).toBe(first.since);

    const edited = sandbox.invoices().slice(0, 3).map((i) => i.invoiceId);
    for (const id of edited) sandbox.updateInvoice(id, { notes: 'edited' });
    const next = await client.invoices.poll({ status: 'Approved', cursor: quiet.cursor, pageSize: 10 });
    expect(next.invoices.map((i) => Number(i.invoiceId)).sort()).toEqual([...edited].sort());
    expect(Date.parse(next.since!)).toBeGreaterThan(Date.parse(first.since!));
    expect((await client.invoices.poll({ status: 'Approved', cursor: next.cursor })).invoices).toEqual([]);
  });

  it('returns invoices ordered by (lastUpdate, invoiceId) although the sandbox lists by invoice id', async () => {
    const { sandbox, client } = setup({ size: { invoices: 80 } });
    const result = await client.invoices.poll({ pageSize: 9 });
    const expected = sandbox.invoices().map((i) => String(i.invoiceId)); // (lastUpdate, invoiceId) order
    expect(ids(result.invoices)).toEqual(expected);
  });

  it('pages through a large equal-timestamp block with maxInvoices, without gaps or repeats', async () => {
    const { client } = setup({ data: blockSeed(90, 90) });
    const seen: string[] = [];
    let cursor: string | undefined;
    let rounds = 0;
    for (;;) {
      const result = await client.invoices.poll({ status: 'Approved', pageSize: 7, maxInvoices: 20, withLines: false, ...(cursor ? { cursor } : {}) });
      seen.push(...ids(result.invoices));
      cursor = result.cursor;
      rounds++;
      if (result.complete) break;
    }
    expect(rounds).toBe(5);
    expect(seen).toHaveLength(90);
    expect(new Set(seen).size).toBe(90);
  });

  it('does not lose invoices that change while a poll is paging, whatever the listing order', async () => {
    for (const order of ['invoiceId', 'lastUpdate'] as const) {
      const data = blockSeed(60, 1);
      const sandbox = createJaggaerSandbox({ data, invoiceList: { order } });
      let listCalls = 0;
      const fetchWithEdits: typeof fetch = async (input, init) => {
        const request = new Request(input, init);
        if (new URL(request.url).pathname.endsWith('/ji/v1/invoices') && ++listCalls === 2) {
          // A user edits an invoice from the first page while the poll reads page two.
          sandbox.updateInvoice(data.invoices[2]!.invoiceId, { notes: 'changed mid-poll' });
        }
        return sandbox.fetch(request);
      };
      const client = createJaggaerClient({ host: SANDBOX_BASE_URL, clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET, fetch: fetchWithEdits, throttle: false });
      const first = await client.invoices.poll({ status: 'Approved', pageSize: 10 });
      const second = await client.invoices.poll({ status: 'Approved', cursor: first.cursor, pageSize: 10 });
      const all = [...first.invoices, ...second.invoices];
      expect(new Set(ids(all)).size, order).toBe(60);
      const versions = all.map((i) => `${i.invoiceId}@${i.lastUpdate}`);
      expect(new Set(versions).size, order).toBe(versions.length);
      const latest = all.filter((i) => Number(i.invoiceId) === data.invoices[2]!.invoiceId).at(-1)!;
      expect(latest.raw.header.notes, order).toBe('changed mid-poll');
      expect((await client.invoices.poll({ status: 'Approved', cursor: second.cursor })).invoices, order).toEqual([]);
    }
  });

  it('a first poll from `since` starts exactly there', async () => {
    const { client } = setup({ data: blockSeed(50, 10) });
    const result = await client.invoices.poll({ status: 'Approved', since: new Date(BASE + 3000) });
    expect(result.invoices).toHaveLength(20);
    expect(result.invoices.every((i) => Date.parse(i.lastUpdate!) >= BASE + 3000)).toBe(true);
  });

  it('until reads a time slice; resuming from its cursor without until delivers the rest, nothing twice', async () => {
    const { client } = setup({ data: blockSeed(50, 10) });
    const first = await client.invoices.poll({ since: new Date(BASE), until: new Date(BASE + 1999), withLines: false });
    expect(first.complete).toBe(true);
    expect(first.invoices.length).toBeGreaterThan(0);
    expect(first.invoices.every((i) => Date.parse(i.lastUpdate!) <= BASE + 1999)).toBe(true);
    const rest = await client.invoices.poll({ cursor: first.cursor, withLines: false });
    const all = [...ids(first.invoices), ...ids(rest.invoices)];
    expect(new Set(all).size).toBe(all.length);
    expect(rest.invoices.every((i) => Date.parse(i.lastUpdate!) > BASE + 1999)).toBe(true);
    const everything = await client.invoices.poll({ since: new Date(BASE), withLines: false });
    expect(all.sort()).toEqual(ids(everything.invoices).sort());
  });

  it('fetches lines with bounded concurrency, and reports invoices that vanished before their get', async () => {
    const sandbox = createJaggaerSandbox({ seed: 4, size: { invoices: 30 } });
    let inFlight = 0;
    let maxInFlight = 0;
    const gone = String(sandbox.invoices()[5]!.invoiceId);
    const tracking: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      const single = /\/ji\/v1\/invoices\/\d+$/.test(new URL(request.url).pathname);
      if (!single) return sandbox.fetch(request);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        await new Promise((resolve) => setImmediate(resolve));
        if (request.url.endsWith(`/${gone}`)) return Response.json({ returnCode: 404, returnMessage: 'Invoice not found.' }, { status: 404 });
        return await sandbox.fetch(request);
      } finally {
        inFlight--;
      }
    };
    const client = createJaggaerClient({
      host: SANDBOX_BASE_URL,
      clientId: SANDBOX_CLIENT_ID,
      clientSecret: SANDBOX_CLIENT_SECRET,
      fetch: tracking,
      throttle: false,
      invoiceFetchConcurrency: 3,
    });
    const result = await client.invoices.poll({});
    expect(maxInFlight).toBe(3);
    expect(result.notFound).toEqual([gone]);
    expect(result.invoices).toHaveLength(29);
    expect(result.invoices.every((i) => i.lines.length > 0)).toBe(true);
    expect(sandbox.stats().byRoute.invoice).toBe(29);

    maxInFlight = 0;
    const listed = await client.invoices.list({ pageSize: 50 }).toArray({ limit: 100 });
    expect(listed.every((i) => i.lines.length === 0)).toBe(true);
    const completed = await client.invoices.withLines(listed.slice(0, 10), { concurrency: 2 });
    expect(maxInFlight).toBe(2);
    expect(ids(completed)).toEqual(ids(listed.slice(0, 10)).filter((id) => id !== gone)); // gone (404) is left out
    expect(completed.every((i) => i.lines.length > 0)).toBe(true);
  });

  it('a failing get fails the poll (no cursor is returned, so nothing is lost) and stops the other fetches', async () => {
    const sandbox = createJaggaerSandbox({ seed: 4, size: { invoices: 40 } });
    const broken = String(sandbox.invoices()[2]!.invoiceId);
    let gets = 0;
    const failing: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      if (!/\/ji\/v1\/invoices\/\d+$/.test(new URL(request.url).pathname)) return sandbox.fetch(request);
      gets++;
      if (request.url.endsWith(`/${broken}`)) return Response.json({ returnCode: 500, returnMessage: 'boom' }, { status: 500 });
      await new Promise((resolve) => setImmediate(resolve));
      return sandbox.fetch(request);
    };
    const client = createJaggaerClient({ host: SANDBOX_BASE_URL, clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET, fetch: failing, throttle: false, retry: false });
    const error = await failure(client.invoices.poll({ concurrency: 2 }));
    expect(isServerError(error)).toBe(true);
    // Let anything still running in the background go on for a while (event-loop turns, not time): nothing does.
    for (let i = 0; i < 200; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(gets).toBeLessThan(10); // the remaining gets were not started
  });

  it('an invoice changed between its listing and its get is delivered once, in the newer version', async () => {
    const sandbox = createJaggaerSandbox({ seed: 4, size: { invoices: 12 } });
    const target = sandbox.invoices()[3]!.invoiceId;
    let edited = false;
    const editing: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      if (!edited && request.url.endsWith(`/invoices/${target}`)) {
        edited = true;
        sandbox.updateInvoice(target, { notes: 'edited before the get' });
      }
      return sandbox.fetch(request);
    };
    const client = createJaggaerClient({ host: SANDBOX_BASE_URL, clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET, fetch: editing, throttle: false });
    const first = await client.invoices.poll({});
    expect(first.invoices.find((i) => Number(i.invoiceId) === target)!.raw.header.notes).toBe('edited before the get');
    const second = await client.invoices.poll({ cursor: first.cursor });
    expect(second.invoices).toEqual([]);
  });

  it('rejects bad cursors and conflicting options', async () => {
    const { client } = setup();
    expect(isInvalidInputError(await failure(client.invoices.poll({ cursor: 'garbage' })))).toBe(true);
    expect(isInvalidInputError(await failure(client.invoices.poll({ cursor: encodePollCursor({ seen: [] }), since: BASE })))).toBe(true);
    expect(isInvalidInputError(await failure(client.invoices.poll({ lookbackMs: -1 })))).toBe(true);
    expect(isInvalidInputError(await failure(client.invoices.poll({ pageSize: 1 })))).toBe(true);
    expect(isInvalidInputError(await failure(client.invoices.poll({ concurrency: 0 })))).toBe(true);
    expect(decodePollCursor(encodePollCursor({ sinceMs: 5, windowStartMs: 3, seen: ['1@5'] }))).toEqual({ sinceMs: 5, windowStartMs: 3, seen: ['1@5'] });
    // Cursors written before the window was recorded still resume.
    const v1 = `j1p-poll:v1:${Buffer.from(JSON.stringify({ s: 5, k: ['1@5'] })).toString('base64url')}`;
    expect(decodePollCursor(v1)).toEqual({ sinceMs: 5, seen: ['1@5'] });
  });
});

describe('invoices.poll on the public J1P list sample (msw)', () => {
  const HOST = 'https://sample.api.jaggaer.test';
  const sample = JSON.parse(readFileSync(new URL('../fixtures/ucla-invoice-list.json', import.meta.url), 'utf8'));
  const entries: { header: Record<string, any> }[] = sample.jiinvoiceList.jiinvoice;
  const server = setupServer(
    http.post(`${HOST}/auth/realms/J1p-integrations/protocol/openid-connect/token`, () =>
      HttpResponse.json({ access_token: 'tok', expires_in: 3600, token_type: 'Bearer' }),
    ),
    // The list answers exactly as published: one page, id order, headers only, whatever the query.
    http.get(`${HOST}/j1p/api/public/ji/v1/invoices`, () => HttpResponse.json(sample)),
    http.get(`${HOST}/j1p/api/public/ji/v1/invoices/:id`, ({ params }) => {
      const entry = entries.find((e) => String(e.header.invoiceId) === params.id);
      if (!entry) return HttpResponse.json({ returnCode: 404, returnMessage: 'not found' }, { status: 404 });
      return HttpResponse.json({ ...entry, lineList: { invoiceLine: [{ lineId: 1, lineNumber: 1, quantity: 1, unitPrice: entry.header.total?.value ?? 0 }] } });
    }),
  );
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterAll(() => server.close());

  it('the sample really is ordered by invoice id, not by lastUpdate, and has no lines', () => {
    const idsInOrder = entries.map((e) => Number(e.header.invoiceId));
    expect(idsInOrder).toEqual([...idsInOrder].sort((a, b) => a - b));
    const times = entries.map((e) => Date.parse(e.header.lastUpdate));
    expect(times).not.toEqual([...times].sort((a, b) => a - b));
    expect(entries.every((e) => !('lineList' in e))).toBe(true);
  });

  it('delivers all 64 invoices once, in (lastUpdate, invoiceId) order, each with its lines', async () => {
    const client = createJaggaerClient({ host: HOST, clientId: 'c', clientSecret: 's', throttle: false });
    const first = await client.invoices.poll({});
    expect(first.invoices).toHaveLength(64);
    const expected = [...entries]
      .sort((a, b) => Date.parse(a.header.lastUpdate) - Date.parse(b.header.lastUpdate) || a.header.invoiceId - b.header.invoiceId)
      .map((e) => String(e.header.invoiceId));
    expect(ids(first.invoices)).toEqual(expected);
    expect(first.invoices.every((i) => i.lines.length === 1)).toBe(true);
    expect(first.since).toBe('2024-02-14T20:06:11.029Z');
    const again = await client.invoices.poll({ cursor: first.cursor });
    expect(again.invoices).toEqual([]);
  });
});

describe('invoices.poll against servers with late commits and coarse filters (msw)', () => {
  const HOST = 'https://late.api.jaggaer.test';
  const server = setupServer(
    http.post(`${HOST}/auth/realms/J1p-integrations/protocol/openid-connect/token`, () =>
      HttpResponse.json({ access_token: 'tok', expires_in: 3600, token_type: 'Bearer' }),
    ),
  );
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  const record = (id: number, ms: number) => ({ header: { invoiceId: id, lastUpdate: new Date(ms).toISOString(), workflowStatus: 'Approved' } });
  /** A list endpoint in invoice-id order whose lastUpdateFrom compares at `precisionMs`, counting its requests. */
  const serve = (rows: () => ReturnType<typeof record>[], precisionMs = 1) => {
    const counter = { requests: 0 };
    const floor = (ms: number) => Math.floor(ms / precisionMs) * precisionMs;
    server.use(
      http.get(`${HOST}/j1p/api/public/ji/v1/invoices`, ({ request }) => {
        counter.requests++;
        const url = new URL(request.url);
        const from = url.searchParams.get('lastUpdateFrom');
        const startAt = Number(url.searchParams.get('startAt'));
        const max = Number(url.searchParams.get('maxRecords'));
        const matches = rows()
          .filter((r) => from === null || floor(Date.parse(r.header.lastUpdate)) >= floor(Date.parse(from)))
          .sort((a, b) => a.header.invoiceId - b.header.invoiceId);
        const page = matches.slice(startAt - 1, startAt - 1 + max);
        return HttpResponse.json({ returnCode: 0, totRecords: matches.length, returnedRecords: page.length, startAt, jiinvoiceList: { jiinvoice: page } });
      }),
    );
    return counter;
  };
  const client = () => createJaggaerClient({ host: HOST, clientId: 'c', clientSecret: 's', throttle: false });

  it('picks up a change committed later with an older timestamp inside the look-back window', async () => {
    let rows = [record(1, BASE), record(2, BASE + 60_000)];
    serve(() => rows);
    const jaggaer = client();
    const first = await jaggaer.invoices.poll({ withLines: false });
    expect(ids(first.invoices)).toEqual(['1', '2']);
    rows = [...rows, record(3, BASE + 30_000)]; // committed after the first poll, stamped before its high-water mark
    const second = await jaggaer.invoices.poll({ cursor: first.cursor, withLines: false });
    expect(ids(second.invoices)).toEqual(['3']);
    expect(second.since).toBe(first.since);
  });

  it('a changed look-back does not redeliver what the cursor already covered', async () => {
    const rows = [record(1, BASE), record(2, BASE + 30_000), record(3, BASE + 60_000)];
    serve(() => rows);
    const jaggaer = client();
    const first = await jaggaer.invoices.poll({ withLines: false, lookbackMs: 1000 });
    expect(first.invoices).toHaveLength(3);
    // A ten-times larger look-back now reaches invoices 2 and 1, which the cursor does not name: still nothing new.
    const wider = await jaggaer.invoices.poll({ cursor: first.cursor, withLines: false, lookbackMs: 120_000 });
    expect(wider.invoices).toEqual([]);
    const narrower = await jaggaer.invoices.poll({ cursor: wider.cursor, withLines: false, lookbackMs: 0 });
    expect(narrower.invoices).toEqual([]);
  });

  it('terminates on a server whose lastUpdateFrom filter only has day precision', async () => {
    // Sixty invoices in one second: with second or day filters the old keyset poll asked the same page forever.
    const rows = Array.from({ length: 60 }, (_, i) => record(100 + i, BASE + 5000 + (i % 7)));
    const counter = serve(() => rows, 86_400_000);
    const jaggaer = client();
    const first = await jaggaer.invoices.poll({ withLines: false, pageSize: 10, lookbackMs: 0 });
    expect(first.invoices).toHaveLength(60);
    const onePass = 1 + Math.ceil((60 - 10) / 9); // pages of ten overlapping by one
    expect(counter.requests).toBe(onePass);
    counter.requests = 0;
    const second = await jaggaer.invoices.poll({ cursor: first.cursor, withLines: false, pageSize: 10, lookbackMs: 0 });
    expect(second.invoices).toEqual([]);
    expect(counter.requests).toBe(onePass); // the whole day is read again, and dropped client-side
  });
});

describe('pollChanges (property)', () => {
  const behaviour: fc.Arbitrary<ListingBehaviour> = fc.record({
    order: fc.constantFrom('id' as const, 'time' as const, 'shuffled' as const),
    filterPrecisionMs: fc.constantFrom(1, 10, 100, 1000),
    maxPageSize: fc.integer({ min: 1, max: 12 }),
    salt: fc.nat(),
  });
  const round = fc.record({
    edits: fc.array(fc.record({ row: fc.nat(), advance: fc.integer({ min: 0, max: 40 }), late: fc.boolean() }), { maxLength: 8 }),
    lookbackMs: fc.constantFrom(0, 5, 50, 500),
  });

  it('delivers every version present exactly once across polls, with ties, any order, page size and filter precision, in bounded requests', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 50 }),
        fc.constantFrom(1, 5),
        behaviour,
        fc.integer({ min: 2, max: 9 }),
        fc.option(fc.integer({ min: 1, max: 15 }), { nil: undefined }),
        fc.array(round, { maxLength: 5 }),
        async (stamps, timestampPrecisionMs, listing, pageSize, maxItems, rounds) => {
          const rows = new Map<string, number>(stamps.map((s, i) => [String(1000 + i), s * timestampPrecisionMs]));
          const server = changeServer(rows, listing);
          const delivered: string[] = [];
          let state: PollState = { seen: [] };
          let clock = 31 * timestampPrecisionMs;
          const effective = Math.min(pageSize, listing.maxPageSize);
          const drain = async (lookbackMs: number) => {
            for (let polls = 0; polls <= rows.size + 1; polls++) {
              const before = server.requests;
              const r = await pollChanges<Row>((request) => server.fetchPage(request), (row) => row, {
                state,
                lookbackMs,
                pageSize,
                ...(maxItems ? { maxItems } : {}),
              });
              // Bounded: one read of the window, overlapping pages by one record (no changes happen during a poll here).
              const bound = effective >= 2 ? Math.ceil(rows.size / (effective - 1)) + 1 : rows.size + 1;
              expect(server.requests - before).toBeLessThanOrEqual(bound);
              expect(r.requests).toBe(server.requests - before);
              expect(r.settled).toBe(true);
              delivered.push(...r.items.map((row) => `${row.id}@${row.ms}`));
              state = r.state;
              if (r.complete) return;
            }
            throw new Error('poll never completed');
          };
          const everyVersionDelivered = () => {
            for (const [id, ms] of rows) expect(delivered).toContain(`${id}@${ms}`);
          };
          await drain(0);
          everyVersionDelivered();
          for (const { edits, lookbackMs } of rounds) {
            for (const { row, advance, late } of edits) {
              const id = String(1000 + (row % stamps.length));
              clock += advance - (advance % timestampPrecisionMs); // ties on coarse clocks
              // A late commit is stamped in the past, but inside the window the cursor covers.
              const floor = state.windowStartMs ?? 0;
              const ms = late ? Math.max(floor, clock - advance * 3) : clock;
              rows.set(id, ms - (ms % timestampPrecisionMs));
            }
            await drain(lookbackMs);
            everyVersionDelivered();
          }
          expect(new Set(delivered).size).toBe(delivered.length);
        },
      ),
      {
        numRuns: 250,
        examples: [
          // Found by this property: a late commit below the old high-water mark, cut off by maxItems after the look-back shrank.
          [
            [0, 0],
            1,
            { order: 'id', filterPrecisionMs: 1, maxPageSize: 1, salt: 0 },
            2,
            1,
            [
              { edits: [{ row: 0, advance: 0, late: false }], lookbackMs: 500 },
              { edits: [{ row: 0, advance: 1, late: true }, { row: 1, advance: 1, late: true }], lookbackMs: 0 },
            ],
          ],
        ],
      },
    );
  });

  it('keeps the window where it was when the listing shifts under every read, and finds the skipped records next time', async () => {
    const rows = new Map<string, number>(Array.from({ length: 30 }, (_, i) => [String(1000 + i), i]));
    const server = changeServer(rows, { order: 'time', filterPrecisionMs: 1, maxPageSize: 100 });
    let clock = 100;
    // Each request moves the first record of the listing to its end (a user keeps editing), so offsets shift.
    const shifting = async (request: Parameters<typeof server.fetchPage>[0]) => {
      const page = await server.fetchPage(request);
      const firstId = [...rows].sort((a, b) => a[1] - b[1])[0]![0];
      rows.set(firstId, clock++);
      return page;
    };
    const first = await pollChanges<Row>(shifting, (row) => row, { state: { seen: [] }, lookbackMs: 0, pageSize: 5 });
    expect(first.settled).toBe(false);
    expect(first.requests).toBeLessThanOrEqual(3 * (Math.ceil(30 / 4) + 1));
    const delivered = new Set(first.items.map((r) => `${r.id}@${r.ms}`));
    const second = await pollChanges<Row>((request) => server.fetchPage(request), (row) => row, { state: first.state, lookbackMs: 0, pageSize: 5 });
    expect(second.settled).toBe(true);
    for (const row of second.items) {
      expect(delivered.has(`${row.id}@${row.ms}`)).toBe(false);
      delivered.add(`${row.id}@${row.ms}`);
    }
    for (const [id, ms] of rows) expect(delivered.has(`${id}@${ms}`)).toBe(true);
  });
});
