// Fastify 5 logging through @loglanes/pino: request logs in http.log, the server's own in app.log, 5xx in error.log.
// Run: node examples/clients/fastify.mjs (LOG_DIR, PORT optional); stop with SIGTERM or SIGINT.
// test/clients/fastify.test.ts drives it with real requests and counts every request's lines.
import Fastify from 'fastify'
import pino from 'pino'

// The transport made here, not by Fastify, so the app decides what a transport error does (a bad option,
// a failed worker): without a listener it would crash the process.
const transport = pino.transport({
  target: '@loglanes/pino',
  options: { dir: process.env.LOG_DIR ?? 'logs', domains: ['app', 'http'] },
})
transport.on('error', (err) => console.error('log transport failed:', err.message))

const app = Fastify({
  loggerInstance: pino(transport),
  requestIdHeader: 'x-request-id',
  // Every request's logger (Fastify's own lines and request.log in handlers) writes to the http lane.
  childLoggerFactory: (logger, bindings, opts) => logger.child({ ...bindings, domain: 'http' }, opts),
})

app.get('/ok', async () => ({ ok: true }))
app.get('/fail', async () => {
  throw new Error('backend unavailable')
})

await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) })
console.log(`listening http://127.0.0.1:${app.server.address().port}`)

// Close the server (in-flight requests finish and log), then exit: pino's exit hook ends the transport and
// its worker writes every line it received before the process is gone.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, async () => {
    await app.close()
    process.exit(0)
  })
}
