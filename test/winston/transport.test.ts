import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { endLogger, LanesConfigError, LanesTransport } from '@loglanes/winston'
import { describe, expect, it } from 'vitest'
import winston from 'winston'
import { lineCounts, listFiles, readLines, tempDir } from '../support/files.js'

const { format } = winston
const DAY = '2026-11-20'
const T = '2026-11-20T13:30:00.000Z'
/** A timestamp() format pinned to one instant, so folders are predictable. */
const fixedTime = format.timestamp({ format: () => T })

function lanes(dir: string, options: ConstructorParameters<typeof LanesTransport>[0] = {}) {
  return new LanesTransport({ dir, timezone: 'UTC', domains: ['app', 'db', 'web'], ...options })
}

describe('LanesTransport', () => {
  it('routes child loggers and per-call metadata by domain and level, with npm levels', async () => {
    const dir = tempDir()
    const logger = winston.createLogger({
      level: 'silly',
      format: format.combine(fixedTime, format.json()),
      transports: [lanes(dir)],
    })
    logger.child({ domain: 'db' }).error('connection lost', { code: 'ECONNRESET' })
    logger.info('request', { domain: 'web', path: '/items' })
    logger.child({ domain: 'db' }).info('override', { domain: 'web' })
    logger.http('GET /items')
    logger.silly('very chatty', { domain: 'nope' })
    await endLogger(logger)
    expect(lineCounts(dir)).toEqual({
      [`${DAY}/app.log`]: 2,
      [`${DAY}/db.log`]: 1,
      [`${DAY}/web.log`]: 2,
      [`${DAY}/error.log`]: 1,
      [`${DAY}/info.log`]: 2,
      [`${DAY}/http.log`]: 1,
      [`${DAY}/silly.log`]: 1,
    })
    // The user's json() line is written as winston rendered it.
    expect(JSON.parse(readLines(join(dir, `${DAY}/db.log`))[0]!)).toEqual({
      level: 'error',
      message: 'connection lost',
      domain: 'db',
      code: 'ECONNRESET',
      timestamp: T,
    })
  })

  it('takes levels and their order from a syslog logger, in threshold mode', async () => {
    const dir = tempDir()
    const logger = winston.createLogger({
      levels: winston.config.syslog.levels,
      level: 'debug',
      format: format.combine(fixedTime, format.json()),
      transports: [lanes(dir, { levelFiles: 'threshold', domains: ['app'] })],
    })
    logger.crit('disk failing')
    logger.notice('rotated')
    await endLogger(logger)
    // crit (2) is at or above crit, error, warning, notice, info, debug; notice (5) at or above notice, info, debug.
    expect(lineCounts(dir)).toEqual({
      [`${DAY}/app.log`]: 2,
      [`${DAY}/crit.log`]: 1,
      [`${DAY}/error.log`]: 1,
      [`${DAY}/warning.log`]: 1,
      [`${DAY}/notice.log`]: 2,
      [`${DAY}/info.log`]: 2,
      [`${DAY}/debug.log`]: 2,
    })
  })

  it('names files after custom levels', async () => {
    const dir = tempDir()
    const logger = winston.createLogger({
      levels: { fatal: 0, error: 1, audit: 2, info: 3 },
      level: 'info',
      format: format.combine(fixedTime, format.json()),
      transports: [lanes(dir)],
    }) as winston.Logger & Record<'audit' | 'fatal', winston.LeveledLogMethod>
    logger.audit('user 7 changed a setting')
    logger.fatal('out of memory')
    await endLogger(logger)
    expect(lineCounts(dir)).toEqual({
      [`${DAY}/app.log`]: 2,
      [`${DAY}/audit.log`]: 1,
      [`${DAY}/fatal.log`]: 1,
    })
  })

  it('rejects, from createLogger, a domain that clashes with one of the logger levels', () => {
    const dir = tempDir()
    // npm levels include http: a domain of that name would share http.log with the level.
    expect(() => winston.createLogger({ transports: [lanes(dir, { domains: ['app', 'http'] })] })).toThrow(
      `clashes with level "http"`,
    )
    // With levels that have no http, the domain is fine.
    expect(() =>
      winston.createLogger({
        levels: { error: 0, info: 1 },
        transports: [lanes(dir, { domains: ['app', 'http'] })],
      }),
    ).not.toThrow()
    expect(() =>
      winston.createLogger({
        levels: winston.config.syslog.levels,
        transports: [lanes(dir, { domains: ['app', 'notice'] })],
      }),
    ).toThrow(LanesConfigError)
    expect(() => new LanesTransport({ dir, interval: '7m' })).toThrow(
      `loglanes: option "interval" must divide a day evenly (1m…24h) or be 'none'; got '7m'`,
    )
    expect(listFiles(dir)).toEqual([])
  })

  it('routes on the level winston keeps aside, so colorize() changes nothing and files carry no color codes', async () => {
    const dir = tempDir()
    const logger = winston.createLogger({
      level: 'debug',
      format: format.combine(fixedTime, format.colorize({ all: true }), format.json()),
      transports: [
        lanes(dir),
        lanes(join(dir, 'printf'), { format: format.printf((i) => `${i.level} ${i.message}`) }),
      ],
    })
    logger.warn('low disk', { domain: 'db' })
    logger.debug('cache miss')
    await endLogger(logger)
    expect(lineCounts(dir)).toEqual({
      [`${DAY}/app.log`]: 1,
      [`${DAY}/db.log`]: 1,
      [`${DAY}/debug.log`]: 1,
      [`${DAY}/warn.log`]: 1,
      [`printf/${DAY}/app.log`]: 1,
      [`printf/${DAY}/db.log`]: 1,
      [`printf/${DAY}/debug.log`]: 1,
      [`printf/${DAY}/warn.log`]: 1,
    })
    for (const file of listFiles(dir)) {
      const text = readFileSync(join(dir, file), 'utf8')
      expect(text.includes('\u001b') || text.includes('\\u001b')).toBe(false)
    }
    expect(JSON.parse(readLines(join(dir, `${DAY}/db.log`))[0]!)).toMatchObject({
      level: 'warn',
      message: 'low disk',
    })
    expect(readLines(join(dir, `printf/${DAY}/db.log`))).toEqual(['warn low disk'])
  })

  it("respects a user's printf() format as the whole line", async () => {
    const dir = tempDir()
    const logger = winston.createLogger({
      format: format.combine(
        fixedTime,
        format.printf((i) => `${i.timestamp} [${String(i.domain ?? '-')}] ${i.level}: ${i.message}`),
      ),
      transports: [lanes(dir, { levelFiles: false })],
    })
    logger.child({ domain: 'db' }).info('connected')
    await endLogger(logger)
    expect(readLines(join(dir, `${DAY}/db.log`))).toEqual([`${T} [db] info: connected`])
  })

  it('serialises info itself when no format finalized it: circular references, BigInt, errors, no symbols', async () => {
    const dir = tempDir()
    // A non-finalizing format: info[MESSAGE] is never set.
    const logger = winston.createLogger({
      format: fixedTime,
      transports: [lanes(dir, { levelFiles: false })],
    })
    const circular: Record<string, unknown> = { name: 'loop' }
    circular.self = circular
    logger.error('bad state', {
      circular,
      big: 12345678901234567890n,
      [Symbol('hidden')]: 1,
      cause: new Error('inner'),
    })
    await endLogger(logger)
    const record = JSON.parse(readLines(join(dir, `${DAY}/app.log`))[0]!)
    expect(record).toMatchObject({
      level: 'error',
      message: 'bad state',
      circular: { name: 'loop', self: '[Circular]' },
      big: '12345678901234567890',
      cause: { type: 'Error', message: 'inner' },
      timestamp: T,
    })
    expect(record.cause.stack).toContain('Error: inner')
  })

  it('folders records by info.timestamp, else by now', async () => {
    const dir = tempDir()
    const stamps = ['2026-11-20T13:59:59.999Z', '2026-11-20T14:00:00.000Z']
    let i = 0
    const logger = winston.createLogger({
      format: format.combine(format.timestamp({ format: () => stamps[i++ % 2]! }), format.json()),
      transports: [lanes(dir, { interval: '1h', levelFiles: false })],
    })
    logger.info('last of 13h')
    logger.info('first of 14h')
    await endLogger(logger)
    expect(lineCounts(dir)).toEqual({ '2026-11-20__13-00/app.log': 1, '2026-11-20__14-00/app.log': 1 })

    const now = tempDir()
    const plain = winston.createLogger({ transports: [lanes(now, { interval: 'none', levelFiles: false })] })
    plain.info('no timestamp format')
    await endLogger(plain)
    expect(listFiles(now)).toEqual(['app.log'])
  })

  it("files a record whose timestamp is a number (the app's data, not the format's) under now, reported once", async () => {
    const dir = tempDir()
    const logger = winston.createLogger({
      format: format.combine(format.timestamp(), format.json()),
      transports: [lanes(dir, { interval: '1h', levelFiles: false, retention: { maxAge: '7d' } })],
    })
    const reports: string[] = []
    logger.on('warn', (error: Error) => reports.push(error.message))
    const write = process.stderr.write
    process.stderr.write = () => true
    try {
      // An API's epoch seconds: as milliseconds, 1970, which retention would delete at once.
      for (let i = 0; i < 1000; i++) logger.info('order received', { timestamp: 1_764_000_000 + i })
      await endLogger(logger)
    } finally {
      process.stderr.write = write
    }
    const now = new Date()
    const hour = `${now.toISOString().slice(0, 10)}__${String(now.getUTCHours()).padStart(2, '0')}-00`
    const counts = lineCounts(dir)
    // The hour may have turned while logging: every record is in a folder of now, none in 1970.
    expect(Object.keys(counts).every((file) => !file.startsWith('1970'))).toBe(true)
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(1000)
    expect(Object.keys(counts)).toContain(`${hour}/app.log`)
    expect(JSON.parse(readLines(join(dir, `${hour}/app.log`))[0]!).timestamp).toBe(1_764_000_000)
    expect(reports).toHaveLength(1)
    expect(reports[0]).toMatch(/timestamp is a number \(1764000000\)/)
  })

  it('renders the text format through core, with the error stack on continuation lines', async () => {
    const dir = tempDir()
    const logger = winston.createLogger({
      format: format.combine(fixedTime, format.errors({ stack: true })),
      transports: [lanes(dir, { format: 'text', levelFiles: false, timestampFormat: '%H:%M:%S' })],
    })
    const err = new Error('timeout')
    err.stack = 'Error: timeout\n    at connect (db.js:1:1)'
    logger.child({ domain: 'db' }).error(err)
    logger.info('line\nbreak', { reqId: 7 })
    await endLogger(logger)
    expect(readFileSync(join(dir, `${DAY}/db.log`), 'utf8')).toBe(
      '13:30:00 ERROR [db] timeout\n    Error: timeout\n        at connect (db.js:1:1)\n',
    )
    expect(readFileSync(join(dir, `${DAY}/app.log`), 'utf8')).toBe(
      '13:30:00 INFO [app] line\\nbreak {"reqId":7}\n',
    )
  })

  it('endLogger ends a logger mixing LanesTransport with a File transport, every line in both', async () => {
    const dir = tempDir()
    const file = join(dir, 'all.log')
    const logger = winston.createLogger({
      level: 'debug',
      format: format.combine(fixedTime, format.json()),
      transports: [
        new winston.transports.File({ filename: file }),
        lanes(join(dir, 'lanes'), { levelFiles: false }),
      ],
    })
    for (let n = 0; n < 5000; n++) logger.info('record', { n, domain: n % 2 ? 'db' : 'app' })
    await endLogger(logger)
    await endLogger(logger) // idempotent
    expect(readLines(file)).toHaveLength(5000)
    expect(lineCounts(join(dir, 'lanes'))).toEqual({ [`${DAY}/app.log`]: 2500, [`${DAY}/db.log`]: 2500 })
  })
})

describe('LanesTransport: levels come from the logger (mirrors, levelFiles lists)', () => {
  it('mirrors to and from level lanes work, as on pino: error -> alerts, db -> error', async () => {
    const dir = tempDir()
    const transport = lanes(dir, {
      interval: 'none',
      lanes: ['alerts'],
      mirrors: { error: ['alerts'], db: ['error'] },
    })
    const logger = winston.createLogger({ level: 'debug', transports: [transport] })
    for (let n = 0; n < 300; n++)
      logger.child({ domain: ['app', 'db', 'web'][n % 3] })[n % 2 ? 'error' : 'info']('r', { n })
    await endLogger(logger)
    // error: 150 records; db: 100 records, 50 of them errors (each written once to error.log).
    expect(lineCounts(dir)).toEqual({
      'app.log': 100,
      'db.log': 100,
      'web.log': 100,
      'error.log': 200,
      'info.log': 150,
      'alerts.log': 150,
    })
  })

  it("mirrors name the logger's own levels (syslog crit), and a name that is no level fails createLogger", () => {
    const dir = tempDir()
    const mirrors = { crit: ['app'] }
    expect(() =>
      winston.createLogger({
        levels: winston.config.syslog.levels,
        transports: [lanes(dir, { interval: 'none', mirrors })],
      }),
    ).not.toThrow()
    // Constructed fine (crit may be a level of the logger it will get); npm levels have no crit.
    const transport = lanes(dir, { interval: 'none', mirrors })
    expect(() => winston.createLogger({ transports: [transport] })).toThrow(
      `loglanes: option "mirrors.crit" must be keyed by a domain or level lane (app, db, web, error, warn, info, http, verbose, debug, silly); got 'crit'`,
    )
    // What can never be a level fails at construction.
    expect(() => lanes(dir, { lanes: ['alerts'], mirrors: { alerts: ['app'] } })).toThrow(LanesConfigError)
    expect(listFiles(dir)).toEqual([])
  })

  it("an http domain beside npm levels, with levelFiles: { mode: 'exact', levels: ['error', 'warn', 'info'] }", async () => {
    const dir = tempDir()
    const levelFiles = { mode: 'exact', levels: ['error', 'warn', 'info'] } as const
    const transport = lanes(dir, { interval: 'none', domains: ['app', 'http'], levelFiles })
    const logger = winston.createLogger({ level: 'silly', transports: [transport] })
    const levels = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] as const
    for (let n = 0; n < 700; n++) logger.child({ domain: n % 2 ? 'http' : 'app' })[levels[n % 7]!]('r', { n })
    await endLogger(logger)
    expect(lineCounts(dir)).toEqual({
      'app.log': 350,
      'http.log': 350,
      'error.log': 100,
      'warn.log': 100,
      'info.log': 100,
    })
    // Without the list the clash is refused, naming the way out.
    expect(() => winston.createLogger({ transports: [lanes(dir, { domains: ['app', 'http'] })] })).toThrow(
      `or give only some levels files: levelFiles: { mode: 'exact', levels: [...] } without "http"`,
    )
    // A listed level the logger lacks fails createLogger.
    expect(() =>
      winston.createLogger({
        transports: [lanes(dir, { levelFiles: { mode: 'threshold', levels: ['crit'] } })],
      }),
    ).toThrow(`option "levelFiles.levels" must list levels of the logger`)
  })

  it("threshold with a list: each listed level's file holds the records at or above it", async () => {
    const dir = tempDir()
    const levelFiles = { mode: 'threshold', levels: ['error', 'info'] } as const
    const logger = winston.createLogger({
      level: 'silly',
      transports: [lanes(dir, { interval: 'none', levelFiles })],
    })
    const levels = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] as const
    for (let n = 0; n < 700; n++) logger[levels[n % 7]!]('r', { n })
    await endLogger(logger)
    expect(lineCounts(dir)).toEqual({ 'app.log': 700, 'error.log': 100, 'info.log': 300 })
  })
})
