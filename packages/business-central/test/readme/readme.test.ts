import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createBusinessCentralClient } from '@ml-connector/business-central';
import { overHttp } from './listen.js';
import { quickStart } from './quick-start.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const source = (file: string) => readFileSync(new URL(file, import.meta.url), 'utf8').trim();

describe('README examples', () => {
  it('shows the quick start and the loopback example exactly as the typechecked files', () => {
    expect(readme).toContain(source('./quick-start.ts'));
    expect(readme).toContain(source('./listen.ts'));
  });

  it('runs the quick start', async () => {
    const result = await quickStart();
    expect(result.paid).toBe(true);
    expect(result.invoiceNumber).toMatch(/^PPI-/);
    expect(result.vendors).toHaveLength(23); // 25 JAGGAER suppliers, one unmapped, one blocked
  });

  it('runs the loopback example', async () => {
    const result = await overHttp();
    expect(result.vendorCount).toBe(24);
    expect(result.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2\.0\/[^/]+\/sandbox\/api\/v2\.0$/);
    expect(result.tokenUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[^/]+\/oauth2\/v2\.0\/token$/);
  });

  it('names only options the caller can set in host errors', () => {
    const base = { tenantId: 't', environment: 'Production', credentials: { clientId: 'c', clientSecret: 's' } };
    for (const apiHost of ['http://127.0.0.1:8080', 'https://127.0.0.1', 'http://bc.example.com']) {
      let message = '';
      try {
        createBusinessCentralClient({ ...base, apiHost });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, apiHost).not.toMatch(/allowHttp/);
      if (apiHost.includes('127.0.0.1')) expect(message).toMatch(/allowLoopback: true/);
    }
  });
});
