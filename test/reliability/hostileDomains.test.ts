// Hostile input: domain values from untrusted data never make a file of their own, nor one outside `dir`, nor
// crash anything; each record goes to the default domain's lane with its line unchanged (DESIGN.md, the lane model).
import { join } from 'node:path'
import { LaneRouter, resolveOptions } from '@loglanes/core'
import { endLogger as endWinston, LanesTransport } from '@loglanes/winston'
import { createLanes, UnknownDomainError } from 'loglanes'
import pino from 'pino'
import { describe, expect, it } from 'vitest'
import winston from 'winston'
import { lineCounts, readLines, tempDir } from '../support/files.js'
import { endLogger, timedLogger } from '../support/pinoLogger.js'
import { expectConfined, HOSTILE_DOMAIN_STRINGS, HOSTILE_DOMAINS } from './confinement.js'

const T0 = Date.UTC(2026, 10, 20, 13, 30)
const DAY = '2026-11-20'
const DOMAINS = ['app', 'pay']

interface Line {
  readonly n: number
  readonly domain?: unknown
  readonly area?: unknown
}

/** The records of a lane file, by their `n`. */
function records(path: string): Line[] {
  return readLines(path).map((line) => JSON.parse(line) as Line)
}

describe('hostile domain values', () => {
  it('pino transport: every record goes to the default domain with its domain value unchanged, no other file', async () => {
    const root = tempDir()
    const dir = join(root, 'logs')
    const logger = timedLogger(
      { transport: { target: '@loglanes/pino', options: { dir, domains: DOMAINS, timezone: 'UTC' } } },
      () => T0,
    )
    const stream = (logger as unknown as Record<symbol, NodeJS.EventEmitter>)[pino.symbols.streamSym]!
    const errors: unknown[] = []
    stream.on('error', (error) => errors.push(error))
    let n = 0
    // As a child binding and as a field of one call: both are how an app passes untrusted data.
    for (const domain of HOSTILE_DOMAINS) logger.child({ domain }).warn({ n: n++ }, 'hostile')
    for (const domain of HOSTILE_DOMAINS) logger.warn({ domain, n: n++ }, 'hostile')
    logger.child({ domain: 'pay' }).error({ n: n++ }, 'declared')
    await endLogger(logger)

    expect(errors).toEqual([])
    expectHostileInDefaultDomain(root, dir)
  })

  it('pino transport with a custom domainKey: the same, for a hostile value under that key', async () => {
    const root = tempDir()
    const dir = join(root, 'logs')
    const options = { dir, domains: DOMAINS, timezone: 'UTC', domainKey: 'area', levelFiles: false as const }
    const logger = timedLogger({ transport: { target: '@loglanes/pino', options } }, () => T0)
    let n = 0
    for (const area of HOSTILE_DOMAINS) logger.info({ area, n: n++ }, 'hostile')
    await endLogger(logger)
    expect(lineCounts(dir)).toEqual({ [`${DAY}/app.log`]: HOSTILE_DOMAINS.length })
    expect(records(join(dir, DAY, 'app.log')).map((r) => r.area)).toEqual(HOSTILE_DOMAINS)
    expectConfined(root, dir)
  })

  it('winston transport: every record goes to the default domain with its domain value unchanged, no other file', async () => {
    const root = tempDir()
    const dir = join(root, 'logs')
    const transport = new LanesTransport({ dir, domains: DOMAINS, timezone: 'UTC' })
    const logger = winston.createLogger({
      format: winston.format.combine(
        winston.format.timestamp({ format: () => new Date(T0).toISOString() }),
        winston.format.json(),
      ),
      transports: [transport],
    })
    const errors: unknown[] = []
    logger.on('error', (error) => errors.push(error))
    let n = 0
    for (const domain of HOSTILE_DOMAINS) logger.child({ domain }).warn('hostile', { n: n++ })
    for (const domain of HOSTILE_DOMAINS) logger.warn('hostile', { domain, n: n++ })
    logger.child({ domain: 'pay' }).error('declared', { n: n++ })
    await endWinston(logger)

    expect(errors).toEqual([])
    expectHostileInDefaultDomain(root, dir)
  })

  it('core router: values JSON cannot carry (symbols, functions, boxed strings, proxies) go to the default domain', async () => {
    const root = tempDir()
    const dir = join(root, 'logs')
    const router = new LaneRouter(
      resolveOptions({ dir, domains: DOMAINS, timezone: 'UTC', levelFiles: false }, { levels: { info: 30 } }),
      { stderr: false },
    )
    const odd: unknown[] = [
      Symbol('pay'),
      () => 'pay',
      new String('pay'),
      new Proxy({}, { get: () => 'pay' }),
      {
        toString() {
          throw new Error('no')
        },
      },
      undefined,
      ...HOSTILE_DOMAIN_STRINGS,
    ]
    for (const [n, domain] of odd.entries()) router.route(T0, 'info', domain, `{"n":${n}}\n`)
    await router.close()
    expect(lineCounts(dir)).toEqual({ [`${DAY}/app.log`]: odd.length })
    expectConfined(root, dir)
  })

  for (const backend of ['pino', 'winston'] as const) {
    it(`facade (${backend}): get() throws UnknownDomainError for every hostile name, and a domain field never moves a line`, async () => {
      const root = tempDir()
      const dir = join(root, 'logs')
      const log = createLanes({ dir, domains: ['app', 'pay'], backend, timezone: 'UTC', interval: 'none' })
      let thrown = 0
      for (const name of HOSTILE_DOMAINS) {
        expect(() => log.get(name as 'app')).toThrow(UnknownDomainError)
        thrown++
      }
      let n = 0
      for (const domain of HOSTILE_DOMAINS) log.app.warn({ domain, n: n++ }, 'hostile')
      for (const domain of HOSTILE_DOMAINS) log.pay.child({ domain }).warn({ n: n++ }, 'hostile child')
      await log.shutdown()

      expect(thrown).toBe(HOSTILE_DOMAINS.length)
      const count = HOSTILE_DOMAINS.length
      expect(lineCounts(dir)).toEqual({ 'app.log': count, 'pay.log': count, 'warn.log': 2 * count })
      // The facade drops a field named like domainKey: the line carries its logger's domain.
      expect(records(join(dir, 'app.log')).map((r) => [r.n, r.domain])).toEqual(
        HOSTILE_DOMAINS.map((_, i) => [i, 'app']),
      )
      expect(records(join(dir, 'pay.log')).map((r) => [r.n, r.domain])).toEqual(
        HOSTILE_DOMAINS.map((_, i) => [count + i, 'pay']),
      )
      expectConfined(root, dir)
    })
  }
})

/** Each hostile value sent as a child binding, then as a field: all in the default domain, unchanged, in order. */
function expectHostileInDefaultDomain(root: string, dir: string): void {
  const sent = 2 * HOSTILE_DOMAINS.length
  expect(lineCounts(dir)).toEqual({
    [`${DAY}/app.log`]: sent,
    [`${DAY}/warn.log`]: sent,
    [`${DAY}/pay.log`]: 1,
    [`${DAY}/error.log`]: 1,
  })
  const found = records(join(dir, DAY, 'app.log'))
  expect(found.map((r) => r.n)).toEqual([...Array(sent).keys()])
  expect(found.map((r) => r.domain)).toEqual([...HOSTILE_DOMAINS, ...HOSTILE_DOMAINS])
  expectConfined(root, dir)
}
