import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSyncEngine, openSqliteSyncStore } from '@ml-connector/core/sync';
import { createFixtureFlow, fixtureState } from './fixtures/flows.js';
import { cli, tempWorkdir } from './helpers.js';

const registry = fileURLToPath(new URL('./fixtures/flows.ts', import.meta.url));
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));

let work: Awaited<ReturnType<typeof tempWorkdir>>;
let url: URL;
let token: string;
let stop: () => void;
let finished: Promise<{ code: number; stdout: string }>;

beforeAll(async () => {
  work = await tempWorkdir();
  const store = await openSqliteSyncStore({ path: join(work.stateDir, 'examples.sqlite') });
  await createSyncEngine({ store }).run(createFixtureFlow());
  await store.close();
  const until = new Promise<void>((resolve) => (stop = resolve));
  const started = new Promise<string>((resolve) => {
    finished = cli(['console', '--flows', registry], { cwd: work.cwd, until, onConsole: resolve });
  });
  url = new URL(await started);
  token = url.searchParams.get('token')!;
});

afterAll(async () => {
  stop?.();
  await finished;
  await work?.cleanup();
});

/** A raw request, so the Host header can be set. */
function raw(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: url.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const api = (path: string, init: RequestInit = {}) => fetch(new URL(path, url.origin), { ...init, headers: { 'x-console-token': token, 'content-type': 'application/json', ...(init.headers ?? {}) } });

describe('console HTTP layer', () => {
  it('listens on loopback and prints a URL carrying a long random token', () => {
    expect(url.hostname).toBe('127.0.0.1');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses the page and the API without the token, with a wrong token, and on a non-loopback Host', async () => {
    expect((await fetch(url.origin)).status).toBe(401);
    expect((await fetch(`${url.origin}/?token=${'x'.repeat(43)}`)).status).toBe(401);
    expect((await fetch(`${url.origin}/api/runs`)).status).toBe(401);
    expect((await fetch(`${url.origin}/api/runs?token=${token}`)).status).toBe(401);
    expect((await raw(`/?token=${token}`, { host: 'attacker.example' })).status).toBe(421);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('serves runs, audit by business id, the review queue and throttle figures', async () => {
    const runs = (await (await api('/api/runs')).json()) as Array<{ flow: string; counts: { created: number } }>;
    expect(runs[0]).toMatchObject({ flow: 'test-invoices', counts: { created: 2 } });
    const audit = (await (await api('/api/audit?id=INV-1001')).json()) as Array<{ step: string }>;
    expect(audit.map((e) => e.step)).toContain('written');
    const review = (await (await api('/api/review')).json()) as Array<{ sourceId: string }>;
    expect(review.map((i) => i.sourceId)).toEqual(['S-2']);
    const throttle = (await (await api('/api/throttle')).json()) as { live: unknown[]; recorded: Array<{ flow: string }> };
    expect(throttle.recorded.map((r) => r.flow)).toEqual(['test-invoices']);
  });

  it('replay needs an explicit confirmation', async () => {
    const response = await api('/api/replay', { method: 'POST', body: JSON.stringify({ flow: 'test-invoices', sourceId: 'S-2' }) });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/confirm: true/);
    expect(fixtureState().documents.size).toBe(2);
  });
});

/** Counts distinct colours of a screenshot inside the browser (a blank or unstyled page has very few). */
async function distinctColours(page: Page, png: Uint8Array): Promise<number> {
  return page.evaluate(async (base64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext('2d')!;
    context.drawImage(image, 0, 0);
    const data = context.getImageData(0, 0, image.width, image.height).data;
    const colours = new Set<number>();
    for (let i = 0; i < data.length; i += 4) colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
    return colours.size;
  }, Buffer.from(png).toString('base64'));
}

// CI installs Debian's chromium (scripts/with-services.sh) and sets ML_CONNECTOR_REQUIRE_SERVICES=1: there the
// browser tests must run, never skip.
it('has Chromium wherever the browser tests are required (ML_CONNECTOR_REQUIRE_SERVICES=1)', () => {
  if (process.env['ML_CONNECTOR_REQUIRE_SERVICES'] !== '1') return;
  expect(CHROMIUM, 'no /usr/bin/chromium: install Debian\'s chromium (scripts/with-services.sh does)').toBeDefined();
});

describe.skipIf(!CHROMIUM)('console in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  const shots = process.env['MLC_SCREENSHOT_DIR'];

  beforeAll(async () => {
    browser = await puppeteer.launch({ executablePath: CHROMIUM!, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    page = await browser.newPage();
    await page.setViewport({ width: 1200, height: 700 });
    await page.goto(url.href);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function screenshot(name: string): Promise<void> {
    const png = await page.screenshot({ type: 'png' });
    if (shots) {
      await mkdir(shots, { recursive: true });
      await writeFile(join(shots, `${name}.png`), png);
    }
    // Header, tabs, a table with borders and coloured status text: far more than a blank or error page.
    expect(await distinctColours(page, png)).toBeGreaterThan(40);
  }

  it('shows the runs', async () => {
    await page.waitForSelector('#runs-table');
    const cells = await page.$$eval('#runs-table td', (tds) => tds.map((td) => td.textContent));
    expect(cells).toEqual(expect.arrayContaining(['test-invoices', 'completed']));
    await screenshot('runs');
  });

  it('searches a record by business id and shows its audit trail', async () => {
    await page.click('button[data-view=records]');
    await page.waitForSelector('input[name=id]');
    await page.type('input[name=id]', 'INV-1001');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#audit-table');
    const steps = await page.$$eval('#audit-table tr td:nth-child(5)', (tds) => tds.map((td) => td.textContent));
    expect(steps).toEqual(expect.arrayContaining(['received', 'mapped', 'written']));
    await screenshot('records');
  });

  it('replays a review item after the operator confirms, and not before', async () => {
    await page.click('button[data-view=review]');
    await page.waitForSelector('#review-table button[data-record="S-2"]');
    await screenshot('review');
    page.once('dialog', (dialog) => void dialog.dismiss());
    await page.click('#review-table button[data-record="S-2"]');
    await page.waitForFunction(() => document.getElementById('message')!.textContent === 'Replay cancelled.');
    expect(fixtureState().documents.size).toBe(2);

    fixtureState().knownVendors.add('V-UNKNOWN');
    let asked = '';
    page.once('dialog', (dialog) => {
      asked = dialog.message();
      void dialog.accept();
    });
    await page.click('#review-table button[data-record="S-2"]');
    await page.waitForFunction(() => document.getElementById('message')!.textContent!.startsWith('Replay completed'));
    expect(asked).toBe('Replay test-invoices/S-2? It writes to the target system.');
    expect(await page.$eval('#message', (m) => m.textContent)).toBe('Replay completed: 1 created, 0 updated, 0 back to review, 0 failed.');
    expect(fixtureState().documents.size).toBe(3);
    await page.waitForSelector('#view p.empty');
  });

  it('shows throttle state per tenant', async () => {
    await page.click('button[data-view=throttle]');
    await page.waitForSelector('#throttle-recorded');
    expect(await page.$eval('#view h2', (h) => h.textContent)).toBe('Throttle state per tenant');
    await screenshot('throttle');
  });

  it('shows nothing to a browser without the token', async () => {
    const other = await browser.newPage();
    try {
      const response = await other.goto(url.origin);
      expect(response!.status()).toBe(401);
      expect(await other.$('#runs-table')).toBeNull();
    } finally {
      await other.close();
    }
  });
});
