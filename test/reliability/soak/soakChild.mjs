// Child process of a soak: node soakChild.mjs <entry> <seconds> <dir>
// Logs as fast as the machine sustains for `seconds` through `@loglanes/pino` (entry 'pino') or
// `@loglanes/winston` ('winston'), samples its RSS, ends the logger the documented way and prints one JSON line:
// { sent, seconds, peakRssMb, rssMb: [first-half peak, second-half peak] }.
// Records rotate over 3 domains and 4 levels; each carries its sequence number `seq`.
import { endLogger, LanesTransport } from '@loglanes/winston'
import pino from 'pino'
import winston from 'winston'

const [entry, secondsText, dir] = process.argv.slice(2)
const seconds = Number(secondsText)
const DOMAINS = ['app', 'db', 'api']
const LEVELS = ['debug', 'info', 'warn', 'error']
const options = { dir, domains: DOMAINS, levelFiles: 'exact', interval: '1m', timezone: 'UTC' }
const BATCH = 2_000

const samples = []
const sampler = setInterval(() => samples.push({ at: Date.now(), rss: process.memoryUsage.rss() }), 100)
const started = Date.now()
const deadline = started + seconds * 1_000
let sent = 0

if (entry === 'pino') {
  const logger = pino({ level: 'debug', transport: { target: '@loglanes/pino', options } })
  const children = DOMAINS.map((domain) => logger.child({ domain }))
  const flush = () =>
    new Promise((resolve, reject) => logger.flush((error) => (error ? reject(error) : resolve())))
  // Closed loop: at most two batches in flight, so the rate is what the worker sustains, not what the shared
  // buffer can hold.
  let inFlight = Promise.resolve()
  while (Date.now() < deadline) {
    for (let i = 0; i < BATCH; i++, sent++) {
      children[sent % 3][LEVELS[sent % 4]]({ seq: sent, path: '/api/items', user: 'u-1234' }, 'soak record')
    }
    const previous = inFlight
    inFlight = flush()
    await previous
  }
  await inFlight
  const stream = logger[pino.symbols.streamSym]
  await new Promise((resolve) => {
    stream.once('close', resolve)
    stream.end()
  })
} else {
  const logger = winston.createLogger({ level: 'debug', transports: [new LanesTransport(options)] })
  while (Date.now() < deadline) {
    for (let i = 0; i < BATCH; i++, sent++) {
      logger.log(LEVELS[sent % 4], 'soak record', {
        domain: DOMAINS[sent % 3],
        seq: sent,
        path: '/api/items',
        user: 'u-1234',
      })
    }
    // Let the transport's batch write run, as a service's event loop would.
    await new Promise((resolve) => setImmediate(resolve))
  }
  await endLogger(logger)
}

clearInterval(sampler)
const elapsed = (Date.now() - started) / 1_000
const half = started + (Date.now() - started) / 2
const peak = (list) => Math.max(0, ...list.map((sample) => sample.rss)) / 2 ** 20
process.stdout.write(
  `${JSON.stringify({
    sent,
    seconds: elapsed,
    peakRssMb: peak(samples),
    rssMb: [peak(samples.filter((s) => s.at < half)), peak(samples.filter((s) => s.at >= half))],
  })}\n`,
)
