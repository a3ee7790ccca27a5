import { describe, expect, it } from 'vitest';
import { loadNavExampleEnvironment } from '../src/nav/connections.ts';
import { navPurchasingSettings } from '../src/nav-purchasing/flow.ts';

const JAGGAER = { JAGGAER_HOST: 'https://acme.api.jaggaer.com', JAGGAER_CLIENT_ID: 'id', JAGGAER_CLIENT_SECRET: 'jaggaer-secret-value' };

describe('NAV example configuration', () => {
  it('uses the emulators without any variable, and ignores BC_* for the NAV examples', () => {
    const env = loadNavExampleEnvironment({ BC_TENANT_ID: 't' }, '/tmp');
    expect(env.nav).toBeUndefined();
    expect(env.jaggaer).toBeUndefined();
    expect(env.businessCentral).toBeUndefined();
  });

  it('reads Basic and Entra configurations', () => {
    const basic = loadNavExampleEnvironment({ ...JAGGAER, NAV_URL: "https://nav.local:7048/NAV/ODataV4/Company('C')", NAV_USERNAME: 'u', NAV_PASSWORD: 'nav-secret-value' }, '/tmp');
    expect(basic.nav).toMatchObject({ username: 'u', password: 'nav-secret-value' });
    const oauth = loadNavExampleEnvironment(
      { ...JAGGAER, NAV_URL: "https://nav.local:7048/NAV/ODataV4/Company('C')", NAV_CLIENT_ID: 'app', NAV_CLIENT_SECRET: 's', NAV_TENANT_ID: 't', NAV_SCOPE: 'api://nav/.default' },
      '/tmp',
    );
    expect(oauth.nav).toMatchObject({ clientId: 'app', scope: 'api://nav/.default' });
  });

  it('refuses a partial NAV configuration and a mix with the emulators, naming variables and never values', () => {
    const partial = () => loadNavExampleEnvironment({ ...JAGGAER, NAV_URL: "https://nav.local/NAV/ODataV4/Company('C')", NAV_USERNAME: 'u' }, '/tmp');
    expect(partial).toThrow(/NAV_PASSWORD/);
    const onPrem = () => loadNavExampleEnvironment({ ...JAGGAER, NAV_URL: "https://nav.local/NAV/ODataV4/Company('C')", NAV_CLIENT_ID: 'app', NAV_CLIENT_SECRET: 's' }, '/tmp');
    expect(onPrem).toThrow(/NAV_SCOPE/);
    const mix = () => loadNavExampleEnvironment(JAGGAER, '/tmp');
    expect(mix).toThrow(/Only JAGGAER is configured.*Dynamics NAV too/);
    try {
      mix();
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('jaggaer-secret-value');
    }
  });

  it('reads the purchasing settings and refuses bad ones', () => {
    expect(navPurchasingSettings({})).toEqual({ shortcuts: { first: 'DEPARTMENT', second: 'PROJECT' }, journalBatch: { journalTemplateName: 'GENERAL', journalBatchName: 'MLCONNECT' } });
    expect(navPurchasingSettings({ NAV_SHORTCUT_DIMENSIONS: 'CC, AREA', NAV_JOURNAL_BATCH: 'JAGGAER', NAV_NON_PO_INVOICES: 'allow' })).toMatchObject({
      shortcuts: { first: 'CC', second: 'AREA' },
      journalBatch: { journalBatchName: 'JAGGAER' },
      nonPoInvoices: 'allow',
    });
    expect(navPurchasingSettings({ NAV_SHORTCUT_DIMENSIONS: 'DEPARTMENT,PROJECT,,AREA' }).shortcuts).toEqual({ first: 'DEPARTMENT', second: 'PROJECT', more: ['', 'AREA'] });
    expect(() => navPurchasingSettings({ NAV_SHORTCUT_DIMENSIONS: 'ONLYONE' })).toThrow(/shortcut dimensions 1 and 2/);
    expect(() => navPurchasingSettings({ NAV_SHORTCUT_DIMENSIONS: 'A,B,C,D,E,F,G,H,I' })).toThrow(/optionally 3–8/);
    expect(() => navPurchasingSettings({ NAV_NON_PO_INVOICES: 'maybe' })).toThrow(/review" or "allow/);
  });
});
