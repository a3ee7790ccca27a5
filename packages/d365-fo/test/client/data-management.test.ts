import { type DataManagementProgress, isDataManagementJobError } from '@ml-connector/d365-fo';
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
    let csv = '';
    await settle((async () => {
      for await (const chunk of dm.download(url, { onProgress: (p) => progress.push(p.bytes ?? 0) })) csv += new TextDecoder().decode(chunk);
    })());
    expect(csv.split('\r\n')).toHaveLength(26);
    expect(csv).toContain('V00025');
    expect(progress.at(-1)).toBe(new TextEncoder().encode(csv).byteLength);
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
