// OpenTelemetry's pino instrumentation with @loglanes/pino: every line logged inside a request's span carries
// its trace_id and span_id, in whichever lane it lands (http.log, db.log, error.log).
// Run: node examples/clients/otel-pino.mjs (LOG_DIR, PORT optional); stop with SIGTERM or SIGINT.
// test/clients/otelPino.test.ts drives it with real requests carrying a traceparent and checks every line.
import { register } from 'node:module'
import { registerInstrumentations } from '@opentelemetry/instrumentation'
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http'
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino'
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node'

// Instrumentations patch modules as they are loaded: in ESM through OpenTelemetry's loader hook, registered
// before pino and node:http are imported, hence the dynamic imports below (in a real service this block is a
// file of its own, loaded first with node --import).
register('@opentelemetry/instrumentation/hook.mjs', import.meta.url)
new NodeTracerProvider().register() // add a span processor with an exporter to send the spans somewhere
registerInstrumentations({ instrumentations: [new HttpInstrumentation(), new PinoInstrumentation()] })
const { default: http } = await import('node:http')
const { default: pino } = await import('pino')

const transport = pino.transport({
  target: '@loglanes/pino',
  options: { dir: process.env.LOG_DIR ?? 'logs', domains: ['app', 'http', 'db'] },
})
transport.on('error', (err) => console.error('log transport failed:', err.message))
// The instrumentation wraps the logger's stream to send records to OpenTelemetry's Logs API too, and that
// wrapper has no flush(cb): logger.flush(cb) calls back at once. Flush `transport` to wait for the files.
const logger = pino(transport)
const httpLog = logger.child({ domain: 'http' })
const dbLog = logger.child({ domain: 'db' })

const server = http.createServer((req, res) => {
  const reqId = req.headers['x-request-id']
  dbLog.info({ reqId }, 'query') // inside the request's span: trace_id and span_id are added
  if (req.url.startsWith('/fail')) {
    httpLog.error({ reqId, err: new Error('backend unavailable') }, 'request failed')
    res.statusCode = 500
  } else {
    httpLog.info({ reqId }, 'request ok')
  }
  res.end()
})
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  logger.info('listening')
  console.log(`listening http://127.0.0.1:${server.address().port}`)
})

// Close the server, flush the transport (every line in its file), then exit.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => server.close(() => transport.flush(() => process.exit(0))))
}
