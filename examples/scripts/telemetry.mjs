// Registers a small OpenTelemetry SDK that prints to stderr, for trying the examples' telemetry locally:
//   NODE_OPTIONS="--import ./examples/scripts/telemetry.mjs" pnpm example:bc-invoices --telemetry
// One line per finished span; the metrics' sums when the process ends. For a real backend register your own SDK
// (OTLP exporter) the same way; the examples only use `@opentelemetry/api`.
import { metrics, trace } from '@opentelemetry/api';
import { AggregationTemporality, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

const SUCCESS = { code: 0 };

/** One line per span: name, duration, attributes. */
const spanExporter = {
  export(spans, done) {
    for (const span of spans) {
      const ms = span.duration[0] * 1e3 + span.duration[1] / 1e6;
      process.stderr.write(`otel span ${span.name} ${ms.toFixed(1)}ms ${JSON.stringify(span.attributes)}\n`);
    }
    done(SUCCESS);
  },
  shutdown: async () => {},
};

/** Each metric point: name, attributes, value (sums and gauges; histograms by count and sum). */
const metricExporter = {
  export(resourceMetrics, done) {
    for (const scope of resourceMetrics.scopeMetrics) {
      for (const metric of scope.metrics) {
        for (const point of metric.dataPoints) {
          const value = typeof point.value === 'number' ? point.value : `count ${point.value.count}, sum ${point.value.sum}`;
          process.stderr.write(`otel metric ${metric.descriptor.name} ${JSON.stringify(point.attributes)} ${value}\n`);
        }
      }
    }
    done(SUCCESS);
  },
  selectAggregationTemporality: () => AggregationTemporality.CUMULATIVE,
  forceFlush: async () => {},
  shutdown: async () => {},
};

const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] });
const meterProvider = new MeterProvider({ readers: [new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 })] });
trace.setGlobalTracerProvider(tracerProvider);
metrics.setGlobalMeterProvider(meterProvider);
// The metrics are printed once, when the example is done.
process.once('beforeExit', () => void meterProvider.shutdown());
