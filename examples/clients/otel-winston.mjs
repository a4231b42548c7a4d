// OpenTelemetry's winston instrumentation with @loglanes/winston: every record logged inside a request's span
// carries its trace_id and span_id, in whichever lane it lands (http.log, db.log, error.log).
// Run: node examples/clients/otel-winston.mjs (LOG_DIR, PORT optional); stop with SIGTERM or SIGINT.
// test/clients/otelWinston.test.ts drives it with real requests carrying a traceparent and checks every line.
import { register } from 'node:module'
import { registerInstrumentations } from '@opentelemetry/instrumentation'
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http'
import { WinstonInstrumentation } from '@opentelemetry/instrumentation-winston'
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node'

// Instrumentations patch modules as they are loaded: in ESM through OpenTelemetry's loader hook, registered
// before winston and node:http are imported, hence the dynamic imports below (in a real service this block is
// a file of its own, loaded first with node --import).
register('@opentelemetry/instrumentation/hook.mjs', import.meta.url)
new NodeTracerProvider().register() // add a span processor with an exporter to send the spans somewhere
registerInstrumentations({ instrumentations: [new HttpInstrumentation(), new WinstonInstrumentation()] })
const { default: http } = await import('node:http')
const { default: winston } = await import('winston')
const { LanesTransport, endLogger } = await import('@loglanes/winston')

const logger = winston.createLogger({
  format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
  transports: [
    new LanesTransport({
      dir: process.env.LOG_DIR ?? 'logs',
      domains: ['app', 'http', 'db'],
      // With winston's npm levels, listing the level files frees the name http for the domain.
      levelFiles: { mode: 'exact', levels: ['error', 'warn', 'info'] },
    }),
  ],
})
const httpLog = logger.child({ domain: 'http' })
const dbLog = logger.child({ domain: 'db' })

const server = http.createServer((req, res) => {
  const reqId = req.headers['x-request-id']
  dbLog.info('query', { reqId }) // inside the request's span: trace_id and span_id are added
  if (req.url.startsWith('/fail')) {
    httpLog.error('request failed', { reqId, error: 'backend unavailable' })
    res.statusCode = 500
  } else {
    httpLog.info('request ok', { reqId })
  }
  res.end()
})
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  logger.info('listening')
  console.log(`listening http://127.0.0.1:${server.address().port}`)
})

// Close the server, then endLogger: it resolves once every line is on disk.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () =>
    server.close(async () => {
      await endLogger(logger)
      process.exit(0)
    }),
  )
}
