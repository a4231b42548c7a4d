import { execFile } from 'node:child_process'
import { mkdirSync, readlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { MAX_CLOCK_SKEW_MS } from '@loglanes/core'
import { describe, expect, it } from 'vitest'
import { readLines, tempDir } from '../support/files.js'
import { awayFromBoundary, folderNames, HOUR, MINUTE, utcFolder } from '../support/maintenance.js'

// Issue 16, items 3 and 4: record times that cannot move folders, the `current` link or retention. Every case runs
// in a child process through a real entry point (pino's worker thread, the facade on pino, winston), which is
// closed the documented way before the files are read.

const run = promisify(execFile)
const FIXTURE = join(import.meta.dirname, 'fixtures/hostileTime.mjs')

interface Times {
  /** When the child started logging (epoch ms). */
  readonly now: number
  /** The times of the records logged ahead of the clock. */
  readonly ahead?: number[]
  /** The time of the record stamped in the next interval (rollover). */
  readonly next?: number
}

async function logIn(
  entry: 'pino' | 'pino-text' | 'facade' | 'winston',
  dir: string,
  scenario: 'fields' | 'future' | 'rollover',
  options: Record<string, unknown>,
  count: number,
  aheadHours: number[] = [],
): Promise<Times> {
  const { stdout, stderr } = await run(process.execPath, [
    FIXTURE,
    entry,
    dir,
    scenario,
    JSON.stringify({ levelFiles: false, ...options }),
    String(count),
    aheadHours.join(','),
  ])
  expect(stderr).toBe('')
  return JSON.parse(stdout) as Times
}

/** The record numbers `n` in a lane file, in file order. */
function numbers(dir: string, folder: string, lane = 'app'): number[] {
  return readLines(join(dir, folder, `${lane}.log`)).map((line) => (JSON.parse(line) as { n: number }).n)
}

/** 0, 1, …, count - 1. */
function upTo(count: number): number[] {
  return Array.from({ length: count }, (_, n) => n)
}

/** Interval folders of `minutes` at the given offsets (in intervals) from now, each with one line. */
function oldFolders(dir: string, minutes: number, offsets: number[]): string[] {
  return offsets.map((offset) => {
    const time = Date.now() + offset * minutes * MINUTE
    const name = utcFolder(time, minutes)
    mkdirSync(join(dir, name))
    writeFileSync(join(dir, name, 'app.log'), `${JSON.stringify({ time, n: -1 })}\n`)
    return name
  })
}

describe('a field or binding the app calls `time` cannot move a record (item 3)', () => {
  it.each(['pino', 'facade'] as const)(
    '%s: 5 kinds × 200 records ({ time: 5 }, an ISO time, a child binding, both, 2 h ahead): 1,000 of 1,000 in the folder of now',
    async (entry) => {
      await awayFromBoundary(HOUR, 30_000)
      const dir = tempDir()
      const { now } = await logIn(entry, dir, 'fields', { interval: '1h' }, 200)
      const folder = utcFolder(now, 60)
      expect(folderNames(dir)).toEqual([folder])
      expect(numbers(dir, folder)).toEqual(upTo(1000))
    },
    30_000,
  )

  it("pino, format 'text': the folder and the timestamp shown are pino's; the app's time stays a field", async () => {
    await awayFromBoundary(HOUR, 30_000)
    const dir = tempDir()
    const { now } = await logIn('pino-text', dir, 'fields', { interval: '1h' }, 20)
    const folder = utcFolder(now, 60)
    expect(folderNames(dir)).toEqual([folder])
    const lines = readLines(join(dir, folder, 'app.log'))
    expect(lines).toHaveLength(100)
    const today = new Date(now).toISOString().slice(0, 13)
    expect(lines.filter((line) => line.startsWith(today))).toHaveLength(100)
    expect(
      lines.filter((line) => line.includes('query took 5 ms') && line.includes('"time":5')),
    ).toHaveLength(20)
  }, 30_000)
})

describe('records timed in the future cannot take the link or retention (item 4)', () => {
  it.each(['pino', 'facade', 'winston'] as const)(
    '%s, keep: 1, one record 2 h ahead among 1,000 of now: now keeps 1,000 of 1,000, the link stays on now',
    async (entry) => {
      await awayFromBoundary(HOUR, 30_000)
      const dir = tempDir()
      const [, , hourBefore] = oldFolders(dir, 60, [-3, -2, -1])
      const options = { interval: '1h', retention: { keep: 1 }, symlink: true }
      const { now, ahead } = await logIn(entry, dir, 'future', options, 1000, [2])
      const folder = utcFolder(now, 60)
      const future = utcFolder(ahead![0]!, 60)
      // Retention ran (the two oldest are gone), kept now and the hour before, and left the future folder alone.
      expect(folderNames(dir)).toEqual([hourBefore!, folder, future])
      expect(numbers(dir, folder)).toEqual(upTo(1000))
      expect(numbers(dir, future)).toEqual([1000])
      expect(readlinkSync(join(dir, 'current'))).toBe(folder)
    },
    30_000,
  )

  it.each(['pino', 'facade'] as const)(
    '%s, keep: 2, records 22 h and a week ahead among 2,000 of now: now keeps 2,000 of 2,000, the link stays on now',
    async (entry) => {
      await awayFromBoundary(HOUR, 30_000)
      const dir = tempDir()
      const [, , , hourBefore] = oldFolders(dir, 60, [-4, -3, -2, -1])
      const options = { interval: '1h', retention: { keep: 2 }, symlink: true }
      const { now, ahead } = await logIn(entry, dir, 'future', options, 2000, [22, 168])
      const folder = utcFolder(now, 60)
      const [day, week] = ahead!.map((time) => utcFolder(time, 60))
      // Future folders count neither toward keep (h-1 stays, as the 2nd newest real one) nor are deleted.
      expect(folderNames(dir)).toEqual([hourBefore!, folder, day!, week!])
      expect(numbers(dir, folder)).toEqual(upTo(2000))
      expect(numbers(dir, day!)).toEqual([2000])
      expect(numbers(dir, week!)).toEqual([2001])
      expect(readlinkSync(join(dir, 'current'))).toBe(folder)
    },
    30_000,
  )

  it.each(['pino', 'facade'] as const)(
    '%s, interval 1m: a real rollover after a record 2 h ahead still runs maintenance (the link moves on)',
    async (entry) => {
      // The child logs well before the next minute; its last record is stamped 1 ms into it, less than a minute
      // ahead of the clock: within MAX_CLOCK_SKEW_MS, so a rollover.
      expect(MAX_CLOCK_SKEW_MS).toBeGreaterThan(MINUTE)
      await awayFromBoundary(MINUTE, 25_000)
      const dir = tempDir()
      const [stale, minuteBefore] = oldFolders(dir, 1, [-3, -1])
      const options = { interval: '1m', retention: { keep: 1 }, symlink: true }
      const { now, ahead, next } = await logIn(entry, dir, 'rollover', options, 1000, [2])
      const folder = utcFolder(now, 1)
      expect(utcFolder(Date.now(), 1)).not.toBe(stale)
      const [future, following] = [utcFolder(ahead![0]!, 1), utcFolder(next!, 1)]
      expect(following).toBe(utcFolder(Math.floor(now / MINUTE) * MINUTE + MINUTE, 1))
      // The pass of the rollover pointed the link at the next interval (its records came within the skew).
      expect(readlinkSync(join(dir, 'current'))).toBe(following)
      expect(folderNames(dir)).toEqual([minuteBefore!, folder, following, future].sort())
      expect(numbers(dir, folder)).toEqual(upTo(1000))
      expect(numbers(dir, future)).toEqual([1000])
      expect(numbers(dir, following)).toEqual([1001])
    },
    // Up to 25 s waiting for a minute that leaves the child enough time.
    60_000,
  )
})
