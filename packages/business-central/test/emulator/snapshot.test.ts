import { describe, expect, it } from 'vitest';
import { createBusinessCentralSandbox } from '@ml-connector/business-central/testing';
import { harness, json, type Collection, type Row } from './helpers.js';

describe('Business Central sandbox: snapshot and restore', () => {
  it('restores records created through the API, posted and paid states, ETags and number series from a JSON snapshot', async () => {
    const h = await harness();
    const vendor = await json<Row>(await h.send('POST', '/vendors', { displayName: 'Snapshot Supplies' }));
    const draft = await json<Row>(
      await h.send('POST', '/purchaseInvoices', { vendorNumber: 'V00004', vendorInvoiceNumber: 'SNAP-1', dimensionSetLines: [{ code: 'PROJECT', valueCode: 'P-200' }], purchaseInvoiceLines: [{ lineType: 'Account', lineObjectNumber: '8110', quantity: 2, unitCost: 10 }] }),
    );
    const paid = await json<Row>(await h.send('POST', '/purchaseInvoices', { vendorNumber: 'V00003', vendorInvoiceNumber: 'SNAP-2', purchaseInvoiceLines: [{ lineType: 'Account', lineObjectNumber: '8150', quantity: 1, unitCost: 50 }] }));
    expect((await h.send('POST', `/purchaseInvoices(${paid.id})/Microsoft.NAV.post`)).status).toBe(204);
    h.sandbox.markPaid(paid.id);
    const attachment = await json<Row>(await h.send('POST', `/purchaseInvoices(${draft.id})/attachments`, { fileName: 'scan.pdf' }));
    const content = await h.sandbox.fetch(`${h.company}/purchaseInvoices(${draft.id})/attachments(${attachment.id})/attachmentContent`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/octet-stream', 'if-match': '*' },
      body: new Uint8Array([37, 80, 68, 70]),
    });
    expect(content.status).toBe(204);
    const before = await json<Row>(await h.get(`/purchaseInvoices(${draft.id})?$expand=purchaseInvoiceLines,dimensionSetLines`));

    const restored = await harness({ data: JSON.parse(JSON.stringify(h.sandbox.snapshot())) });
    expect(restored.sandbox.db.vendors.get(vendor.id)).toMatchObject({ displayName: 'Snapshot Supplies', number: vendor.number });
    const after = await json<Row>(await restored.get(`/purchaseInvoices(${draft.id})?$expand=purchaseInvoiceLines,dimensionSetLines`));
    expect(after).toEqual(before);
    expect(restored.sandbox.db.purchaseInvoices.get(paid.id)).toMatchObject({ status: 'Paid' });
    const bytes = await restored.get(`/purchaseInvoices(${draft.id})/attachments(${attachment.id})/attachmentContent`);
    expect([...new Uint8Array(await bytes.arrayBuffer())]).toEqual([37, 80, 68, 70]);

    // Number series continue: no new number collides with one used before the snapshot.
    const nextVendor = await json<Row>(await restored.send('POST', '/vendors', { displayName: 'Next' }));
    expect(nextVendor.number).not.toBe(vendor.number);
    const next = await json<Row>(await restored.send('POST', '/purchaseInvoices', { vendorNumber: 'V00003', vendorInvoiceNumber: 'SNAP-3', purchaseInvoiceLines: [{ lineType: 'Account', lineObjectNumber: '8150', quantity: 1, unitCost: 5 }] }));
    const numbers = (await json<Collection>(await restored.get('/purchaseInvoices?$select=number'))).value.map((r) => r.number);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect((await restored.send('POST', `/purchaseInvoices(${next.id})/Microsoft.NAV.post`)).status).toBe(204);
    const posted = (await json<Collection>(await restored.get('/purchaseInvoices?$select=number'))).value.map((r) => r.number);
    expect(new Set(posted).size).toBe(posted.length);
    // ETags survive the restart (row versions are part of the snapshot).
    const etag = (await json<Row>(await restored.get(`/purchaseInvoices(${draft.id})`)))['@odata.etag'];
    expect(etag).toBe(before['@odata.etag']);
  });

  it('a snapshot of an untouched sandbox loads into an identical sandbox', () => {
    const first = createBusinessCentralSandbox({ seed: 3 });
    const second = createBusinessCentralSandbox({ data: JSON.parse(JSON.stringify(first.snapshot())) });
    expect(second.db.purchaseInvoices.all()).toEqual(first.db.purchaseInvoices.all());
    expect(second.db.vendors.all()).toEqual(first.db.vendors.all());
    expect(second.snapshot()).toEqual(JSON.parse(JSON.stringify(first.snapshot())));
  });
});
