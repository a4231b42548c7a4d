import { mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pino from 'pino'
import { describe, expect, it } from 'vitest'
import { lineCounts, tempDir } from '../support/files.js'
import {
  ageFiles,
  awayFromBoundary,
  DAY,
  folderNames,
  HOUR,
  laneLines,
  utcFolder,
  waitFor,
} from '../support/maintenance.js'
import { endLogger } from '../support/pinoLogger.js'

const DOMAINS = ['app', 'db'] as const

function lanesLogger(options: Record<string, unknown>) {
  return pino({
    base: null,
    timestamp: false,
    transport: {
      target: '@loglanes/pino',
      options: { domains: [...DOMAINS], timezone: 'UTC', levelFiles: false, ...options },
    },
  })
}

/** Logs `count` records with times in the interval starting at `start`, alternating domains. */
function logInterval(logger: pino.Logger, start: number, count: number, from = 0): void {
  const children = DOMAINS.map((domain) => logger.child({ domain }))
  for (let n = from; n < from + count; n++) children[n % 2]!.info({ time: start + n * 10, n }, 'tick')
}

function hour(offset: number): number {
  return Math.floor(Date.now() / HOUR) * HOUR + offset * HOUR
}

/** The `n` of every record of a lane, archive first, then the plain file. */
function recordNumbers(folder: string, lane: string): number[] {
  return laneLines(folder, lane).map((line) => (JSON.parse(line) as { n: number }).n)
}

function allArchived(dir: string): boolean {
  return folderNames(dir).every((name) =>
    readdirSync(join(dir, name)).every((file) => file.endsWith('.log.gz')),
  )
}

describe('@loglanes/pino maintains its dir', () => {
  it('keep=3 over 10 intervals leaves the 3 newest folders and nothing else it did not make; current points at the newest', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'reports'))
    writeFileSync(join(dir, 'reports/q3.csv'), 'a,b\n')
    writeFileSync(join(dir, 'README.txt'), 'logs\n')
    mkdirSync(join(dir, '2020-01-01'))
    mkdirSync(join(dir, '2020-01-01__10-30'))
    // Up to the hour of now: a record further ahead than MAX_CLOCK_SKEW_MS is no rollover.
    const starts = Array.from({ length: 10 }, (_, k) => hour(k - 9))
    const logger = lanesLogger({ dir, interval: '1h', retention: { keep: 3 }, symlink: true })
    for (const start of starts) logInterval(logger, start, 40)
    await endLogger(logger)

    const kept = starts.slice(7).map((start) => utcFolder(start, 60))
    expect(folderNames(dir)).toEqual(['2020-01-01', '2020-01-01__10-30', ...kept, 'reports'].sort())
    for (const name of kept) expect(lineCounts(join(dir, name))).toEqual({ 'app.log': 20, 'db.log': 20 })
    expect(realpathSync(join(dir, 'current'))).toBe(realpathSync(join(dir, kept[2]!)))
    expect(readFileSync(join(dir, 'reports/q3.csv'), 'utf8')).toBe('a,b\n')
    expect(readFileSync(join(dir, 'README.txt'), 'utf8')).toBe('logs\n')
    expect(readdirSync(dir).filter((name) => name.startsWith('.'))).toEqual([])
  })

  it('maxAge=3d over 10 day folders leaves the days whose interval ended at most 3 days ago', async () => {
    await awayFromBoundary(DAY)
    const dir = tempDir()
    const today = Math.floor(Date.now() / DAY) * DAY
    const logger = lanesLogger({ dir, retention: { maxAge: '3d' } })
    for (let k = 9; k >= 0; k--) logInterval(logger, today - k * DAY, 10)
    await endLogger(logger)
    // The day k days back ended k - 1 days and a fraction ago.
    expect(folderNames(dir)).toEqual([3, 2, 1, 0].map((k) => utcFolder(today - k * DAY, 1440)))
  })

  it('a restart with other retention options cleans what the new options rule out, before any record', async () => {
    const dir = tempDir()
    const starts = Array.from({ length: 10 }, (_, k) => hour(k - 12))
    const names = starts.map((start) => utcFolder(start, 60))
    const first = lanesLogger({ dir, interval: '1h', retention: { keep: 6 } })
    for (const start of starts) logInterval(first, start, 10)
    await endLogger(first)
    expect(folderNames(dir)).toEqual(names.slice(4))

    await endLogger(lanesLogger({ dir, interval: '1h', retention: { keep: 2 } }))
    expect(folderNames(dir)).toEqual(names.slice(8))
    for (const name of names.slice(8))
      expect(lineCounts(join(dir, name))).toEqual({ 'app.log': 5, 'db.log': 5 })
  })

  it('gzips closed folders: every .gz holds exactly the lines written, late records appended after a first compression included', async () => {
    const dir = tempDir()
    const options = { dir, interval: '1h', compress: 'gzip' }
    const starts = Array.from({ length: 6 }, (_, k) => hour(k - 12))
    const names = starts.map((start) => utcFolder(start, 60))
    const first = lanesLogger(options)
    for (const start of starts) logInterval(first, start, 200)
    await endLogger(first)
    // Its own last folder is never compressed while it may still write: a later start does it, once the
    // files have been quiet long enough (here: written an hour ago).
    expect(readdirSync(join(dir, names[5]!)).sort()).toEqual(['app.log', 'db.log'])
    ageFiles(dir, HOUR)

    const second = lanesLogger(options)
    await waitFor(() => allArchived(dir), 10_000, 'compression at start')
    // Late records for two compressed folders: plain files beside the archives.
    logInterval(second, starts[1]!, 6, 200)
    logInterval(second, starts[3]!, 3, 200)
    await endLogger(second)
    expect(readdirSync(join(dir, names[1]!)).sort()).toEqual(['app.log', 'app.log.gz', 'db.log', 'db.log.gz'])
    ageFiles(dir, HOUR)

    const third = lanesLogger(options)
    await waitFor(() => allArchived(dir), 10_000, 'compression of the late records')
    await endLogger(third)
    for (const [k, name] of names.entries()) {
      expect(readdirSync(join(dir, name)).sort()).toEqual(['app.log.gz', 'db.log.gz'])
      const total = 200 + (k === 1 ? 6 : k === 3 ? 3 : 0)
      const numbers = Array.from({ length: total }, (_, n) => n)
      expect(recordNumbers(join(dir, name), 'app')).toEqual(numbers.filter((n) => n % 2 === 0))
      expect(recordNumbers(join(dir, name), 'db')).toEqual(numbers.filter((n) => n % 2 === 1))
      for (const line of laneLines(join(dir, name), 'db')) {
        expect(line).toMatch(/^\{"level":30,"domain":"db","time":\d+,"n":\d+,"msg":"tick"\}$/)
      }
    }
  })
})
