// The README's quick start, kept as code so it is typechecked and run by test/client/quick-start.test.ts.
import { createNavClient, isNavMetadataMismatchError } from '@ml-connector/nav';
import { NAV_SANDBOX_ACCESS_KEY, NAV_SANDBOX_USER, createNavSandbox } from '@ml-connector/nav/testing';

export async function quickStart(): Promise<{ vendors: number; order: string; journalLine: number }> {
  const sandbox = createNavSandbox(); // an emulated NAV instance, OData v4 and v3
  const nav = createNavClient({
    // In production: "https://nav.contoso.local:7048/DynamicsNAV110/ODataV4/Company('CRONUS%20USA%2C%20Inc.')"
    url: sandbox.url(),
    auth: { kind: 'basic', username: NAV_SANDBOX_USER, password: NAV_SANDBOX_ACCESS_KEY }, // NavUserPassword + web service access key
    services: { vendors: { entitySet: 'Vendor' } }, // the names your administrator published the pages under
    fetch: sandbox.fetch, // in-process; or `await sandbox.listen()` and pass its URL with allowLoopback: true
  });

  try {
    await nav.connect(); // reads $metadata; throws NavMetadataMismatchError listing every missing page, field or type
  } catch (error) {
    if (isNavMetadataMismatchError(error)) console.error(error.problems.map((p) => p.message).join('\n'));
    throw error;
  }

  let vendors = 0;
  for await (const vendor of nav.vendors.list({ where: { blocked: '' } })) vendors += vendor.payToVendorNumber ? 0 : 1;

  const { header } = await nav.purchaseOrders.create({ vendorNumber: 'V00002', vendorOrderNumber: 'PO-00001' }, [
    { type: 'G/L Account', number: '8110', description: 'Paper', quantity: 3, directUnitCost: 12.5, departmentCode: 'ADM' },
  ]);

  // Journal lines are created for the finance team to review; this client has no way to post them.
  const line = await nav.generalJournalLines.create({
    journalTemplateName: 'GENERAL',
    journalBatchName: 'MLCONNECT',
    lineNumber: 10000,
    accountType: 'G/L Account',
    accountNumber: '8120',
    amount: 99.95,
    description: 'Software, INV-0000001',
  });

  const { changes, checkpoint } = await nav.changes.poll('vendors'); // store `checkpoint`, pass it next time
  void changes;
  void checkpoint;
  return { vendors, order: header.number, journalLine: line.lineNumber };
}
