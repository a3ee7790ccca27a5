import { SpanKind, SpanStatusCode, metrics, trace, type Attributes, type Meter, type Tracer } from '@opentelemetry/api';
import { redactUrl, type RetryEvent, type ThrottleState } from '@ml-connector/core';
import type { SyncEvent } from '@ml-connector/core/sync';

/** Options of {@link createConnectorTelemetry}. */
export interface ConnectorTelemetryOptions {
  /** Tracer; default the global provider's `@ml-connector` tracer (a no-op until you register an SDK). */
  readonly tracer?: Tracer;
  /** Meter; default the global provider's `@ml-connector` meter (a no-op until you register an SDK). */
  readonly meter?: Meter;
  /** System label on HTTP spans and metrics (`business-central`, `jaggaer`, …). */
  readonly system?: string;
  /** Headers that carry the client request id, to tie a retry to its next attempt. Default `x-request-id`, `x-ms-client-request-id`. */
  readonly requestIdHeaders?: readonly string[];
}

/** Hooks that report one connector's traffic and a flow's records through OpenTelemetry. */
export interface ConnectorTelemetry {
  /** Wraps `fetch`: one client span per HTTP attempt. Pass the result as the client's `fetch` option. */
  fetch(inner?: typeof fetch): typeof fetch;
  /** Pass as the client's `onRetry` option: the next attempt's span carries the retry reason and throttle wait. */
  onRetry(event: RetryEvent): void;
  /** Pass as a run's `onEvent`: one span and one count per record, by outcome. */
  onEvent(event: SyncEvent): void;
  /** Reports throttle state per tenant as gauges, read at each collection (e.g. `() => ({ tenant: throttle.state(key) })`). */
  observeThrottle(states: () => Readonly<Record<string, ThrottleState | undefined>>): void;
}

const DEFAULT_REQUEST_ID_HEADERS = ['x-request-id', 'x-ms-client-request-id'];

/**
 * OpenTelemetry for the connectors and the sync engine through `@opentelemetry/api` only: you bring and register the
 * SDK and exporters; without one every call is a no-op. Spans: `HTTP <method>` per attempt (method, redacted URL
 * without query values, status, attempt number, retry reason, throttle wait) and `record <flow>` per record
 * (outcome, reason). Metrics: `ml_connector.http.requests`, `ml_connector.http.throttled` (429s),
 * `ml_connector.http.retries`, `ml_connector.http.retry_wait` (ms), `ml_connector.records` (by outcome) and the
 * `ml_connector.throttle.*` gauges. No header, body, token or query value is ever an attribute.
 */
export function createConnectorTelemetry(options: ConnectorTelemetryOptions = {}): ConnectorTelemetry {
  const tracer = options.tracer ?? trace.getTracer('@ml-connector');
  const meter = options.meter ?? metrics.getMeter('@ml-connector');
  const system = options.system ? { 'ml_connector.system': options.system } : {};
  const idHeaders = (options.requestIdHeaders ?? DEFAULT_REQUEST_ID_HEADERS).map((h) => h.toLowerCase());
  const requests = meter.createCounter('ml_connector.http.requests', { description: 'HTTP attempts sent' });
  const throttled = meter.createCounter('ml_connector.http.throttled', { description: 'Responses with status 429' });
  const retries = meter.createCounter('ml_connector.http.retries', { description: 'Retries by reason' });
  const retryWait = meter.createHistogram('ml_connector.http.retry_wait', { description: 'Wait before a retry (Retry-After or backoff)', unit: 'ms' });
  const records = meter.createCounter('ml_connector.records', { description: 'Records processed by outcome' });
  // Retry decisions waiting for the next attempt of the same call (bounded: a call that never retries leaves none).
  const pendingRetries = new Map<string, RetryEvent>();

  const wrapFetch = (inner: typeof fetch = globalThis.fetch): typeof fetch => {
    return async (input, init) => {
      const request = new Request(input, init);
      const requestId = idHeaders.map((h) => request.headers.get(h)).find((v) => v !== null) ?? undefined;
      const retry = requestId ? pendingRetries.get(requestId) : undefined;
      if (requestId) pendingRetries.delete(requestId);
      const url = new URL(request.url);
      const attributes: Attributes = {
        ...system,
        'http.request.method': request.method,
        'server.address': url.hostname,
        'url.full': redactUrl(`${url.origin}${url.pathname}`),
        ...(retry ? { 'ml_connector.attempt': retry.attempt + 1, 'ml_connector.retry.reason': retry.reason, 'ml_connector.retry.wait_ms': retry.delayMs } : { 'ml_connector.attempt': 1 }),
      };
      return tracer.startActiveSpan(`HTTP ${request.method}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
        try {
          const response = await inner(request);
          span.setAttribute('http.response.status_code', response.status);
          if (response.status >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
          requests.add(1, { ...system, 'http.request.method': request.method, 'http.response.status_code': response.status });
          if (response.status === 429) throttled.add(1, { ...system });
          return response;
        } catch (error) {
          const type = error instanceof Error ? error.name : 'Error';
          span.setAttribute('error.type', type);
          span.setStatus({ code: SpanStatusCode.ERROR });
          requests.add(1, { ...system, 'http.request.method': request.method, 'error.type': type });
          throw error;
        } finally {
          span.end();
        }
      });
    };
  };

  return {
    fetch: wrapFetch,
    onRetry(event) {
      if (pendingRetries.size > 10_000) pendingRetries.clear();
      pendingRetries.set(event.requestId, event);
      retries.add(1, { ...system, 'ml_connector.retry.reason': event.reason });
      retryWait.record(event.delayMs, { ...system, 'ml_connector.retry.reason': event.reason });
    },
    onEvent(event) {
      if (event.type !== 'record') return;
      const attributes: Attributes = {
        'ml_connector.flow': event.key.flow,
        'ml_connector.source.system': event.key.sourceSystem,
        'ml_connector.source.id': event.key.sourceId,
        'ml_connector.outcome': event.outcome,
        ...(event.reason ? { 'ml_connector.reason': event.reason } : {}),
        ...(event.targetId ? { 'ml_connector.target.id': event.targetId } : {}),
      };
      const span = tracer.startSpan(`record ${event.key.flow}`, { attributes });
      if (event.outcome === 'failed') span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      records.add(1, { 'ml_connector.flow': event.key.flow, 'ml_connector.outcome': event.outcome });
    },
    observeThrottle(states) {
      const gauges = {
        concurrency: meter.createObservableGauge('ml_connector.throttle.concurrency', { description: 'Concurrency limit in force per tenant' }),
        queued: meter.createObservableGauge('ml_connector.throttle.queued', { description: 'Requests waiting for a permit per tenant' }),
        paused: meter.createObservableGauge('ml_connector.throttle.paused', { description: '1 while a Retry-After pause holds the tenant' }),
      };
      meter.addBatchObservableCallback(
        (result) => {
          const now = Date.now();
          for (const [tenant, state] of Object.entries(states())) {
            if (!state) continue;
            const labels = { ...system, 'ml_connector.tenant': tenant };
            result.observe(gauges.concurrency, state.concurrency, labels);
            result.observe(gauges.queued, state.queued, labels);
            result.observe(gauges.paused, state.pausedUntil > now ? 1 : 0, labels);
          }
        },
        [gauges.concurrency, gauges.queued, gauges.paused],
      );
    },
  };
}
