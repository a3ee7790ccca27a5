import { describe, expect, it } from 'vitest';
import { NavMetadataMismatchError, findMetadataProblems, isNavMetadataMismatchError, parseServiceMetadata, resolveServices } from '@ml-connector/nav';
import { setup } from '../helpers.js';

const drifted = {
  pages: {
    dimensionValues: false,
    vendorCard: { renameFields: { E_Mail: 'EMail' } },
    chartOfAccounts: { fieldTypes: { Blocked: 'Edm.String' } },
  },
} as const;

describe.each(['v4', 'v3'] as const)('$metadata validation (OData %s)', (version) => {
  it('lists a missing page, a renamed field and a changed type in one error, before any data moves', async () => {
    const { sandbox, nav } = setup(drifted, { version });
    const error = await nav.connect().catch((e: unknown) => e);
    expect(isNavMetadataMismatchError(error)).toBe(true);
    const problems = (error as NavMetadataMismatchError).problems;
    expect(problems.map((p) => [p.kind, p.service])).toEqual([
      ['missing-field', 'vendors'],
      ['type-mismatch', 'glAccounts'],
      ['missing-entity-set', 'dimensionValues'],
    ]);
    expect(problems[0]).toMatchObject({ field: 'E_Mail', logical: 'email' });
    expect(problems[0]?.message).toContain('set services.vendors.fields.email = "EMail"');
    expect(problems[1]).toMatchObject({ field: 'Blocked', actual: 'Edm.String', expected: ['Edm.Boolean'] });
    expect((error as Error).message).toMatch(/3 problems/);
    // Resource calls are gated on the same check: nothing but $metadata reached the server.
    await expect(nav.vendors.get('V00001')).rejects.toBeInstanceOf(NavMetadataMismatchError);
    expect(sandbox.stats.requests).toBe(sandbox.stats.metadataRequests);
  });

  it('connects once the published names are configured (renamed field mapped, missing page disabled)', async () => {
    const { nav } = setup(drifted, {
      version,
      services: { vendors: { fields: { email: 'EMail' } }, glAccounts: { fields: { blocked: false } }, dimensionValues: false },
    });
    await nav.connect();
    const vendor = await nav.vendors.get('V00002');
    expect(vendor.email).toMatch(/^ap@/);
    await expect(nav.dimensionValues.get('PROJECT', 'P-100')).rejects.toThrow(/disabled/);
    expect(await nav.checkMetadata()).toEqual([]);
  });

  it('uses renamed services', async () => {
    const { nav } = setup({ pages: { vendorCard: { name: 'MLVendors' } } }, { version, services: { vendors: { entitySet: 'MLVendors' } } });
    expect((await nav.vendors.get('V00003')).number).toBe('V00003');
  });

  it('reports a wrong service name with a hint', async () => {
    const { nav } = setup({ pages: { vendorCard: { name: 'vendor' } } }, { version });
    const problems = await nav.checkMetadata();
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain('did you mean "vendor"');
  });
});

describe('CSDL parsing', () => {
  it('reads aliases, enum-typed option fields and keys', () => {
    const xml = `<?xml version="1.0"?><edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
      <Schema Namespace="NAV" Alias="N" xmlns="http://docs.oasis-open.org/odata/ns/edm">
        <EnumType Name="Blocked"><Member Name="_blank_" Value="0"/><Member Name="All" Value="3"/></EnumType>
        <EntityType Name="Vendor"><Key><PropertyRef Name="No"/></Key>
          <Property Name="No" Type="Edm.String" Nullable="false"/><Property Name="Blocked" Type="N.Blocked"/>
        </EntityType>
        <EntityContainer Name="NAV"><EntitySet Name="Vendor" EntityType="N.Vendor"/></EntityContainer>
      </Schema></edmx:DataServices></edmx:Edmx>`;
    const metadata = parseServiceMetadata(xml);
    expect(metadata.entitySets.get('Vendor')).toBe('NAV.Vendor');
    expect(metadata.entityTypes.get('NAV.Vendor')?.properties.get('Blocked')?.type).toBe('NAV.Blocked');
    const services = resolveServices({ vendors: { fields: { name: false, paymentTermsCode: false, payToVendorNumber: false, contact: false, email: false, phone: false, currencyCode: false, primaryContactNumber: false, lastModified: false } } });
    const vendors = services.get('vendors');
    expect(findMetadataProblems(metadata, vendors ? [vendors] : [], 'v4')).toEqual([]);
    expect(findMetadataProblems(metadata, vendors ? [vendors] : [], 'v3')[0]).toMatchObject({ kind: 'type-mismatch', field: 'Blocked' });
  });

  it('refuses a document that is not CSDL', () => {
    expect(() => parseServiceMetadata('<html><body>Sign in</body></html>')).toThrow(/edmx:Edmx/);
  });

  it('refuses bad service overrides with a clear message', () => {
    expect(() => resolveServices({ vendor: {} } as never)).toThrow(/services.vendor is not a service/);
    expect(() => resolveServices({ vendors: { fields: { mail: 'x' } as never } })).toThrow(/use one of number, name/);
    expect(() => resolveServices({ vendors: { fields: { number: false } } })).toThrow(/key field and must be published/);
    expect(() => resolveServices({ vendors: { entitySet: 'Vendor Card' } })).toThrow(/must be an OData name/);
  });
});
