import { describe, expect, it } from 'vitest';
import {
  SEED_BLOCKED_VENDORS,
  SEED_UNMAPPED_SUPPLIERS,
  generateBusinessCentralSeed,
} from '@ml-connector/business-central/testing';
// Test-only cross-check: the packages share data by identifiers; the BC sources never import JAGGAER.
import { SANDBOX_BLOCKED_ACCOUNT, SANDBOX_UNKNOWN_ACCOUNT, generateJaggaerSeed } from '@ml-connector/jaggaer-j1p/testing';

describe('the default BC seed describes the JAGGAER sandbox company', () => {
  const bc = generateBusinessCentralSeed();
  const jaggaer = generateJaggaerSeed();
  const vendorByNumber = new Map(bc.vendors.map((v) => [v.number as string, v]));

  it('has every JAGGAER supplier as a vendor with the same number and name, except the deliberate gaps', () => {
    for (const supplier of jaggaer.suppliers) {
      const vendor = vendorByNumber.get(supplier.supplierNumber);
      if (SEED_UNMAPPED_SUPPLIERS.includes(supplier.supplierNumber)) {
        expect(vendor, supplier.supplierNumber).toBeUndefined();
        continue;
      }
      expect(vendor?.displayName, supplier.supplierNumber).toBe(supplier.companyName);
    }
    // The suppliers the JAGGAER invoices reference (V00021–V00024 were missing before) resolve, but for the gap.
    const referenced = new Set(jaggaer.invoices.map((i) => i.supplierNumber));
    const unresolved = [...referenced].filter((no) => !vendorByNumber.has(no));
    expect(unresolved.every((no) => SEED_UNMAPPED_SUPPLIERS.includes(no))).toBe(true);
    expect(SEED_BLOCKED_VENDORS.map((no) => vendorByNumber.get(no)?.blocked)).toEqual(SEED_BLOCKED_VENDORS.map(() => 'All'));
  });

  it('has every JAGGAER GL code as a postable account, the blocked one blocked, the unknown one absent', () => {
    const accounts = new Map(bc.accounts.map((a) => [a.number as string, a]));
    const codes = jaggaer.codingValues.filter((c) => c.segment === 'account');
    for (const code of codes) {
      expect(accounts.get(code.code)?.displayName, code.code).toBe(code.description);
      expect(accounts.get(code.code)?.blocked).toBe(false);
    }
    expect(accounts.get(SANDBOX_BLOCKED_ACCOUNT)?.blocked).toBe(true);
    expect(accounts.has(SANDBOX_UNKNOWN_ACCOUNT)).toBe(false);
  });

  it('has the department and project coding values as dimension values, and the purchase order numbers', () => {
    const values = (dimension: string) =>
      bc.dimensionValues
        .filter((v) => v.dimensionId === bc.dimensions.find((d) => d.code === dimension)?.id)
        .map((v) => [v.code, v.displayName]);
    const coding = (segment: string) => jaggaer.codingValues.filter((c) => c.segment === segment).map((c) => [c.code, c.description]);
    expect(values('DEPARTMENT')).toEqual(coding('department'));
    expect(values('PROJECT')).toEqual(coding('project'));
    expect(bc.purchaseOrders.map((p) => p.number)).toEqual(jaggaer.purchaseOrders.map((p) => p.poNumber));
    // JAGGAER's unit of measure exists in BC.
    expect(bc.unitsOfMeasure?.map((u) => u.code)).toContain('EA');
    const terms = new Set(jaggaer.invoices.map((i) => i.paymentTermsCode.toUpperCase()));
    expect([...terms].every((code) => bc.paymentTerms?.some((t) => t.code === code))).toBe(true);
  });
});
