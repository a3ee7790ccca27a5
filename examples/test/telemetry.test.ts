import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metrics, trace, type AttributeValue } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SANDBOX_CLIENT_SECRET as BC_SECRET } from '@ml-connector/business-central/testing';
import { SANDBOX_CLIENT_SECRET as JAGGAER_SECRET } from '@ml-connector/jaggaer-j1p/testing';
import { bcInvoicesExample } from '../src/bc-invoices/main.ts';
import { BC_INVOICES_FLOW } from '../src/bc-invoices/flow.ts';
import { runExample, type ExampleIo } from '../src/shared/index.ts';
import { telemetryWanted } from '../src/shared/telemetry.ts';

const spans = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const metricReader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
const meterProvider = new MeterProvider({ readers: [metricReader] });

beforeAll(() => {
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
});
afterAll(async () => {
  trace.disable();
  metrics.disable();
  await tracerProvider.shutdown();
  await meterProvider.shutdown();
});

const dirs: string[] = [];
afterEach(() => {
  vi.unstubAllEnvs();
  spans.reset();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function captured(): ExampleIo & { out: () => string } {
  const chunks: string[] = [];
  const sink = { isTTY: false, write: (chunk: string) => (chunks.push(String(chunk)), true) } as unknown as NodeJS.WritableStream & { isTTY?: boolean };
  return { stdout: sink, stderr: sink, out: () => chunks.join('') };
}

/** Runs bc-invoices against emulators it starts itself, on a fresh state directory. */
async function runBcInvoices(argv: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'mlc-telemetry-'));
  dirs.push(dir);
  vi.stubEnv('ML_CONNECTOR_STATE_DIR', dir);
  const io = captured();
  const code = await runExample(bcInvoicesExample, argv, io);
  return { code, summary: JSON.parse(io.out().trim().split('\n').at(-1)!) as { read: number; created: number; requestsUsed: number } };
}

/** Attribute keys the hooks may set: nothing else (no header, body, token or query value) can reach an exporter. */
const ALLOWED_ATTRIBUTES = new Set([
  'ml_connector.system',
  'http.request.method',
  'server.address',
  'url.full',
  'http.response.status_code',
  'error.type',
  'ml_connector.attempt',
  'ml_connector.retry.reason',
  'ml_connector.retry.wait_ms',
  'ml_connector.flow',
  'ml_connector.source.system',
  'ml_connector.source.id',
  'ml_connector.outcome',
  'ml_connector.reason',
  'ml_connector.target.id',
]);

describe('OpenTelemetry in the example runner', () => {
  it('emits a span per HTTP attempt of each system and per record, and the metrics, with no secret in any attribute', async () => {
    const { code, summary } = await runBcInvoices(['--json', '--telemetry', '--limit', '6']);
    expect(code).toBe(0);
    expect(summary.created).toBeGreaterThan(0);
    const finished = spans.getFinishedSpans();

    const records = finished.filter((span) => span.name === `record ${BC_INVOICES_FLOW}`);
    expect(records).toHaveLength(summary.read);
    expect(records.filter((span) => span.attributes['ml_connector.outcome'] === 'created')).toHaveLength(summary.created);

    const http = finished.filter((span) => span.name.startsWith('HTTP '));
    // Every request the summary counts (token requests included) is one span: nothing is missed or doubled.
    expect(http).toHaveLength(summary.requestsUsed);
    expect(new Set(http.map((span) => span.attributes['ml_connector.system']))).toEqual(new Set(['business-central', 'jaggaer']));
    expect(http.some((span) => span.name === 'HTTP POST' && span.attributes['ml_connector.system'] === 'business-central')).toBe(true);
    for (const span of http) expect(span.attributes['http.response.status_code']).toBeTypeOf('number');

    const values: AttributeValue[] = [];
    for (const span of finished) {
      for (const [key, value] of Object.entries(span.attributes)) {
        expect(ALLOWED_ATTRIBUTES, key).toContain(key);
        values.push(value!);
      }
    }
    const text = JSON.stringify(values);
    for (const secret of [BC_SECRET, JAGGAER_SECRET]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/bearer|eyJ|client_secret|access_token|assertion/i);

    await metricReader.forceFlush();
    const names = new Set(metricExporter.getMetrics().flatMap((resource) => resource.scopeMetrics.flatMap((scope) => scope.metrics.map((metric) => metric.descriptor.name))));
    expect(names).toContain('ml_connector.http.requests');
    expect(names).toContain('ml_connector.records');
  });

  it('stays off without --telemetry or an OTEL_* variable, and OTEL_SDK_DISABLED=true turns it off', async () => {
    for (const name of Object.keys(process.env).filter((key) => key.startsWith('OTEL_'))) vi.stubEnv(name, '');
    const { code } = await runBcInvoices(['--json', '--limit', '2']);
    expect(code).toBe(0);
    expect(spans.getFinishedSpans()).toHaveLength(0);
    expect(telemetryWanted(false, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toBe(true);
    expect(telemetryWanted(true, { OTEL_SDK_DISABLED: 'true' })).toBe(false);
  });
});
