import { createBusinessCentralClient, isPaid } from '@ml-connector/business-central';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, createBusinessCentralSandbox } from '@ml-connector/business-central/testing';

export async function quickStart(): Promise<{ invoiceNumber: string; paid: boolean; vendors: string[] }> {
  const sandbox = createBusinessCentralSandbox();
  const bc = createBusinessCentralClient({
    tenantId: sandbox.tenantId,
    environment: sandbox.environment,
    credentials: { clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET },
    fetch: sandbox.fetch, // in-process; see "Over HTTP" for sandbox.listen()
  });
  const company = bc.company(sandbox.companyId);

  // Enum members arrive decoded (BC sends `_x0020_` for the blank "not blocked"); filters encode them back.
  const vendors: string[] = [];
  for await (const vendor of company.vendors.list({ filter: (f) => f.eq('blocked', ' '), top: 50 })) vendors.push(vendor.number);

  const [vendor] = await company.vendors.list({ filter: (f) => f.eq('number', 'V00004') }).toArray({ limit: 1 });
  if (!vendor) throw new Error('the default seed has vendor V00004');
  const vendorInvoiceNumber = "O'Brien & Co #1"; // quotes, & and # are escaped for you
  const [existing] = await company.purchaseInvoices.findByVendorInvoiceNumber(vendorInvoiceNumber, { vendorId: vendor.id });
  const draft =
    existing ??
    (await company.purchaseInvoices.create({
      vendorId: vendor.id,
      vendorInvoiceNumber,
      purchaseInvoiceLines: [{ lineType: 'Account', lineObjectNumber: '8110', quantity: 2, unitCost: 10.5 }],
    }));
  // Vendor default dimensions are already on the draft: upsert instead of a second POST.
  await company.purchaseInvoices.dimensionSetLines(draft.id).upsert({ code: 'DEPARTMENT', valueCode: 'ADM' });
  await company.purchaseInvoices.attachments(draft.id).upload('invoice.pdf', new TextEncoder().encode('%PDF-1.4 …'));

  await company.purchaseInvoices.post(draft.id); // explicit; nothing posts implicitly
  sandbox.markPaid(draft.id); // test hook: a payment applied in BC
  const invoice = await company.purchaseInvoices.get(draft.id);
  sandbox.close();
  return { invoiceNumber: invoice.number, paid: isPaid(invoice), vendors };
}
