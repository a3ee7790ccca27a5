import { describe, expect, it } from 'vitest';
import { isInvalidInputError, isValidationError } from '@ml-connector/core';
import { createJaggaerClient, DEFAULT_INVOICE_LIST_PARAMETERS, keycloakTokenPath } from '@ml-connector/jaggaer-j1p';
import { createJaggaerSandbox, SANDBOX_BASE_URL, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from '@ml-connector/jaggaer-j1p/testing';
import { failure, setup } from './helpers.js';

const credentials = { clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET, throttle: false as const };

/** A client over the sandbox that records every URL it requests. */
function recording(sandbox: ReturnType<typeof createJaggaerSandbox>, extra: Parameters<typeof createJaggaerClient>[0] | object = {}) {
  const urls: URL[] = [];
  const client = createJaggaerClient({
    host: SANDBOX_BASE_URL,
    ...credentials,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      urls.push(new URL(request.url));
      return sandbox.fetch(request);
    },
    ...extra,
  });
  return { client, urls };
}

describe('invoice list query parameter names (UNCONFIRMED, configurable)', () => {
  const renamed = { startAt: 'start', maxRecords: 'pageSize', workflowStatus: 'status', lastUpdateFrom: 'modifiedFrom' };

  it('sends the configured names, and a sandbox configured alike answers them', async () => {
    const sandbox = createJaggaerSandbox({ seed: 2, size: { invoices: 40 }, invoiceListParameters: renamed });
    const { client, urls } = recording(sandbox, { invoiceListParameters: renamed });
    expect(client.invoiceListParameters).toMatchObject(renamed);
    const listed = await client.invoices.list({ status: 'Approved', updatedSince: '2025-01-01', pageSize: 7 }).toArray({ limit: 100 });
    expect(listed.length).toBe(sandbox.invoices().filter((i) => i.workflowStatus === 'Approved' && i.lastUpdate >= Date.UTC(2025, 0, 1)).length);
    const list = urls.find((u) => u.pathname.endsWith('/ji/v1/invoices'))!;
    expect([...list.searchParams.keys()].sort()).toEqual(['modifiedFrom', 'pageSize', 'start', 'status']);
    const polled = await client.invoices.poll({ status: 'Approved', withLines: false });
    expect(polled.invoices.length).toBe(sandbox.invoices().filter((i) => i.workflowStatus === 'Approved').length);
  });

  it('a sandbox with the default names refuses renamed parameters, as a strict server would', async () => {
    const sandbox = createJaggaerSandbox({ seed: 2, size: { invoices: 5 } });
    const { client } = recording(sandbox, { invoiceListParameters: renamed });
    const error = await failure(client.invoices.list().toArray({ limit: 5 }));
    expect(isValidationError(error)).toBe(true);
    expect((error as Error).message).toMatch(/Unknown query parameter "start"/);
  });

  it('rejects unknown keys, unsafe names and two parameters with one name', () => {
    const make = (invoiceListParameters: object) => () => createJaggaerClient({ host: 'acme.api.jaggaer.com', ...credentials, invoiceListParameters });
    expect(make({ pageSize: 'x' })).toThrow(expect.objectContaining({ field: 'invoiceListParameters.pageSize' }));
    expect(make({ startAt: 'a b' })).toThrow(/invoiceListParameters.startAt/);
    expect(make({ maxRecords: 'startAt' })).toThrow(/both use the name "startAt"/);
    expect(DEFAULT_INVOICE_LIST_PARAMETERS.lastUpdateFrom).toBe('lastUpdateFrom');
  });
});

describe('Keycloak token path layouts', () => {
  it('uses the legacy /auth/realms path by default and the modern /realms path when asked; the sandbox serves both', async () => {
    const sandbox = createJaggaerSandbox({ seed: 2, size: { invoices: 3 } });
    const legacy = recording(sandbox);
    expect(legacy.client.tokenUrl).toBe(`${SANDBOX_BASE_URL}/auth/realms/J1p-integrations/protocol/openid-connect/token`);
    await legacy.client.invoices.get(sandbox.invoices()[0]!.invoiceId);
    const modern = recording(sandbox, { keycloakLayout: 'modern' });
    expect(modern.client.tokenUrl).toBe(`${SANDBOX_BASE_URL}/realms/J1p-integrations/protocol/openid-connect/token`);
    await modern.client.invoices.get(sandbox.invoices()[0]!.invoiceId);
    expect(modern.urls[0]!.pathname).toBe('/realms/J1p-integrations/protocol/openid-connect/token');
    expect(sandbox.stats().tokensIssued).toBe(2);
    expect(keycloakTokenPath('Other', 'modern')).toBe('/realms/Other/protocol/openid-connect/token');
  });

  it('a sandbox that serves only the modern layout answers 404 on the legacy path', async () => {
    const sandbox = createJaggaerSandbox({ seed: 2, size: { invoices: 3 }, keycloakLayouts: ['modern'] });
    expect(sandbox.tokenUrl).toBe(`${SANDBOX_BASE_URL}/realms/J1p-integrations/protocol/openid-connect/token`);
    const legacy = recording(sandbox, { retry: false });
    expect(await failure(legacy.client.invoices.get(sandbox.invoices()[0]!.invoiceId))).toBeInstanceOf(Error);
    expect(sandbox.stats().tokensIssued).toBe(0);
    const modern = recording(sandbox, { keycloakLayout: 'modern' });
    await modern.client.invoices.get(sandbox.invoices()[0]!.invoiceId);
    expect(sandbox.stats().tokensIssued).toBe(1);
    expect(() => createJaggaerSandbox({ keycloakLayouts: ['new' as never] })).toThrow(/keycloakLayouts/);
  });

  it('refuses keycloakLayout together with a token path or URL, and unknown layouts', () => {
    const base = { host: 'acme.api.jaggaer.com', ...credentials };
    expect(() => createJaggaerClient({ ...base, keycloakLayout: 'modern', tokenUrl: 'https://idp.example.com/token' })).toThrow(
      expect.objectContaining({ field: 'keycloakLayout' }),
    );
    expect(() => createJaggaerClient({ ...base, keycloakLayout: 'modern', paths: { token: '/oauth/token' } })).toThrow(/paths.token/);
    expect(() => createJaggaerClient({ ...base, keycloakLayout: 'quarkus' as never })).toThrow(/legacy.*modern/);
    expect(createJaggaerClient({ ...base, realm: 'acme', keycloakLayout: 'modern' }).tokenUrl).toBe(
      'https://acme.api.jaggaer.com/realms/acme/protocol/openid-connect/token',
    );
  });
});

describe('OCR import path with and without the trailing slash', () => {
  const invoice = { supplierInvoiceNumber: 'SLASH-1', supplierNumber: 'V00001', lines: [{ description: 'Paper', quantity: 1, unitPrice: 4 }] };

  it('works with the default path (trailing slash, as the public sample) and with an override without it', async () => {
    const sandbox = createJaggaerSandbox({ seed: 2, size: { invoices: 3 } });
    const withSlash = recording(sandbox);
    await withSlash.client.invoices.importOcr(invoice);
    expect(withSlash.urls.at(-1)!.pathname).toBe('/j1p/api/public/ji/v1/invoices/ocr/');
    const without = recording(sandbox, { paths: { invoiceOcrImport: '/j1p/api/public/ji/v1/invoices/ocr' } });
    await without.client.invoices.importOcr({ ...invoice, supplierInvoiceNumber: 'SLASH-2' });
    expect(without.urls.at(-1)!.pathname).toBe('/j1p/api/public/ji/v1/invoices/ocr');
    expect(sandbox.stats().byRoute.invoiceOcrImport).toBe(2);
  });

  it('a sandbox configured without the slash still answers a client that sends it', async () => {
    const { client, sandbox } = setup({ size: { invoices: 3 }, paths: { invoiceOcrImport: '/j1p/api/public/ji/v1/invoices/ocr' } }, { paths: {} });
    const result = await client.invoices.importOcr(invoice);
    expect(result.invoiceId).toMatch(/^\d+$/);
    expect(sandbox.stats().byRoute.invoiceOcrImport).toBe(1);
  });
});

describe('host errors name only options the caller can set', () => {
  it('speaks of allowLoopback, never of allowHttp', () => {
    const attempts = [
      () => createJaggaerClient({ host: 'http://127.0.0.1:4010', ...credentials }),
      () => createJaggaerClient({ host: '127.0.0.1:4010', ...credentials }),
      () => createJaggaerClient({ host: 'http://acme.api.jaggaer.com', ...credentials }),
      () => createJaggaerClient({ host: 'http://acme.api.jaggaer.com', ...credentials, allowLoopback: true }),
    ];
    for (const attempt of attempts) {
      const error = (() => {
        try {
          attempt();
        } catch (e) {
          return e as Error;
        }
        throw new Error('expected an error');
      })();
      expect(isInvalidInputError(error)).toBe(true);
      expect(error.message).not.toMatch(/allowHttp/);
    }
    expect(() => attempts[0]!()).toThrow(/allowLoopback: true/);
    expect(() => attempts[1]!()).toThrow(/allowLoopback: true/);
    expect(createJaggaerClient({ host: 'http://127.0.0.1:4010', ...credentials, allowLoopback: true }).host).toBe('http://127.0.0.1:4010');
  });
});
