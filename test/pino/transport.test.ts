import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import pino from 'pino'
import { describe, expect, it } from 'vitest'
import { lineCounts, listFiles, readLines, tempDir } from '../support/files.js'
import { endLogger, flushLogger, timedLogger } from '../support/pinoLogger.js'

const T0 = Date.UTC(2026, 10, 20, 13, 30) // 2026-11-20 13:30 UTC
const TAG = join(import.meta.dirname, 'fixtures/tagTransform.mjs')
const DOMAINS = ['app', 'db', 'http'] as const
const LEVELS = ['debug', 'info', 'warn', 'error'] as const

function clock(start = T0, step = 1) {
  let t = start - step
  return () => {
    t += step
    return t
  }
}

/** Logs `count` records round-robin over domains and levels; returns the expected line count per file. */
function logMany<L extends string>(
  logger: pino.Logger<L>,
  count: number,
  folder = '2026-11-20',
): Record<string, number> {
  const children = DOMAINS.map((domain) => logger.child({ domain }))
  const expected: Record<string, number> = {}
  for (let n = 0; n < count; n++) {
    const domain = DOMAINS[n % 3]!
    const level = LEVELS[n % 4]!
    children[n % 3]![level]({ n, reqId: `r-${n}`, path: '/api/items' }, 'request handled')
    for (const lane of [domain, level])
      expected[`${folder}/${lane}.log`] = (expected[`${folder}/${lane}.log`] ?? 0) + 1
  }
  return expected
}

describe('@loglanes/pino as a single target', () => {
  it('routes records into domain and level files of the day folder, lines byte for byte as pino/file writes them', async () => {
    const dir = tempDir()
    const options = { dir, domains: [...DOMAINS], timezone: 'UTC' }
    const lanes = timedLogger({ level: 'debug', transport: { target: '@loglanes/pino', options } }, clock())
    const expected = logMany(lanes, 3000)
    await endLogger(lanes)
    expect(lineCounts(dir)).toEqual(expected)

    // The same records through pino/file: each lane file holds exactly its records' lines, in order.
    const reference = join(tempDir(), 'all.log')
    const file = timedLogger(
      { level: 'debug', transport: { target: 'pino/file', options: { destination: reference } } },
      clock(),
    )
    logMany(file, 3000)
    await endLogger(file)
    const all = readLines(reference)
    for (const domain of DOMAINS) {
      expect(readLines(join(dir, `2026-11-20/${domain}.log`))).toEqual(
        all.filter((l) => l.includes(`"domain":"${domain}"`)),
      )
    }
    const error = all.filter((l) => l.startsWith('{"level":50'))
    expect(readFileSync(join(dir, '2026-11-20/error.log'), 'utf8')).toBe(`${error.join('\n')}\n`)
  })

  it('names custom level files from the levels pino injects, and places them by severity in threshold mode', async () => {
    const dir = tempDir()
    const logger = timedLogger(
      {
        level: 'info',
        customLevels: { audit: 35 },
        transport: { target: '@loglanes/pino', options: { dir, timezone: 'UTC', levelFiles: 'threshold' } },
      },
      clock(),
    )
    logger.audit('user 7 changed a setting')
    logger.warn('disk at 85%')
    logger.info('hello')
    await endLogger(logger)
    expect(lineCounts(dir)).toEqual({
      '2026-11-20/app.log': 3,
      '2026-11-20/audit.log': 2, // audit and warn
      '2026-11-20/info.log': 3,
      '2026-11-20/trace.log': 3,
      '2026-11-20/debug.log': 3,
      '2026-11-20/warn.log': 1,
    })
  })

  it('writes mirrors, one hop, deduplicated', async () => {
    const dir = tempDir()
    const options = {
      dir,
      timezone: 'UTC',
      domains: ['app', 'db'],
      lanes: ['alerts', 'all'],
      mirrors: { error: ['alerts', 'error'], db: ['all'] },
    }
    const logger = timedLogger({ transport: { target: '@loglanes/pino', options } }, clock())
    logger.child({ domain: 'db' }).error('connection lost')
    logger.child({ domain: 'db' }).info('connected')
    logger.error('app failed')
    await endLogger(logger)
    expect(lineCounts(dir)).toEqual({
      '2026-11-20/alerts.log': 2,
      '2026-11-20/all.log': 2,
      '2026-11-20/app.log': 1,
      '2026-11-20/db.log': 2,
      '2026-11-20/error.log': 2,
      '2026-11-20/info.log': 1,
    })
  })

  it('folders records by their own time across hour boundaries, in UTC and in a named zone', async () => {
    for (const [timezone, first] of [
      ['UTC', '2026-11-20__13-00'],
      ['America/New_York', '2026-11-20__08-00'],
    ] as const) {
      const dir = tempDir()
      // 7,200 records one second apart from 13:30 UTC: 30 minutes in the first hour, 60 in the next, 30 after.
      // The time comes from the record itself (pino writes logged fields after its own; the last key wins).
      const logger = pino({
        timestamp: false,
        transport: {
          target: '@loglanes/pino',
          options: { dir, timezone, interval: '1h', levelFiles: false },
        },
      })
      for (let n = 0; n < 7200; n++) logger.info({ time: T0 + n * 1000, n }, 'tick')
      await endLogger(logger)
      const hour = Number(first.slice(-5, -3))
      const name = (h: number) => `${first.slice(0, -5)}${String(h).padStart(2, '0')}-00/app.log`
      expect(lineCounts(dir)).toEqual({ [name(hour)]: 1800, [name(hour + 1)]: 3600, [name(hour + 2)]: 1800 })
    }
  })

  it("takes ISO times from pino's isoTime", async () => {
    const dir = tempDir()
    const logger = pino({
      timestamp: () => ',"time":"2026-11-20T13:59:59.999Z"',
      transport: {
        target: '@loglanes/pino',
        options: { dir, timezone: 'UTC', interval: '1h', levelFiles: false },
      },
    })
    logger.info('late')
    await endLogger(logger)
    expect(listFiles(dir)).toEqual(['2026-11-20__13-00/app.log'])
  })

  it('calls back from logger.flush only after the lines are in their files', async () => {
    const dir = tempDir()
    const logger = timedLogger(
      { transport: { target: '@loglanes/pino', options: { dir, timezone: 'UTC', levelFiles: false } } },
      clock(),
    )
    for (let n = 0; n < 5000; n++) logger.info({ n }, 'before flush')
    await flushLogger(logger)
    expect(readLines(join(dir, '2026-11-20/app.log'))).toHaveLength(5000)
    await endLogger(logger)
  })
})

describe('@loglanes/pino in targets and pipelines', () => {
  it('runs beside pino-pretty in targets, learning custom levels from pino without the customLevels option', async () => {
    const dir = tempDir()
    const pretty = join(tempDir(), 'pretty.log')
    const logger = timedLogger(
      {
        level: 'debug',
        customLevels: { audit: 35 },
        transport: {
          targets: [
            { target: 'pino-pretty', options: { destination: pretty, colorize: false } },
            // A target's level defaults to info in pino's targets mode.
            {
              target: '@loglanes/pino',
              level: 'debug',
              options: { dir, domains: [...DOMAINS], timezone: 'UTC' },
            },
          ],
        },
      },
      clock(),
    )
    const expected = logMany(logger, 2000)
    logger.child({ domain: 'db' }).audit('schema migrated')
    await endLogger(logger)
    expected['2026-11-20/db.log']! += 1
    expected['2026-11-20/audit.log'] = 1
    expect(lineCounts(dir)).toEqual(expected)
    // pino-pretty's target is at the default info level: it shows every record but debug.
    expect(readLines(pretty).filter((l) => l.includes('request handled'))).toHaveLength(1500)
  })

  it('honours a target level and the customLevels option in targets mode', async () => {
    const dir = tempDir()
    const logger = timedLogger(
      {
        level: 'debug',
        customLevels: { audit: 35 },
        transport: {
          targets: [
            {
              target: '@loglanes/pino',
              level: 'info',
              options: { dir, timezone: 'UTC', customLevels: { audit: 35 } },
            },
          ],
        },
      },
      clock(),
    )
    logger.debug('hidden')
    logger.audit('kept')
    logger.info('kept')
    await endLogger(logger)
    expect(lineCounts(dir)).toEqual({
      '2026-11-20/app.log': 2,
      '2026-11-20/audit.log': 1,
      '2026-11-20/info.log': 1,
    })
  })

  it('is the last step of a pipeline', async () => {
    const dir = tempDir()
    const logger = timedLogger(
      {
        transport: {
          pipeline: [
            { target: TAG },
            { target: '@loglanes/pino', options: { dir, timezone: 'UTC', domains: ['app', 'db'] } },
          ],
        },
      },
      clock(),
    )
    for (let n = 0; n < 500; n++) logger.child({ domain: n % 2 ? 'db' : 'app' }).warn({ n }, 'piped')
    await endLogger(logger)
    expect(lineCounts(dir)).toEqual({
      '2026-11-20/app.log': 250,
      '2026-11-20/db.log': 250,
      '2026-11-20/warn.log': 500,
    })
    expect(JSON.parse(readLines(join(dir, '2026-11-20/db.log'))[0]!)).toMatchObject({
      stage: 'tagged',
      domain: 'db',
    })
  })
})

describe('@loglanes/pino: the level files are exactly the logger levels', () => {
  const CUSTOM = { chatter: 15, notice: 30, crit: 50 }
  const CUSTOM_NAMES = ['chatter', 'notice', 'crit'] as const
  type Custom = (typeof CUSTOM_NAMES)[number]
  const transports = {
    target: (options: object) => ({ target: '@loglanes/pino', options }),
    targets: (options: object) => ({
      levels: CUSTOM,
      targets: [
        { target: '@loglanes/pino', level: 'chatter', options },
        { target: 'pino/file', level: 'crit', options: { destination: join(tempDir(), 'crit.log') } },
      ],
    }),
    pipeline: (options: object) => ({ pipeline: [{ target: TAG }, { target: '@loglanes/pino', options }] }),
  }

  it.each(
    (['target', 'targets', 'pipeline'] as const).flatMap((mode) =>
      (['exact', 'threshold'] as const).map((levelFiles) => [mode, levelFiles] as const),
    ),
  )('useOnlyCustomLevels, %s, %s: only chatter/notice/crit files', async (mode, levelFiles) => {
    const dir = tempDir()
    const logger = timedLogger<Custom>(
      {
        level: 'chatter',
        customLevels: CUSTOM,
        useOnlyCustomLevels: true,
        transport: transports[mode]({ dir, timezone: 'UTC', levelFiles }),
      },
      clock(),
    )
    for (let n = 0; n < 300; n++) logger[CUSTOM_NAMES[n % 3]!]({ n }, 'custom')
    await endLogger(logger)
    expect(lineCounts(dir)).toEqual(
      levelFiles === 'exact'
        ? {
            '2026-11-20/app.log': 300,
            '2026-11-20/chatter.log': 100,
            '2026-11-20/notice.log': 100,
            '2026-11-20/crit.log': 100,
          }
        : {
            '2026-11-20/app.log': 300,
            '2026-11-20/chatter.log': 300,
            '2026-11-20/notice.log': 200,
            '2026-11-20/crit.log': 100,
          },
    )
  })

  it.each(['target', 'targets', 'pipeline'] as const)(
    "%s: levelFiles { mode: 'threshold', levels: ['info', 'error'] } gives only those two files",
    async (mode) => {
      const dir = tempDir()
      const levelFiles = { mode: 'threshold', levels: ['info', 'error'] }
      const transport =
        mode === 'targets'
          ? {
              targets: [
                { target: '@loglanes/pino', level: 'debug', options: { dir, timezone: 'UTC', levelFiles } },
              ],
            }
          : mode === 'target'
            ? transports.target({ dir, timezone: 'UTC', levelFiles })
            : transports.pipeline({ dir, timezone: 'UTC', levelFiles })
      const logger = timedLogger({ level: 'debug', transport }, clock())
      const levels = ['debug', 'info', 'warn', 'error', 'fatal'] as const
      for (let n = 0; n < 500; n++) logger[levels[n % 5]!]({ n }, 'r')
      await endLogger(logger)
      expect(lineCounts(dir)).toEqual({
        '2026-11-20/app.log': 500,
        '2026-11-20/info.log': 400,
        '2026-11-20/error.log': 200,
      })
    },
  )
})
