import fc from 'fast-check';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isInvalidInputError, isResponseValidationError } from '@ml-connector/core';
import { createJaggaerClient, decodePollCursor, encodePollCursor, pollChanges, type PollState } from '@ml-connector/jaggaer-j1p';
import { generateJaggaerSeed, SANDBOX_BASE_URL, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from '@ml-connector/jaggaer-j1p/testing';
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


describe('invoices.poll against the sandbox', () => {
  it('delivers every invoice once when many share a timestamp, then only later changes', async () => {
    const { sandbox, client } = setup({ data: blockSeed(120, 25) });
    const first = await client.invoices.poll({ status: 'Approved', pageSize: 10 });
    expect(first.complete).toBe(true);
    expect(new Set(first.invoices.map((i) => i.invoiceId)).size).toBe(120);
    expect(first.invoices).toHaveLength(120);
    expect(first.since).toBe(new Date(BASE + 4000).toISOString());

    const quiet = await client.invoices.poll({ status: 'Approved', cursor: first.cursor, pageSize: 10 });
    expect(quiet.invoices).toEqual([]);
    expect(quiet.since).toBe(first.since);

    const ids = sandbox.invoices().slice(0, 3).map((i) => i.invoiceId);
    for (const id of ids) sandbox.updateInvoice(id, { notes: 'edited' });
    const next = await client.invoices.poll({ status: 'Approved', cursor: quiet.cursor, pageSize: 10 });
    expect(next.invoices.map((i) => Number(i.invoiceId)).sort()).toEqual([...ids].sort());
    expect(Date.parse(next.since!)).toBeGreaterThan(Date.parse(first.since!));
    expect((await client.invoices.poll({ status: 'Approved', cursor: next.cursor })).invoices).toEqual([]);
  });

  it('pages through a large equal-timestamp block with maxInvoices, without gaps or repeats', async () => {
    const { client } = setup({ data: blockSeed(90, 90) });
    const seen: string[] = [];
    let cursor: string | undefined;
    let rounds = 0;
    for (;;) {
      const result = await client.invoices.poll({ status: 'Approved', pageSize: 7, maxInvoices: 20, ...(cursor ? { cursor } : {}) });
      seen.push(...result.invoices.map((i) => i.invoiceId));
      cursor = result.cursor;
      rounds++;
      if (result.complete) break;
    }
    expect(rounds).toBe(5);
    expect(seen).toHaveLength(90);
    expect(new Set(seen).size).toBe(90);
  });

  it('does not miss invoices that change while a poll is paging', async () => {
    const data = blockSeed(60, 1);
    const { createJaggaerSandbox } = await import('@ml-connector/jaggaer-j1p/testing');
    const sandbox = createJaggaerSandbox({ data });
    let listCalls = 0;
    const fetchWithEdits: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      if (new URL(request.url).pathname.endsWith('/ji/v1/invoices') && ++listCalls === 2) {
        // A user edits an invoice from the first page while the poll is on page two: it moves to the end.
        sandbox.updateInvoice(data.invoices[2]!.invoiceId, { notes: 'changed mid-poll' });
      }
      return sandbox.fetch(request);
    };
    const client = createJaggaerClient({
      host: SANDBOX_BASE_URL,
      clientId: SANDBOX_CLIENT_ID,
      clientSecret: SANDBOX_CLIENT_SECRET,
      fetch: fetchWithEdits,
      throttle: false,
    });
    const result = await client.invoices.poll({ status: 'Approved', pageSize: 10 });
    expect(new Set(result.invoices.map((i) => i.invoiceId)).size).toBe(60);
    expect(result.invoices).toHaveLength(60);
    const edited = result.invoices.find((i) => Number(i.invoiceId) === data.invoices[2]!.invoiceId)!;
    expect(edited.raw.header.notes).toBe('changed mid-poll');
    // Nothing delivered twice on the next poll either.
    expect((await client.invoices.poll({ status: 'Approved', cursor: result.cursor })).invoices).toEqual([]);
  });

  it('a first poll from `since` starts exactly there', async () => {
    const { client } = setup({ data: blockSeed(50, 10) });
    const result = await client.invoices.poll({ status: 'Approved', since: new Date(BASE + 3000) });
    expect(result.invoices).toHaveLength(20);
    expect(result.invoices.every((i) => Date.parse(i.lastUpdate!) >= BASE + 3000)).toBe(true);
  });

  it('rejects bad cursors and conflicting options', async () => {
    const { client } = setup();
    expect(isInvalidInputError(await failure(client.invoices.poll({ cursor: 'garbage' })))).toBe(true);
    expect(isInvalidInputError(await failure(client.invoices.poll({ cursor: encodePollCursor({ seen: [] }), since: BASE })))).toBe(true);
    expect(isInvalidInputError(await failure(client.invoices.poll({ lookbackMs: -1 })))).toBe(true);
    expect(decodePollCursor(encodePollCursor({ sinceMs: 5, seen: ['1@5'] }))).toEqual({ sinceMs: 5, seen: ['1@5'] });
  });
});

describe('invoices.poll against a server with late commits (msw)', () => {
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

  it('picks up a change committed later with an older timestamp inside the look-back window', async () => {
    let rows = [record(1, BASE), record(2, BASE + 60_000)];
    server.use(
      http.get(`${HOST}/j1p/api/public/ji/v1/invoices`, ({ request }) => {
        const url = new URL(request.url);
        const from = Date.parse(url.searchParams.get('lastUpdateFrom') ?? '1970-01-01T00:00:00Z');
        const startAt = Number(url.searchParams.get('startAt'));
        const max = Number(url.searchParams.get('maxRecords'));
        const matches = rows
          .filter((r) => Date.parse(r.header.lastUpdate) >= from)
          .sort((a, b) => Date.parse(a.header.lastUpdate) - Date.parse(b.header.lastUpdate));
        const page = matches.slice(startAt - 1, startAt - 1 + max);
        return HttpResponse.json({ returnCode: 0, totRecords: matches.length, returnedRecords: page.length, startAt, jiinvoiceList: { jiinvoice: page } });
      }),
    );
    const client = createJaggaerClient({ host: HOST, clientId: 'c', clientSecret: 's', throttle: false });
    const first = await client.invoices.poll({ status: 'Approved' });
    expect(first.invoices.map((i) => i.invoiceId)).toEqual(['1', '2']);
    rows = [...rows, record(3, BASE + 30_000)]; // committed after the first poll, stamped before its high-water mark
    const second = await client.invoices.poll({ status: 'Approved', cursor: first.cursor });
    expect(second.invoices.map((i) => i.invoiceId)).toEqual(['3']);
    expect(second.since).toBe(first.since);
  });

  it('refuses to keyset-poll a listing that is not sorted by lastUpdate', async () => {
    server.use(
      http.get(`${HOST}/j1p/api/public/ji/v1/invoices`, () =>
        HttpResponse.json({ returnCode: 0, totRecords: 2, returnedRecords: 2, jiinvoiceList: { jiinvoice: [record(2, BASE + 5), record(1, BASE)] } }),
      ),
    );
    const client = createJaggaerClient({ host: HOST, clientId: 'c', clientSecret: 's', throttle: false });
    expect(isResponseValidationError(await failure(client.invoices.poll({})))).toBe(true);
  });
});

describe('pollChanges (property)', () => {
  type Row = { id: string; ms: number };
  const listing = (rows: Map<string, number>) => [...rows].map(([id, ms]) => ({ id, ms })).sort((a, b) => a.ms - b.ms || a.id.localeCompare(b.id));

  it('delivers every version that exists when polled, exactly once, whatever the page size, ties and edits between polls', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 9 }),
        fc.option(fc.integer({ min: 1, max: 15 }), { nil: undefined }),
        fc.array(fc.array(fc.nat(), { maxLength: 6 }), { maxLength: 5 }),
        async (stamps, pageSize, maxItems, editRounds) => {
          const rows = new Map<string, number>(stamps.map((s, i) => [`r${i}`, s * 10]));
          let clock = 1000;
          const fetchPage = async ({ updatedSince, startAt, pageSize: size }: { updatedSince: number | undefined; startAt: number; pageSize: number }) => {
            const matches = listing(rows).filter((r) => updatedSince === undefined || r.ms >= updatedSince);
            return { items: matches.slice(startAt - 1, startAt - 1 + size), totRecords: matches.length };
          };
          const delivered: string[] = [];
          let state: PollState = { seen: [] };
          const drain = async () => {
            for (let i = 0; i < 500; i++) {
              const r = await pollChanges<Row>(fetchPage, (row) => row, { state, lookbackMs: 50, pageSize, ...(maxItems ? { maxItems } : {}) });
              delivered.push(...r.items.map((row) => `${row.id}@${row.ms}`));
              state = r.state;
              if (r.complete) return;
            }
            throw new Error('poll never completed');
          };
          await drain();
          for (const edits of editRounds) {
            for (const n of edits) rows.set(`r${n % stamps.length}`, (clock += n % 2)); // some edits share a timestamp
            await drain();
          }
          expect(new Set(delivered).size).toBe(delivered.length);
          for (const row of listing(rows)) expect(delivered).toContain(`${row.id}@${row.ms}`);
        },
      ),
      { numRuns: 150 },
    );
  });
});
