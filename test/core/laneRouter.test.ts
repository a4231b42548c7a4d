import { execFile } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { type LaneErrorEvent, LaneRouter, type LanesOptions, resolveOptions } from '@loglanes/core'
import { describe, expect, it } from 'vitest'
import { lineCounts, listFiles, openFilesUnder, readLines, tempDir, waitFor } from '../support/files.js'

const PINO_LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 }
const T = Date.UTC(2026, 10, 20, 13, 30) // 2026-11-20 13:30 UTC

function router(dir: string, options: LanesOptions = {}, graceMs?: number): LaneRouter {
  return new LaneRouter(resolveOptions({ dir, timezone: 'UTC', ...options }, { levels: PINO_LEVELS }), {
    stderr: false,
    ...(graceMs === undefined ? {} : { graceMs }),
  })
}

function line(level: string, domain: string, n: number, time = T): string {
  return `${JSON.stringify({ level, time, domain, n, msg: `record ${n}` })}\n`
}

describe('LaneRouter', () => {
  it('writes each record to its domain and level files in the day folder, lazily', async () => {
    const dir = tempDir()
    const r = router(dir, { domains: ['app', 'db', 'http'] })
    r.route(T, 'info', 'app', line('info', 'app', 1))
    r.route(T, 'error', 'db', line('error', 'db', 2))
    await r.close()
    expect(listFiles(dir)).toEqual([
      '2026-11-20/app.log',
      '2026-11-20/db.log',
      '2026-11-20/error.log',
      '2026-11-20/info.log',
    ])
    expect(readFileSync(join(dir, '2026-11-20/db.log'), 'utf8')).toBe(line('error', 'db', 2))
    expect(readFileSync(join(dir, '2026-11-20/error.log'), 'utf8')).toBe(line('error', 'db', 2))
  })

  it('puts a record of 13:59:59.999 in __13-00 even when it is written after a 14:00 record', async () => {
    const dir = tempDir()
    const r = router(dir, { interval: '1h', levelFiles: false })
    const late = Date.UTC(2026, 10, 20, 14, 0, 0, 10)
    const early = Date.UTC(2026, 10, 20, 13, 59, 59, 999)
    r.route(late, 'info', 'app', line('info', 'app', 1, late))
    r.route(early, 'info', 'app', line('info', 'app', 2, early))
    r.route(late + 1, 'info', 'app', line('info', 'app', 3, late + 1))
    await r.close()
    expect(lineCounts(dir)).toEqual({ '2026-11-20__13-00/app.log': 1, '2026-11-20__14-00/app.log': 2 })
    expect(readLines(join(dir, '2026-11-20__13-00/app.log'))[0]).toContain('"n":2')
  })

  it('routes records of a missing or undeclared domain to the default domain, line unchanged', async () => {
    const dir = tempDir()
    const r = router(dir, { domains: ['app', 'db'], defaultDomain: 'db', levelFiles: false })
    const text = '{"level":30,"domain":"../../etc/x","msg":"hi"}\n'
    r.route(T, 'info', '../../etc/x', text)
    r.route(T, 'info', undefined, '{"level":30,"msg":"no domain"}\n')
    await r.close()
    expect(listFiles(dir)).toEqual(['2026-11-20/db.log'])
    expect(readFileSync(join(dir, '2026-11-20/db.log'), 'utf8')).toBe(
      `${text}{"level":30,"msg":"no domain"}\n`,
    )
  })

  it('writes mirrors and extra lanes, never the same record twice to one file', async () => {
    const dir = tempDir()
    const r = router(dir, {
      domains: ['app', 'db'],
      lanes: ['alerts'],
      mirrors: { error: ['alerts', 'error'], db: ['db', 'alerts'] },
    })
    r.route(T, 'error', 'db', line('error', 'db', 1))
    r.route(T, 'info', 'app', line('info', 'app', 2))
    await r.close()
    expect(lineCounts(dir)).toEqual({
      '2026-11-20/alerts.log': 1,
      '2026-11-20/app.log': 1,
      '2026-11-20/db.log': 1,
      '2026-11-20/error.log': 1,
      '2026-11-20/info.log': 1,
    })
  })

  it('with interval none writes straight into dir', async () => {
    const dir = tempDir()
    const r = router(dir, { interval: 'none', levelFiles: false })
    r.route(T, 'info', 'app', line('info', 'app', 1))
    await r.close()
    expect(listFiles(dir)).toEqual(['app.log'])
  })

  it('renders the text format with a strftime timestamp in the zone', async () => {
    const dir = tempDir()
    const r = router(dir, {
      format: 'text',
      timezone: 'Europe/Berlin',
      timestampFormat: '%H:%M:%S.%L',
      levelFiles: false,
    })
    const err = new Error('boom')
    err.stack = 'Error: boom\n    at main (app.js:1:1)'
    r.routeText(T, 'error', 'app', 'failed\nFAKE 00:00:00 INFO [app] forged', { reqId: 7 }, err.stack)
    await r.close()
    expect(readFileSync(join(dir, '2026-11-20/app.log'), 'utf8')).toBe(
      '14:30:00.000 ERROR [app] failed\\nFAKE 00:00:00 INFO [app] forged {"reqId":7}\n' +
        '    Error: boom\n' +
        '        at main (app.js:1:1)\n',
    )
  })

  it('resolves close only after every line is in its file: 100,000 records, 3 domains, exact level files', async () => {
    const dir = tempDir()
    const r = router(dir, { domains: ['app', 'db', 'http'] })
    const domains = ['app', 'db', 'http']
    const levels = ['debug', 'info', 'info', 'info', 'warn', 'error', 'info', 'info', 'warn', 'info']
    const expected: Record<string, number> = {}
    for (let n = 0; n < 100_000; n++) {
      const domain = domains[n % 3]!
      const level = levels[n % levels.length]!
      r.route(T + n, level, domain, line(level, domain, n, T + n))
      for (const lane of [domain, level]) {
        expected[`2026-11-20/${lane}.log`] = (expected[`2026-11-20/${lane}.log`] ?? 0) + 1
      }
    }
    await r.close()
    expect(lineCounts(dir)).toEqual(expected)
    const seen = new Set(readLines(join(dir, '2026-11-20/app.log')).map((l) => JSON.parse(l).n as number))
    expect(seen.size).toBe(expected['2026-11-20/app.log'])
  })

  it('writes lines bound for one file in a batch with a handful of write calls, not one per line', async () => {
    const dir = tempDir()
    const r = router(dir, { levelFiles: false })
    const writesBefore = writeSyscalls()
    for (let n = 0; n < 20_000; n++) r.route(T, 'info', 'app', line('info', 'app', n))
    await r.flush()
    const writes = writeSyscalls() - writesBefore
    await r.close()
    expect(readLines(join(dir, '2026-11-20/app.log'))).toHaveLength(20_000)
    // ~1.3 MB of lines: 256 KiB batches need about 6 writes; leave room for the test runner's own writes.
    expect(writes).toBeLessThan(60)
  })

  it('keeps the other lanes writing while one fails, reports it once, and recovers by itself', async () => {
    const dir = tempDir()
    const errors: LaneErrorEvent[] = []
    const recovered: string[] = []
    const r = router(dir, { domains: ['app', 'db'], levelFiles: false })
    r.on('laneError', (event) => errors.push(event))
    r.on('laneRecovered', (event) => recovered.push(event.lane))
    // db.log is a folder: not a file loglanes made, so every open of the lane is refused.
    mkdirSync(join(dir, '2026-11-20', 'db.log'), { recursive: true })
    for (let n = 0; n < 1000; n++) {
      r.route(T, 'info', 'app', line('info', 'app', n))
      r.route(T, 'info', 'db', line('info', 'db', n))
      if (n % 100 === 0) await r.flush()
    }
    await r.flush()
    expect(readLines(join(dir, '2026-11-20/app.log'))).toHaveLength(1000)
    expect(errors).toHaveLength(1)
    expect(errors[0]!.lane).toBe('db')
    expect(errors[0]!.error.code).toBe('EFTYPE')
    expect(errors[0]!.error.message).toMatch(/^a folder is there, not a file loglanes made/)
    // The cause goes away: the lane writes every kept line on its next retry.
    rmSync(join(dir, '2026-11-20', 'db.log'), { recursive: true })
    await waitFor(() => recovered.length === 1)
    await r.close()
    const dbLines = readLines(join(dir, '2026-11-20/db.log'))
    expect(dbLines.map((l) => JSON.parse(l).n)).toEqual(Array.from({ length: 1000 }, (_, n) => n))
    expect(errors).toHaveLength(1)
  })

  it('holds no buffer for a quiet lane whose file was closed for maxOpenFiles: 4,000 folders (2 lanes each) keep < 8 MiB', async () => {
    const dir = tempDir()
    const { stdout } = await promisify(execFile)(process.execPath, [
      '--expose-gc',
      join(import.meta.dirname, 'fixtures/manyFolders.mjs'),
      dir,
      '4000',
    ])
    const { arrayBuffers, openFiles } = JSON.parse(stdout) as { arrayBuffers: number; openFiles: number }
    // Before: a 16 KiB batch per lane file until its folder closed, 125 MiB here.
    expect(openFiles).toBe(256)
    expect(arrayBuffers).toBeLessThan(8 * 1024 * 1024)
    expect(readdirSync(dir)).toHaveLength(4000)
  }, 60_000)

  it('closes the files of a past interval once its grace period has passed', async () => {
    const dir = tempDir()
    const r = router(dir, { interval: '1m', levelFiles: false }, 10)
    const past = Date.now() - 5 * 60_000
    r.route(past, 'info', 'app', line('info', 'app', 1, past))
    r.route(Date.now(), 'info', 'app', line('info', 'app', 2))
    await r.flush()
    const pastFolder = r.folderOf(past)
    expect(openFilesUnder(pastFolder)).toHaveLength(1)
    await waitFor(() => openFilesUnder(pastFolder).length === 0, 5_000)
    // A late record for that interval is still written.
    r.route(past, 'info', 'app', line('info', 'app', 3, past))
    await r.close()
    expect(readLines(join(pastFolder, 'app.log'))).toHaveLength(2)
    expect(openFilesUnder(dir)).toEqual([])
  })

  it('creates files 0o640 and folders 0o750 by default, and as configured', async () => {
    const dir = tempDir()
    const r = router(join(dir, 'a'), { levelFiles: false })
    r.route(T, 'info', 'app', line('info', 'app', 1))
    await r.close()
    expect(statSync(join(dir, 'a/2026-11-20')).mode & 0o777).toBe(0o750)
    expect(statSync(join(dir, 'a/2026-11-20/app.log')).mode & 0o777).toBe(0o640)
    const r2 = router(join(dir, 'b'), { levelFiles: false, fileMode: 0o600, dirMode: 0o700 })
    r2.route(T, 'info', 'app', line('info', 'app', 1))
    await r2.close()
    expect(statSync(join(dir, 'b/2026-11-20')).mode & 0o777).toBe(0o700)
    expect(statSync(join(dir, 'b/2026-11-20/app.log')).mode & 0o777).toBe(0o600)
  })

  it('is idempotent on close and drops later records without throwing', async () => {
    const dir = tempDir()
    const r = router(dir, { levelFiles: false })
    r.route(T, 'info', 'app', line('info', 'app', 1))
    await r.close()
    await r.close()
    expect(() => r.route(T, 'info', 'app', line('info', 'app', 2))).not.toThrow()
    expect(readLines(join(dir, '2026-11-20/app.log'))).toHaveLength(1)
  })

  it('routes records with no usable time by now', async () => {
    const dir = tempDir()
    const r = router(dir, { interval: 'none', levelFiles: false })
    r.route(Number.NaN, 'info', 'app', line('info', 'app', 1))
    r.route(1e20, 'info', 'app', line('info', 'app', 2))
    await r.close()
    expect(readLines(join(dir, 'app.log'))).toHaveLength(2)
  })
})

function writeSyscalls(): number {
  const io = readFileSync('/proc/self/io', 'utf8')
  return Number(/syscw: (\d+)/.exec(io)![1])
}
