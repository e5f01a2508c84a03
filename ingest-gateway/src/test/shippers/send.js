// Sends log lines to a LogAi gateway through a real shipper client library, as an application
// would: the OpenTelemetry JS SDK's OTLP log exporters (protobuf and JSON), winston with
// winston-loki (Loki push, protobuf + snappy), and splunk-logging (Splunk HEC).
//
//   node send.js PROTOCOL GATEWAY_URL API_KEY LABEL COUNT
//     PROTOCOL: otlp-proto | otlp-json | loki | splunk
//     LABEL:    the service name / job / HEC source the lines carry (LogAi names the source after it)
//
// Prints "sent N" and exits 0 once the library reports the lines delivered; exits 1 on any error
// the library reports.
'use strict';

const [protocol, gateway, key, label, countText] = process.argv.slice(2);
const count = Number(countText);
if (!protocol || !gateway || !key || !label || !(count > 0)) {
  console.error('usage: node send.js otlp-proto|otlp-json|loki|splunk GATEWAY_URL API_KEY LABEL COUNT');
  process.exit(2);
}

function fail(error) {
  console.error(`${protocol}: ${error && error.stack ? error.stack : error}`);
  process.exit(1);
}

async function otlp(json) {
  const { LoggerProvider, BatchLogRecordProcessor } = require('@opentelemetry/sdk-logs');
  const { resourceFromAttributes } = require('@opentelemetry/resources');
  const { OTLPLogExporter } = json
    ? require('@opentelemetry/exporter-logs-otlp-http')
    : require('@opentelemetry/exporter-logs-otlp-proto');
  const exporter = new OTLPLogExporter({
    url: `${gateway}/v1/logs`,
    headers: { Authorization: `Bearer ${key}` },
  });
  // Fail loudly on an export the gateway refused (the SDK only logs it otherwise).
  let failure = null;
  const exportOnce = exporter.export.bind(exporter);
  exporter.export = (records, done) =>
    exportOnce(records, (result) => {
      if (result.code !== 0) failure = result.error || new Error('export failed');
      done(result);
    });
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': label, 'host.name': 'shipper-test' }),
    processors: [new BatchLogRecordProcessor({ exporter, maxExportBatchSize: 200, scheduledDelayMillis: 100 })],
  });
  const logger = provider.getLogger('logai-shipper-test');
  for (let i = 0; i < count; i++) {
    logger.emit({
      severityNumber: i % 10 === 0 ? 17 : 9,
      severityText: i % 10 === 0 ? 'ERROR' : 'INFO',
      body: `order ${i} processed in ${i % 97} ms`,
      attributes: { 'order.id': i },
    });
  }
  await provider.forceFlush();
  await provider.shutdown();
  if (failure) fail(failure);
}

async function loki() {
  const winston = require('winston');
  const LokiTransport = require('winston-loki');
  let failure = null;
  const transport = new LokiTransport({
    host: gateway,
    basicAuth: `loki:${key}`,
    labels: { job: label },
    json: false,
    batching: true,
    interval: 0.2,
    gracefulShutdown: false,
    onConnectionError: (e) => {
      failure = e;
    },
  });
  const logger = winston.createLogger({ transports: [transport] });
  for (let i = 0; i < count; i++) {
    logger.log({ level: i % 10 === 0 ? 'error' : 'info', message: `request ${i} served in ${i % 97} ms` });
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  await transport.flush();
  if (failure) fail(failure);
  transport.close();
}

async function splunk() {
  const SplunkLogger = require('splunk-logging').Logger;
  const logger = new SplunkLogger({ token: key, url: gateway, maxBatchCount: 100, maxRetries: 0 });
  let failure = null;
  logger.error = (e) => {
    failure = e;
  };
  await new Promise((resolve) => {
    for (let i = 0; i < count; i++) {
      logger.send({
        message: { message: `payment ${i} authorised`, level: i % 10 === 0 ? 'error' : 'info' },
        metadata: { source: label, sourcetype: '_json', host: 'shipper-test' },
      });
    }
    logger.flush(() => resolve());
  });
  if (failure) fail(failure);
}

const run = { 'otlp-proto': () => otlp(false), 'otlp-json': () => otlp(true), loki, splunk }[protocol];
if (!run) fail(`unknown protocol ${protocol}`);
run()
  .then(() => {
    console.log(`sent ${count}`);
    process.exit(0);
  })
  .catch(fail);
