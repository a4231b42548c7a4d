// pino-http in Express 5 through @loglanes/pino: one line per request in http.log, and 5xx in error.log too.
// Run: node examples/clients/pino-http.mjs (LOG_DIR, PORT optional); stop with SIGTERM or SIGINT.
// test/clients/pinoHttp.test.ts drives it with real requests and counts every request's lines.
import { randomUUID } from 'node:crypto'
import express from 'express'
import pino from 'pino'
import { pinoHttp } from 'pino-http'

const transport = pino.transport({
  target: '@loglanes/pino',
  options: { dir: process.env.LOG_DIR ?? 'logs', domains: ['app', 'http'] },
})
transport.on('error', (err) => console.error('log transport failed:', err.message))
const logger = pino(transport)

const app = express()
app.use(
  pinoHttp({
    logger: logger.child({ domain: 'http' }),
    genReqId: (req) => req.headers['x-request-id'] ?? randomUUID(),
    // pino-http logs every response at info by default: give 5xx (and errors) the error level, so they reach
    // error.log, and 4xx warn.
    customLogLevel: (_req, res, err) =>
      err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
  }),
)
app.get('/ok', (_req, res) => {
  res.json({ ok: true })
})
app.get('/fail', () => {
  throw new Error('backend unavailable')
})
// Hand the error to pino-http (res.err: its line says 'request errored' and carries the err) instead of
// Express's default handler, which prints the stack on stderr.
app.use((err, _req, res, _next) => {
  res.err = err
  res.status(500).json({ error: 'internal error' })
})

const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  logger.info('listening')
  console.log(`listening http://127.0.0.1:${server.address().port}`)
})

// Close the server (in-flight requests finish and log), then exit: pino's exit hook ends the transport and
// its worker writes every line it received before the process is gone.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => server.close(() => process.exit(0)))
}
