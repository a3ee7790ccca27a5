import { describe, expect, it } from 'vitest';
import {
  DEFAULT_JAGGAER_PATHS,
  SANDBOX_ACCOUNTS,
  SANDBOX_BLOCKED_ACCOUNT,
  SANDBOX_SPECIAL_CODING_RULE,
  SANDBOX_SPLIT_CODING_RULE,
  SANDBOX_DEPARTMENTS,
  SANDBOX_PROJECTS,
  SANDBOX_UNKNOWN_ACCOUNT,
  createJaggaerSandbox,
  generateJaggaerSeed,
  sandboxSupplierName,
  type JaggaerInvoice,
} from '@ml-connector/jaggaer-j1p/testing';
import { getToken } from './helpers.js';

const accountsOf = (inv: JaggaerInvoice) =>
  inv.headerCoding ? [inv.headerCoding.account] : inv.lines.flatMap((l) => (l.splits ? l.splits.map((s) => s.coding.account) : [l.coding!.account]));

describe('generateJaggaerSeed', () => {
  it('is deterministic by seed', () => {
    const a = generateJaggaerSeed({ seed: 42, suppliers: 30, invoices: 500, purchaseOrders: 25 });
    const b = generateJaggaerSeed({ seed: 42, suppliers: 30, invoices: 500, purchaseOrders: 25 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const c = generateJaggaerSeed({ seed: 43, suppliers: 30, invoices: 500, purchaseOrders: 25 });
    expect(JSON.stringify(c)).not.toBe(JSON.stringify(a));
    // Names and numbers do not depend on the seed, so other sandboxes can line up with them.
    expect(c.suppliers.map((s) => [s.supplierNumber, s.companyName])).toEqual(a.suppliers.map((s) => [s.supplierNumber, s.companyName]));
  });

  it('follows the shared conventions', () => {
    const seed = generateJaggaerSeed({ seed: 1, suppliers: 40, invoices: 2_000, purchaseOrders: 30 });
    expect(seed.businessUnits).toEqual(['US01']);
    expect(seed.suppliers[0]).toMatchObject({ supplierNumber: 'V00001', companyName: sandboxSupplierName(1) });
    expect(seed.suppliers[39]!.supplierNumber).toBe('V00040');
    expect(new Set(seed.suppliers.map((s) => s.companyName)).size).toBe(40);
    const withParent = seed.suppliers.filter((s) => s.parentSupplierNumber);
    expect(withParent.length).toBeGreaterThan(0);
    for (const s of withParent) expect(['V00001', 'V00002', 'V00003']).toContain(s.parentSupplierNumber);
    expect(seed.purchaseOrders[0]!.poNumber).toBe('PO-00001');
    expect(seed.invoices[0]!.invoiceNumber).toBe('INV-0000001');
    expect(seed.invoices[1999]!.invoiceNumber).toBe('INV-0002000');
    expect(seed.codingValues.filter((c) => c.segment === 'account').map((c) => c.code)).toEqual(SANDBOX_ACCOUNTS.map((a) => a.code));

    const keys = new Set(seed.invoices.map((i) => `${i.supplierNumber}/${i.supplierInvoiceNumber}`));
    expect(keys.size).toBe(2_000);
    const allowed = new Set([...SANDBOX_ACCOUNTS.map((a) => a.code), SANDBOX_BLOCKED_ACCOUNT, SANDBOX_UNKNOWN_ACCOUNT]);
    for (const inv of seed.invoices) {
      expect(inv.currency).toBe('USD');
      expect(inv.paymentStatus).toBe('Unpaid');
      expect(inv.lines.length).toBeGreaterThanOrEqual(1);
      expect(inv.lines.length).toBeLessThanOrEqual(5);
      for (const a of accountsOf(inv)) expect(allowed.has(a)).toBe(true);
      for (const l of inv.lines) {
        expect(l.quantity).toBeGreaterThan(0);
        expect(l.unitPrice).toBeGreaterThan(0);
        expect(l.description.length).toBeGreaterThan(0);
      }
    }
    const blocked = seed.invoices.filter((i) => accountsOf(i).includes(SANDBOX_BLOCKED_ACCOUNT));
    const unknown = seed.invoices.filter((i) => accountsOf(i).includes(SANDBOX_UNKNOWN_ACCOUNT));
    expect(blocked.length).toBe(40);
    expect(blocked[0]!.invoiceNumber).toBe(`INV-${String(SANDBOX_SPECIAL_CODING_RULE.blockedOffset + 1).padStart(7, '0')}`);
    expect(unknown.length).toBeGreaterThan(10);
    const statuses = new Map<string, number>();
    for (const i of seed.invoices) statuses.set(i.workflowStatus, (statuses.get(i.workflowStatus) ?? 0) + 1);
    expect(statuses.get('Approved')!).toBeGreaterThan(1_400);
    expect(statuses.get('Pending Approval')!).toBeGreaterThan(100);
    expect(statuses.get('Rejected')!).toBeGreaterThan(50);
    expect(seed.invoices.some((i) => i.headerCoding)).toBe(true);
    expect(seed.invoices.some((i) => i.lines.some((l) => l.poNumber))).toBe(true);
    const times = seed.invoices.map((i) => i.lastUpdate);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(300 * 86_400_000);
  });

  it('splits the first line of every 20th invoice two ways, keeping the original coding as the first share', () => {
    const seed = generateJaggaerSeed({ seed: 1, invoices: 400 });
    const split = seed.invoices.filter((inv) => inv.lines.some((l) => l.splits));
    expect(split.length).toBeGreaterThan(8);
    for (const inv of split) {
      const i = inv.invoiceId - seed.invoices[0]!.invoiceId;
      expect(i % SANDBOX_SPLIT_CODING_RULE.every).toBe(SANDBOX_SPLIT_CODING_RULE.offset);
      const line = inv.lines[0]!;
      expect(line.coding).toBeUndefined();
      expect(line.splits).toHaveLength(2);
      expect(line.splits!.reduce((sum, s) => sum + s.percentage, 0)).toBe(100);
      const [a, b] = line.splits!;
      expect(b!.coding).toMatchObject({ department: a!.coding.department, project: a!.coding.project });
      expect(b!.coding.account).not.toBe(a!.coding.account);
    }
    expect(new Set(split.map((inv) => inv.lines[0]!.splits![0]!.percentage)).size).toBeGreaterThan(1);
  });

  it('keeps the identifiers the Business Central sandbox aligns with (default seed)', () => {
    const seed = generateJaggaerSeed();
    expect(seed.suppliers.map((s) => s.supplierNumber)).toEqual(Array.from({ length: 25 }, (_, i) => `V${String(i + 1).padStart(5, '0')}`));
    const used = { account: new Set<string>(), department: new Set<string>(), project: new Set<string>() };
    for (const inv of seed.invoices) {
      const codings = inv.headerCoding ? [inv.headerCoding] : inv.lines.flatMap((l) => (l.splits ? l.splits.map((s) => s.coding) : [l.coding!]));
      for (const c of codings) for (const segment of ['account', 'department', 'project'] as const) used[segment].add(c[segment]);
      expect(inv.businessUnit).toBe('US01');
    }
    expect([...used.account].sort()).toEqual([...SANDBOX_ACCOUNTS.map((a) => a.code), '8190', '9999'].sort());
    expect([...used.department].sort()).toEqual(SANDBOX_DEPARTMENTS.map((d) => d.code).sort());
    expect([...used.project].sort()).toEqual(SANDBOX_PROJECTS.map((p) => p.code).sort());
    expect(seed.purchaseOrders.map((p) => p.poNumber)).toEqual(Array.from({ length: 20 }, (_, i) => `PO-${String(i + 1).padStart(5, '0')}`));
  });

  it('generates 100,000 invoices and serves deep pages of them', async () => {
    const started = performance.now();
    const seed = generateJaggaerSeed({ seed: 1, suppliers: 500, invoices: 100_000, purchaseOrders: 2_000 });
    const elapsed = performance.now() - started;
    console.info(`generateJaggaerSeed: 100,000 invoices in ${elapsed.toFixed(0)} ms`);
    expect(seed.invoices).toHaveLength(100_000);
    const sandboxStarted = performance.now();
    const sandbox = createJaggaerSandbox({ data: seed });
    console.info(`createJaggaerSandbox over 100,000 invoices in ${(performance.now() - sandboxStarted).toFixed(0)} ms`);
    expect(sandbox.invoiceCount).toBe(100_000);
    // Paging deep into a filtered 100k list stays cheap (the filtered list is cached until the next change).
    const token = await getToken(sandbox);
    const pageStarted = performance.now();
    let total = 0;
    for (let startAt = 1; startAt <= 20_000; startAt += 1_000) {
      const r = await sandbox.fetch(`${sandbox.baseUrl}${DEFAULT_JAGGAER_PATHS.invoices}?workflowStatus=Approved&maxRecords=1000&startAt=${startAt}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = await r.json();
      total += body.returnedRecords;
    }
    console.info(`20 pages x 1000 approved invoices out of 100,000 in ${(performance.now() - pageStarted).toFixed(0)} ms`);
    expect(total).toBe(20_000);
  }, 60_000); // a scale check, not a speed check: the machine may be shared

  it('rejects bad sizes with InvalidInputError', () => {
    expect(() => generateJaggaerSeed({ invoices: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', field: 'invoices' }));
    expect(() => generateJaggaerSeed({ suppliers: 1.5 })).toThrow(/whole number/);
    expect(() => generateJaggaerSeed({ suppliers: 0, invoices: 1 })).toThrow(/at least one supplier/);
    expect(generateJaggaerSeed({ suppliers: 0, invoices: 0, purchaseOrders: 0 }).invoices).toEqual([]);
  });
});
