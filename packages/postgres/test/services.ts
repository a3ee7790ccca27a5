import { expect, it } from 'vitest';

/** True when CI asked for the services: a missing REDIS_URL or DATABASE_URL is then a failure, never a skip. */
export const servicesRequired = process.env.ML_CONNECTOR_REQUIRE_SERVICES === '1';

/** Registers a test that fails in CI when `variable` is missing, so service-backed tests cannot skip silently there. */
export function requireService(variable: 'DATABASE_URL' | 'REDIS_URL'): void {
  it.runIf(servicesRequired)(`${variable} is set (ML_CONNECTOR_REQUIRE_SERVICES=1)`, () => {
    expect(process.env[variable], `${variable} must point at the service CI started`).toMatch(/^(postgres|redis):\/\//);
  });
}
