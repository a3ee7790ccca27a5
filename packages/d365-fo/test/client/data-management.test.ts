import { CDM_ATTRIBUTES, type DataManagementProgress, createFinanceOperationsClient, isDataManagementJobError } from '@ml-connector/d365-fo';
import { FO_SANDBOX_CLIENT_ID, FO_SANDBOX_CLIENT_SECRET, createFinanceOperationsSandbox } from '@ml-connector/d365-fo/testing';
import fc from 'fast-check';
import { unzipSync } from 'fflate';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHarness, settle } from '../helpers.js';


async function* chunks(text: string, size: number): AsyncIterable<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

describe('Data management package API', () => {
  afterEach(() => vi.useRealTimers());

  it('exports a package, waits for the job and streams it with progress', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
    const h = createHarness();
    const dm = h.client.dataManagement;
    const executionId = await settle(dm.exportToPackage({ definitionGroupId: 'VendorsExport', packageName: 'vendors', legalEntityId: 'usmf' }));
    const statuses: DataManagementProgress[] = [];
    expect(await settle(dm.waitForExecution(executionId, { pollMs: 500, onProgress: (p) => statuses.push(p) }))).toBe('Succeeded');
    expect(statuses[0]?.status).toBe('Executing');
    const url = await settle(dm.getExportedPackageUrl(executionId));
    const progress: number[] = [];
    const parts: Uint8Array[] = [];
    await settle((async () => {
      for await (const chunk of dm.download(url, { onProgress: (p) => progress.push(p.bytes ?? 0) })) parts.push(chunk);
    })());
    const bytes = Buffer.concat(parts);
    expect(progress.at(-1)).toBe(bytes.byteLength);
    // A package is a zip: manifest, header and one CSV per entity, with DMF's upper-case staging column names.
    const files = unzipSync(new Uint8Array(bytes));
    expect(Object.keys(files).sort()).toEqual(['Manifest.xml', 'PackageHeader.xml', 'Vendors V2.csv']);
    const csv = new TextDecoder().decode(files['Vendors V2.csv']);
    expect(csv.split('\r\n')).toHaveLength(26);
    expect(csv.split('\r\n')[0]).toContain('VENDORACCOUNTNUMBER');

    const records = [];
    for await (const record of dm.readPackage(url, { entityName: 'vendors v2', fields: ['dataAreaId', ...CDM_ATTRIBUTES.VendVendorV2Entity] })) records.push(record);
    expect(records).toHaveLength(25);
    expect(records[24]).toMatchObject({ VendorAccountNumber: 'V00025', dataAreaId: 'usmf', OnHoldStatus: 'No' });
  });

  it('exports only what changed since the previous export of an incremental project with change tracking on; the first is a full push', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
    const h = createHarness();
    const dm = h.client.dataManagement;
    const exportAll = async () => {
      const executionId = await settle(dm.exportToPackage({ definitionGroupId: 'MLC-VendorsV2', packageName: 'vendors', legalEntityId: 'usmf' }));
      await settle(dm.waitForExecution(executionId, { pollMs: 500 }));
      const rows: string[] = [];
      await settle((async () => {
        for await (const record of dm.readPackage(await dm.getExportedPackageUrl(executionId), { fields: ['VendorAccountNumber'] })) rows.push(record['VendorAccountNumber']!);
      })());
      return rows;
    };
    expect(await exportAll()).toHaveLength(25);
    expect(await exportAll()).toEqual([]);
    const usmf = h.client.legalEntity('usmf');
    const vendor = await settle(usmf.vendors.get({ VendorAccountNumber: 'V00003' }));
    await settle(usmf.vendors.update(vendor, { VendorOrganizationName: 'Renamed' }, { etag: vendor.etag! }));
    await settle(usmf.vendors.create({ VendorAccountNumber: 'V09999', VendorOrganizationName: 'New', VendorGroupId: '10' } as never));
    expect((await exportAll()).sort()).toEqual(['V00003', 'V09999']);

    // The watermark survives a restart of the sandbox (snapshot → data).
    const again = await settle(usmf.vendors.get({ VendorAccountNumber: 'V00004' }));
    await settle(usmf.vendors.update(again, { VendorOrganizationName: 'Again' }, { etag: again.etag! }));
    const restored = createFinanceOperationsSandbox({ data: JSON.parse(JSON.stringify(h.sandbox.snapshot())), now: Date.now });
    const client = createFinanceOperationsClient({ environmentUrl: restored.environmentUrl(), tenantId: restored.tenantId, credentials: { clientId: FO_SANDBOX_CLIENT_ID, clientSecret: FO_SANDBOX_CLIENT_SECRET }, fetch: restored.fetch, throttle: false });
    const executionId = await settle(client.dataManagement.exportToPackage({ definitionGroupId: 'MLC-VendorsV2', packageName: 'vendors', legalEntityId: 'usmf' }));
    await settle(client.dataManagement.waitForExecution(executionId, { pollMs: 500 }));
    expect(restored.dataManagement.exportedCount(executionId)).toBe(1);

    // Without change tracking on the entity, an incremental project exports everything each time.
    h.sandbox.dataManagement.setChangeTracking('VendorsV2', false);
    expect(await exportAll()).toHaveLength(26);
    expect(await exportAll()).toHaveLength(26);
  });

  it('reads CSV split at any byte into chunks exactly as a whole parse does (quotes, doubled quotes, CRLF, BOM, non-ASCII)', async () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'Z', ',', '"', '\r\n', '\n', ' ', 'é', '€', '1') });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(field, field), { minLength: 1, maxLength: 8 }), fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 20 }), async (rows, sizes) => {
        const quote = (v: string) => `"${v.replaceAll('"', '""')}"`;
        const text = '\uFEFFA,B\r\n' + rows.map(([a, b]) => `${quote(a)},${quote(b)}`).join('\r\n');
        const bytes = new TextEncoder().encode(text);
        const chunkedFetch: typeof fetch = async () => {
          let offset = 0;
          let i = 0;
          const body = new ReadableStream<Uint8Array>({
            pull(controller) {
              if (offset >= bytes.length) return controller.close();
              const size = sizes[i++ % sizes.length]!;
              controller.enqueue(bytes.slice(offset, offset + size));
              offset += size;
            },
          });
          return new Response(body, { status: 200 });
        };
        const client = createFinanceOperationsClient({ environmentUrl: 'https://fo.example.com', tenantId: 't', credentials: { clientId: 'c', clientSecret: 's' }, fetch: chunkedFetch, throttle: false });
        const read: [string, string][] = [];
        for await (const record of client.dataManagement.readPackage('https://blob.example.com/p.csv?sig=x')) read.push([record['A']!, record['B']!]);
        expect(read).toEqual(rows);
      }),
      { numRuns: 150 },
    );
  });

  it('imports a package and reports rejected rows per record from the error keys file', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
    const h = createHarness();
    const dm = h.client.dataManagement;
    const { blobUrl } = await settle(dm.getAzureWriteUrl('vendors.csv'));
    const uploaded: number[] = [];
    const csv = 'VendorAccountNumber,VendorOrganizationName,VendorGroupId,CurrencyCode\r\nV10001,Bulk One,10,USD\r\nV10002,,10,USD\r\nV10003,"Bulk, Three",10,usd\r\n';
    await settle(dm.upload(blobUrl, chunks(csv, 16), { onProgress: (p) => uploaded.push(p.bytes ?? 0) }));
    expect(uploaded.at(-1)).toBe(csv.length);
    const executionId = await settle(dm.importFromPackage({ packageUrl: blobUrl, definitionGroupId: 'VendorsImport', legalEntityId: 'usmf' }));
    expect(await settle(dm.waitForExecution(executionId, { pollMs: 500 }))).toBe('PartiallySucceeded');
    const errors = await settle(dm.getImportErrorKeys(executionId, 'Vendors V2'));
    expect(errors.map((e) => [e.key, e.error])).toEqual([
      ['usmf|V10002', "Field 'VendorOrganizationName' must be filled in."],
      ['usmf|V10003', "Currency 'usd' does not exist."],
    ]);
    expect(await settle(h.client.legalEntity('usmf').vendors.get({ VendorAccountNumber: 'V10001' }))).toMatchObject({ VendorOrganizationName: 'Bulk One' });
  });

  it('fails clearly for an unknown execution and refuses non-https blob URLs', async () => {
    const h = createHarness();
    await expect(h.client.dataManagement.getExecutionSummaryStatus('nope')).rejects.toThrow(/Execution 'nope' does not exist/);
    await expect(h.client.dataManagement.upload('http://blob.example/x', 'a')).rejects.toThrow(/https/);
  });

  it('throws DataManagementJobError when an import fails entirely', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
    const h = createHarness();
    const dm = h.client.dataManagement;
    const { blobUrl } = await settle(dm.getAzureWriteUrl('bad.csv'));
    await settle(dm.upload(blobUrl, 'VendorAccountNumber,VendorOrganizationName,VendorGroupId\r\nV1,,10\r\n'));
    const executionId = await settle(dm.importFromPackage({ packageUrl: blobUrl, definitionGroupId: 'VendorsImport', legalEntityId: 'usmf' }));
    const error = await settle(dm.waitForExecution(executionId, { pollMs: 500 }).catch((e: unknown) => e));
    expect(isDataManagementJobError(error) && (error as { status: string }).status).toBe('Failed');
  });
});
