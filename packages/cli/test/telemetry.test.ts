import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Attributes, Meter, Span, Tracer } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectorTelemetry } from '@ml-connector/cli';
import { createHttpClient } from '@ml-connector/core';
import { createMemorySyncStore, createSyncEngine } from '@ml-connector/core/sync';
import { createFixtureFlow } from './fixtures/flows.js';

const TOKEN = 'eyJ-bearer-token-that-must-never-be-an-attribute';

interface Recorded {
  name: string;
  attributes: Attributes;
  status?: number;
}

/** A recording tracer and meter implementing the parts of @opentelemetry/api the telemetry uses. */
function recorder() {
  const spans: Recorded[] = [];
  const measurements: Array<{ name: string; value: number; attributes: Attributes }> = [];
  const span = (name: string, attributes: Attributes = {}): Span => {
    const recorded: Recorded = { name, attributes: { ...attributes } };
    spans.push(recorded);
    const self = {
      setAttribute: (key: string, value: unknown) => ((recorded.attributes[key] = value as never), self),
      setAttributes: (values: Attributes) => (Object.assign(recorded.attributes, values), self),
      setStatus: (status: { code: number }) => ((recorded.status = status.code), self),
      end: () => undefined,
      addEvent: () => self,
      recordException: () => undefined,
      isRecording: () => true,
      updateName: () => self,
      spanContext: () => ({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 1 }),
    };
    return self as unknown as Span;
  };
  const tracer = {
    startSpan: (name: string, options: { attributes?: Attributes } = {}) => span(name, options.attributes),
    startActiveSpan: (name: string, options: { attributes?: Attributes }, fn: (s: Span) => unknown) => fn(span(name, options.attributes)),
  } as unknown as Tracer;
  const instrument = (name: string) => ({
    add: (value: number, attributes: Attributes = {}) => measurements.push({ name, value, attributes }),
    record: (value: number, attributes: Attributes = {}) => measurements.push({ name, value, attributes }),
  });
  const meter = {
    createCounter: instrument,
    createHistogram: instrument,
    createObservableGauge: (name: string) => ({ name }),
    addBatchObservableCallback: () => undefined,
  } as unknown as Meter;
  return { spans, measurements, tracer, meter };
}

let server: ReturnType<typeof createServer>;
let baseUrl: string;
let calls = 0;
const authorizations: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    calls++;
    authorizations.push(request.headers.authorization ?? '');
    if (calls === 1) return response.writeHead(429, { 'retry-after': '0', 'content-type': 'application/json' }).end('{"error":"slow down"}');
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"value":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('createConnectorTelemetry', () => {
  it('one span per HTTP attempt with the retry reason and wait, 429s counted, no secret in any attribute', async () => {
    const { spans, measurements, tracer, meter } = recorder();
    const telemetry = createConnectorTelemetry({ tracer, meter, system: 'business-central' });
    const http = createHttpClient({
      baseUrl,
      allowLoopback: true,
      auth: { identity: 'test', getToken: async () => ({ token: TOKEN, expiresAt: Date.now() + 3_600_000 }), invalidate: () => undefined } as never,
      fetch: telemetry.fetch(),
      onRetry: telemetry.onRetry,
    });
    await http.get('vendors', { query: { $filter: "number eq 'V-1'", client_secret: 'query-secret' } });
    // The token really went out, so its absence from the attributes means something.
    expect(authorizations.slice(0, 2)).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
    const attempts = spans.filter((s) => s.name === 'HTTP GET');
    expect(attempts).toHaveLength(2);
    expect(attempts[0]!.attributes).toMatchObject({ 'http.response.status_code': 429, 'ml_connector.attempt': 1, 'ml_connector.system': 'business-central' });
    expect(attempts[1]!.attributes).toMatchObject({ 'http.response.status_code': 200, 'ml_connector.attempt': 2, 'ml_connector.retry.reason': expect.any(String), 'ml_connector.retry.wait_ms': expect.any(Number) });
    expect(attempts[1]!.attributes['url.full']).toBe(`${baseUrl}vendors`);
    expect(measurements.filter((m) => m.name === 'ml_connector.http.throttled')).toHaveLength(1);
    expect(measurements.filter((m) => m.name === 'ml_connector.http.requests')).toHaveLength(2);
    const everything = JSON.stringify([spans, measurements]);
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain('query-secret');
  });

  it('one span and one count per record, by outcome', async () => {
    const { spans, measurements, tracer, meter } = recorder();
    const telemetry = createConnectorTelemetry({ tracer, meter });
    await createSyncEngine({ store: createMemorySyncStore() }).run(createFixtureFlow(), { onEvent: telemetry.onEvent });
    const recordSpans = spans.filter((s) => s.name === 'record test-invoices');
    expect(recordSpans.map((s) => s.attributes['ml_connector.outcome']).sort()).toEqual(['created', 'created', 'review']);
    expect(recordSpans.find((s) => s.attributes['ml_connector.outcome'] === 'review')!.attributes['ml_connector.reason']).toBe('unknown-vendor');
    expect(measurements.filter((m) => m.name === 'ml_connector.records')).toHaveLength(3);
  });

  it('is a no-op without a registered SDK', async () => {
    const telemetry = createConnectorTelemetry();
    const response = await telemetry.fetch()(`${baseUrl}ping`);
    expect(response.status).toBe(200);
    expect(() => telemetry.onEvent({ type: 'page-read', runId: 'r', records: 1 })).not.toThrow();
  });
});
