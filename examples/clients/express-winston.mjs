// express-winston in Express 5 through @loglanes/winston: one line per request in http.log, 5xx in error.log.
// Run: node examples/clients/express-winston.mjs (LOG_DIR, PORT optional); stop with SIGTERM or SIGINT.
// test/clients/expressWinston.test.ts drives it with real requests and counts every request's lines.
import { endLogger, LanesTransport } from '@loglanes/winston'
import express from 'express'
import expressWinston from 'express-winston'
import winston from 'winston'

const logger = winston.createLogger({
  format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
  // With winston's npm levels a domain cannot be called 'http' (the level's file would be http.log too):
  // level files for error, warn and info only leave the name to the domain.
  transports: [
    new LanesTransport({
      dir: process.env.LOG_DIR ?? 'logs',
      domains: ['app', 'http'],
      levelFiles: { mode: 'exact', levels: ['error', 'warn', 'info'] },
    }),
  ],
})

const app = express()
app.use(
  expressWinston.logger({
    winstonInstance: logger.child({ domain: 'http' }),
    statusLevels: true, // 5xx at error (error.log), 4xx at warn, the rest at info
  }),
)
app.get('/ok', (_req, res) => {
  res.json({ ok: true })
})
app.get('/fail', () => {
  throw new Error('backend unavailable')
})
app.use((_err, _req, res, _next) => {
  res.status(500).json({ error: 'internal error' })
})

const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  logger.info('listening')
  console.log(`listening http://127.0.0.1:${server.address().port}`)
})

// Close the server (in-flight requests finish and log), then endLogger: it resolves once every line is on disk.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () =>
    server.close(async () => {
      await endLogger(logger)
      process.exit(0)
    }),
  )
}
