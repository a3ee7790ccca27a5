import { describe, expect, it } from 'vitest';
import { generateJaggaerSeed, sandboxSupplierName, SANDBOX_ACCOUNTS, SANDBOX_DEPARTMENTS, SANDBOX_PROJECTS } from '@ml-connector/jaggaer-j1p/testing';
import { NAV_SANDBOX_ACCESS_KEY, NAV_SANDBOX_USER, createNavSandbox, generateNavSeed } from '@ml-connector/nav/testing';

const AUTH = `Basic ${Buffer.from(`${NAV_SANDBOX_USER}:${NAV_SANDBOX_ACCESS_KEY}`).toString('base64')}`;

function client(options: Parameters<typeof createNavSandbox>[0] = {}) {
  const sandbox = createNavSandbox(options);
  const call = async (version: 'v4' | 'v3', path: string, init: RequestInit & { headers?: Record<string, string> } = {}) => {
    const response = await sandbox.fetch(`${sandbox.url({ version })}/${path}`, { ...init, headers: { authorization: AUTH, ...(init.headers ?? {}) } });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : text };
  };
  return { sandbox, call };
}

describe('emulator: OData v4 and v3 JSON shapes and paging', () => {
  it('pages at ODataServicesMaxPageSize with @odata.nextLink (v4) and odata.nextLink (v3), honouring Prefer on v4', async () => {
    const { call } = client({ maxPageSize: 10 });
    const v4 = await call('v4', 'Vendor?$select=No,Name');
    const body4 = v4.body as Record<string, unknown>;
    expect(body4['@odata.context']).toMatch(/\$metadata#Vendor$/);
    expect((body4['value'] as unknown[]).length).toBe(10);
    expect(Object.keys((body4['value'] as Record<string, unknown>[])[0] ?? {})).toEqual(['@odata.etag', 'No', 'Name']);
    expect(body4['@odata.nextLink']).toMatch(/\$skiptoken=/);
    const v3 = await call('v3', 'Vendor?$top=15');
    const body3 = v3.body as Record<string, unknown>;
    expect(body3['odata.metadata']).toMatch(/\$metadata#Vendor$/);
    expect(body3['odata.nextLink']).toMatch(/\$top=5/);
    const preferred = await call('v4', 'Vendor', { headers: { Prefer: 'odata.maxpagesize=3' } });
    expect(((preferred.body as Record<string, unknown>)['value'] as unknown[]).length).toBe(3);
    expect(preferred.headers.get('preference-applied')).toBe('odata.maxpagesize=3');
  });

  it('writes decimals as strings and dates as Edm.DateTime on v3, numbers and Edm.Date on v4', async () => {
    const { call } = client();
    const v4 = (await call('v4', "PurchaseOrder(Document_Type='Order',No='106001')")).body as Record<string, unknown>;
    const v3 = (await call('v3', "PurchaseOrder(Document_Type='Order',No='106001')")).body as Record<string, unknown>;
    expect(typeof v4['Amount']).toBe('number');
    expect(typeof v3['Amount']).toBe('string');
    expect(v4['Order_Date']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(v3['Order_Date']).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00$/);
    expect(v4['Shortcut_Dimension_1_Code']).toBe('');
    const vendor4 = (await call('v4', "Vendor('V00001')")).body as Record<string, unknown>;
    expect(vendor4['Blocked']).toBe('_blank_');
  });

  it('is strict about literal syntax per version, like the real endpoints', async () => {
    const { call } = client();
    expect((await call('v4', "Vendor?$filter=Last_Modified_Date_Time ge 2025-01-01T00:00:00Z")).status).toBe(200);
    expect((await call('v3', "Vendor?$filter=Last_Modified_Date_Time ge datetime'2025-01-01T00:00:00'")).status).toBe(200);
    const v3onV4 = await call('v4', "Vendor?$filter=Last_Modified_Date_Time ge datetime'2025-01-01T00:00:00'");
    expect(v3onV4.status).toBe(400);
    expect(JSON.stringify(v3onV4.body)).toMatch(/OData v3 syntax/);
    expect((await call('v3', 'Vendor?$filter=Last_Modified_Date_Time ge 2025-01-01T00:00:00Z')).status).toBe(400);
    expect((await call('v4', 'PurchaseOrderLines?$filter=Quantity gt 1.5M')).status).toBe(400);
    expect((await call('v3', 'PurchaseOrderLines?$filter=Quantity gt 1.5M')).status).toBe(200);
    const incompatible = await call('v3', "Vendor?$filter=Last_Modified_Date_Time ge datetimeoffset'2025-01-01T00:00:00Z'");
    expect(JSON.stringify(incompatible.body)).toMatch(/incompatible types/);
    expect((await call('v3', "Vendor?$filter=substringof('Acme',Name)")).status).toBe(200);
    expect((await call('v3', "Vendor?$filter=contains(Name,'Acme')")).status).toBe(400);
    expect((await call('v3', 'Vendor?$count=true')).status).toBe(400);
    const counted = (await call('v3', 'Vendor?$inlinecount=allpages&$top=1')).body as Record<string, unknown>;
    expect(counted['odata.count']).toBe('25');
    expect(((await call('v4', 'Vendor?$count=true&$top=1')).body as Record<string, unknown>)['@odata.count']).toBe(25);
    expect(JSON.stringify((await call('v4', "Vendor?$filter=Nmae eq 'x'")).body)).toMatch(/Could not find a property named 'Nmae'/);
    // Documented limitation: OR across distinct fields is refused; OR on one field works.
    expect(JSON.stringify((await call('v4', "Vendor?$filter=No eq 'V00001' or Name eq 'x'")).body)).toMatch(/'OR' operator is not supported on distinct fields/);
    expect((await call('v4', "Vendor?$filter=No eq 'V00001' or No eq 'V00002'")).status).toBe(200);
  });

  it('keys: composite predicates, single values and refusal of partial keys', async () => {
    const { call } = client();
    expect((await call('v4', "PurchaseOrderLines(Document_Type='Order',Document_No='106001',Line_No=10000)")).status).toBe(200);
    expect((await call('v4', "PurchaseOrder('106001')")).status).toBe(400);
    expect((await call('v4', "PurchaseInvoice(Document_Type='Invoice',No='106001')")).status).toBe(404);
    expect((await call('v4', "Vendor('V99999')")).status).toBe(404);
  });
});

describe('emulator: writes, ETags and what stays unposted', () => {
  it('needs If-Match on PATCH and DELETE, and answers 412 to a stale ETag', async () => {
    const { call } = client();
    const read = (await call('v4', "Vendor('V00002')")).body as Record<string, unknown>;
    const etag = read['@odata.etag'] as string;
    const patch = (headers: Record<string, string>) => call('v4', "Vendor('V00002')", { method: 'PATCH', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ Contact: 'New' }) });
    expect((await patch({})).status).toBe(400);
    const ok = await patch({ 'If-Match': etag });
    expect(ok.status).toBe(200);
    expect((await patch({ 'If-Match': etag })).status).toBe(412);
    const v3 = await call('v3', "Vendor('V00002')", { method: 'PATCH', headers: { 'content-type': 'application/json', 'If-Match': '*' }, body: JSON.stringify({ Contact: 'V3' }) });
    expect(v3.status).toBe(204);
    expect((await call('v4', "Vendor('V00002')", { method: 'DELETE' })).status).toBe(400);
  });

  it('refuses unknown properties, read-only fields and writes to read-only pages', async () => {
    const { call } = client();
    const post = (path: string, body: unknown) => call('v4', path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(JSON.stringify((await post('Vendor', { Nmae: 'x' })).body)).toMatch(/does not exist on type 'NAV.Vendor'/);
    expect((await post('Vendor', { Balance_LCY: 5 })).status).toBe(400);
    expect((await post('Vendor', { No: 'X'.repeat(21) })).body).toMatchObject({ error: { code: 'Application_StringExceededLength' } });
    expect((await post('Chart_of_Accounts', { No: '9000' })).status).toBe(405);
    expect((await post('Vendor', { Name: 'lower', Payment_Terms_Code: 'net 30' })).body).toMatchObject({ Payment_Terms_Code: 'NET 30' });
  });

  it('keeps journal lines unposted: there is no posting action to call', async () => {
    const { sandbox, call } = client();
    const created = await call('v4', 'GeneralJournalLines', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Journal_Template_Name: 'GENERAL', Journal_Batch_Name: 'DEFAULT', Line_No: 10000, Account_Type: 'G/L Account', Account_No: '8110', Amount: 10 }),
    });
    expect(created.status).toBe(201);
    const post = await call('v4', "GeneralJournalLines(Journal_Template_Name='GENERAL',Journal_Batch_Name='DEFAULT',Line_No=10000)/NAV.Post", { method: 'POST' });
    expect(post.status).toBe(404);
    expect(sandbox.table('GenJournalLine')).toHaveLength(1);
    expect((await call('v4', 'GeneralJournalLines', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Journal_Template_Name: 'GENERAL', Journal_Batch_Name: 'NOPE', Line_No: 1 }) })).status).toBe(400);
  });
});

describe('emulator: auth, routes and publication', () => {
  it('challenges without credentials, serves only the configured versions and generates $metadata from published pages', async () => {
    const sandbox = createNavSandbox({ versions: ['v3'], pages: { paymentTerms: false, vendorCard: { name: 'Suppliers', renameFields: { Name: 'Supplier_Name' }, omitFields: ['Address'] } } });
    const anonymous = await sandbox.fetch(`${sandbox.url({ version: 'v3' })}/Suppliers`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm=""/);
    const v4 = await sandbox.fetch(`${sandbox.url({ version: 'v4' })}/Suppliers`, { headers: { authorization: AUTH } });
    expect(v4.status).toBe(404);
    const metadata = await (await sandbox.fetch(`${sandbox.url({ version: 'v3', company: false })}$metadata`, { headers: { authorization: AUTH } })).text();
    expect(metadata).toContain('m:DataServiceVersion="3.0"');
    expect(metadata).toContain('<EntitySet Name="Suppliers" EntityType="NAV.Suppliers" />');
    expect(metadata).toContain('<Property Name="Supplier_Name" Type="Edm.String" MaxLength="100" />');
    expect(metadata).toContain('<Property Name="Last_Modified_Date_Time" Type="Edm.DateTime" />');
    expect(metadata).not.toContain('PaymentTerms');
    expect(metadata).not.toContain('"Address"');
  });

  it('serves over a real loopback socket', async () => {
    const sandbox = createNavSandbox();
    const server = await sandbox.listen();
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const response = await fetch(`${sandbox.url({ origin: server.url })}/Chart_of_Accounts('8110')`, { headers: { authorization: AUTH } });
      expect(((await response.json()) as Record<string, unknown>)['Name']).toBe('Office Supplies');
    } finally {
      await server.close();
    }
  });
});

describe('seed shared with the JAGGAER emulator', () => {
  it('has the JAGGAER default suppliers as vendors (same numbers and names), the same accounts and dimension values', () => {
    const jaggaer = generateJaggaerSeed();
    const nav = generateNavSeed();
    expect(nav.Vendor.map((v) => v['No'])).toEqual(jaggaer.suppliers.map((s) => s.supplierNumber));
    expect(nav.Vendor.map((v) => v['Name'])).toEqual(jaggaer.suppliers.map((s) => s.companyName));
    expect(nav.Vendor.map((v) => v['Name'])).toEqual(nav.Vendor.map((_, i) => sandboxSupplierName(i + 1)));
    const accounts = new Set(nav.GLAccount.map((a) => a['No']));
    for (const account of SANDBOX_ACCOUNTS) expect(accounts.has(account.code)).toBe(true);
    expect(accounts.has('8190')).toBe(true);
    expect(accounts.has('9999')).toBe(false);
    const values = (dimension: string) => nav.DimensionValue.filter((v) => v['Dimension_Code'] === dimension).map((v) => v['Code']);
    expect(values('DEPARTMENT')).toEqual(SANDBOX_DEPARTMENTS.map((d) => d.code));
    expect(values('PROJECT')).toEqual(SANDBOX_PROJECTS.map((p) => p.code));
  });
});
