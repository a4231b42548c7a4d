// NestJS 11 with nest-winston through @loglanes/winston: Nest's log context is the lane (domainKey: 'context'),
// so the request lines of context 'http' land in http.log, Nest's own in app.log, and 5xx in error.log.
// Plain JavaScript without decorator syntax: Reflect.decorate applies Nest's decorators.
// Run: node examples/clients/nestjs.mjs (LOG_DIR, PORT optional); stop with SIGTERM or SIGINT.
// test/clients/nestjs.test.ts drives it with real requests and counts every request's lines.
import 'reflect-metadata'
import { endLogger, LanesTransport } from '@loglanes/winston'
import { Controller, Get, Logger, Module } from '@nestjs/common'
import { NestFactory } from '@nestjs/core'
import { WinstonModule } from 'nest-winston'
import winston from 'winston'

const logger = winston.createLogger({
  format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
  transports: [
    new LanesTransport({
      dir: process.env.LOG_DIR ?? 'logs',
      domains: ['app', 'http'],
      // Nest's contexts ('NestFactory', 'RoutesResolver', ...) not declared above go to the first domain, app.
      domainKey: 'context',
      // With winston's npm levels, listing the level files frees the name http for the domain.
      levelFiles: { mode: 'exact', levels: ['error', 'warn', 'info'] },
    }),
  ],
})

class AppController {
  ok() {
    return { ok: true }
  }
  fail() {
    throw new Error('backend unavailable')
  }
}
Reflect.decorate([Controller()], AppController)
for (const [method, path] of [
  ['ok', 'ok'],
  ['fail', 'fail'],
]) {
  const descriptor = Object.getOwnPropertyDescriptor(AppController.prototype, method)
  Reflect.decorate([Get(path)], AppController.prototype, method, descriptor)
}
class AppModule {}
Reflect.decorate([Module({ controllers: [AppController] })], AppModule)

const app = await NestFactory.create(AppModule, { logger: WinstonModule.createLogger({ instance: logger }) })
// One line per request in context 'http', at error level for a 5xx.
const httpLog = new Logger('http')
app.use((req, res, next) => {
  res.on('finish', () => {
    const level = res.statusCode >= 500 ? 'error' : 'info'
    const { method, originalUrl: url } = req
    httpLog.log({ level, message: `${method} ${url} ${res.statusCode}`, reqId: req.headers['x-request-id'] })
  })
  next()
})
await app.listen(Number(process.env.PORT ?? 0), '127.0.0.1')
console.log(`listening http://127.0.0.1:${app.getHttpServer().address().port}`)

// Close the app (in-flight requests finish and log), then endLogger: it resolves once every line is on disk.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, async () => {
    await app.close()
    await endLogger(logger)
    process.exit(0)
  })
}
