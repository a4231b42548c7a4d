import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import {
  existsSync,
  lutimesSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import {
  createIntervalClock,
  createZone,
  LaneRouter,
  type LanesOptions,
  MAINTENANCE_LOCK_NAME,
  MAX_CLOCK_SKEW_MS,
  type MaintenanceErrorEvent,
  resolveOptions,
  runMaintenance,
} from '@loglanes/core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { openFilesUnder, tempDir } from '../support/files.js'
import {
  ageFiles,
  awayFromBoundary,
  folderNames,
  HOUR,
  laneLines,
  leftovers,
  MINUTE,
  utcFolder,
  waitFor,
} from '../support/maintenance.js'

const run = promisify(execFile)
const WRITER = join(import.meta.dirname, 'fixtures/maintainedWriter.mjs')
const LEVELS = { info: 30, error: 50 }

function options(dir: string, extra: LanesOptions = {}) {
  return resolveOptions(
    { dir, interval: '1h', timezone: 'UTC', levelFiles: false, compress: 'gzip', ...extra },
    { levels: LEVELS },
  )
}

function hour(offset: number): number {
  return Math.floor(Date.now() / HOUR) * HOUR + offset * HOUR
}

function record(time: number, n: number): string {
  return `${JSON.stringify({ time, n, msg: `record ${n}` })}\n`
}

/** Past hour folders with ~1 MB of poorly compressible lines in each of two lanes, written an hour ago. */
function oldFolders(dir: string, count: number): string[] {
  const names: string[] = []
  for (let k = 0; k < count; k++) {
    const name = utcFolder(hour(-20 + k), 60)
    mkdirSync(join(dir, name), { recursive: true })
    for (const lane of ['app', 'db']) {
      writeFileSync(join(dir, name, `${lane}.log`), `${randomBytes(400_000).toString('hex')}\n`)
    }
    names.push(name)
  }
  ageFiles(dir, HOUR)
  return names
}

/** Whether each lane of the folders is whole: exactly one of its plain file or its archive, no leftovers. */
function consistent(dir: string, names: string[]): { plain: number; archived: number } {
  let plain = 0
  let archived = 0
  for (const name of names) {
    const files = readdirSync(join(dir, name)).sort()
    for (const lane of ['app', 'db']) {
      const state = files.filter((file) => file.startsWith(`${lane}.`) || file.startsWith(`.${lane}.`))
      expect([[`${lane}.log`], [`${lane}.log.gz`]]).toContainEqual(state)
      if (state[0] === `${lane}.log`) plain++
      else archived++
    }
  }
  return { plain, archived }
}

describe('maintenance through the router', () => {
  it('compresses closed folders on its own, and late records after a first compression, losing no line', async () => {
    const dir = tempDir()
    const r = new LaneRouter(options(dir), { stderr: false, graceMs: 100 })
    const written = new Map<string, string[]>()
    const write = (start: number, from: number, count: number) => {
      for (let n = from; n < from + count; n++) {
        const text = record(start + n, n)
        r.route(start + n, 'info', 'app', text)
        const name = utcFolder(start, 60)
        written.set(name, [...(written.get(name) ?? []), text.slice(0, -1)])
      }
    }
    const starts = [hour(-9), hour(-8), hour(-7), hour(-6)]
    for (const start of starts) write(start, 0, 300)
    await r.flush()
    const names = starts.map((start) => utcFolder(start, 60))
    const archived = (name: string) => existsSync(join(dir, name, 'app.log.gz'))
    const quiet = (name: string) => !existsSync(join(dir, name, 'app.log'))
    // The three older folders close (the router sweeps them), go quiet, and a retry pass compresses them.
    // The newest one routed stays plain: this process may still write it.
    await waitFor(
      () => names.slice(0, 3).every((name) => archived(name) && quiet(name)),
      10_000,
      'compression',
    )
    expect(existsSync(join(dir, names[3]!, 'app.log'))).toBe(true)
    expect(archived(names[3]!)).toBe(false)

    // Late records for a compressed folder land in a plain file beside the archive...
    write(starts[1]!, 300, 5)
    await r.flush()
    expect(readdirSync(join(dir, names[1]!)).sort()).toEqual(['app.log', 'app.log.gz'])
    // ... and a rollover's pass finds them (too recent now), and its retry archives them.
    write(hour(-5), 0, 1)
    await r.flush()
    await waitFor(() => quiet(names[1]!), 10_000, 'late records compressed')
    await r.close()
    for (const name of names.slice(0, 3)) {
      expect(readdirSync(join(dir, name))).toEqual(['app.log.gz'])
      expect(laneLines(join(dir, name), 'app')).toEqual(written.get(name))
    }
    expect(laneLines(join(dir, names[1]!), 'app')).toHaveLength(305)
  }, 20_000)

  it('closes the files of the current folder once it is past and idle, so it can be compressed', async () => {
    const dir = tempDir()
    const r = new LaneRouter(options(dir, { compress: false }), { stderr: false, graceMs: 50 })
    r.route(hour(-3), 'info', 'app', record(hour(-3), 1))
    await r.flush()
    const folder = join(dir, utcFolder(hour(-3), 60))
    expect(openFilesUnder(folder)).toHaveLength(1)
    await waitFor(() => openFilesUnder(folder).length === 0, 5_000, 'closing the current folder')
    // A later record for it reopens it.
    r.route(hour(-3) + 1, 'info', 'app', record(hour(-3) + 1, 2))
    await r.close()
    expect(laneLines(folder, 'app')).toHaveLength(2)
  })

  it('close() waits for a pass in progress, which stops after the file it is compressing', async () => {
    const dir = tempDir()
    const names = oldFolders(dir, 4)
    const r = new LaneRouter(options(dir), { stderr: false })
    await waitFor(() => names.some((name) => leftovers(join(dir, name)).length > 0), 5_000, 'a pass')
    await r.close()
    expect(existsSync(join(dir, MAINTENANCE_LOCK_NAME))).toBe(false)
    const { plain, archived } = consistent(dir, names)
    expect(archived).toBeGreaterThanOrEqual(1)
    expect(plain).toBeGreaterThanOrEqual(1)
    // The next start finishes the job.
    const next = new LaneRouter(options(dir), { stderr: false })
    await next.whenMaintained()
    await next.close()
    expect(consistent(dir, names)).toEqual({ plain: 0, archived: 8 })
  })

  it('closeSync() does not wait: the pass in progress ends on its own, leaving every lane whole', async () => {
    const dir = tempDir()
    const names = oldFolders(dir, 4)
    const r = new LaneRouter(options(dir), { stderr: false })
    await waitFor(() => names.some((name) => leftovers(join(dir, name)).length > 0), 5_000, 'a pass')
    const before = performance.now()
    r.closeSync()
    expect(performance.now() - before).toBeLessThan(100)
    await waitFor(() => !existsSync(join(dir, MAINTENANCE_LOCK_NAME)), 5_000, 'the pass to end')
    expect(consistent(dir, names).plain).toBeGreaterThanOrEqual(1)
  })

  it('reports a compression failure once per cause, keeps the bytes, and compresses the rest', async () => {
    const dir = tempDir()
    const names = oldFolders(dir, 3)
    // Archive names taken by folders: not loglanes' own, so the lane is left as it is, the same way in two folders.
    mkdirSync(join(dir, names[0]!, 'app.log.gz'))
    mkdirSync(join(dir, names[1]!, 'app.log.gz'))
    const events: MaintenanceErrorEvent[] = []
    const r = new LaneRouter(options(dir), { stderr: false })
    r.on('maintenanceError', (event) => events.push(event))
    await r.whenMaintained()
    await r.close()
    expect(events).toHaveLength(1)
    expect(events[0]!.step).toBe('compress')
    expect(events[0]!.error.code).toBe('EFTYPE')
    for (const name of names.slice(0, 2)) {
      expect(leftovers(join(dir, name))).toEqual([])
      expect(readFileSync(join(dir, name, 'app.log'), 'utf8')).toMatch(/^[0-9a-f]{800000}\n$/)
      expect(existsSync(join(dir, name, 'db.log.gz'))).toBe(true)
    }
    expect(readdirSync(join(dir, names[2]!)).sort()).toEqual(['app.log.gz', 'db.log.gz'])
  })

  it('removes what processes that died mid-step left in dir: an old temporary link and a lock set aside', async () => {
    const dir = tempDir()
    const old = new Date(Date.now() - HOUR)
    const strays = ['.current.123-abc.link', '.loglanes.lock.123-abc.stale']
    symlinkSync('2026-11-20__13-00', join(dir, strays[0]!))
    writeFileSync(join(dir, strays[1]!), '{}')
    lutimesSync(join(dir, strays[0]!), old, old)
    utimesSync(join(dir, strays[1]!), old, old)
    // Recent ones may be in use, and names that are not loglanes' own stay whatever their age.
    symlinkSync('2026-11-20__13-00', join(dir, '.current.456-def.link'))
    writeFileSync(join(dir, '.current.link'), 'mine')
    utimesSync(join(dir, '.current.link'), old, old)
    const result = await runMaintenance(options(dir, { retention: { keep: 5 } }))
    expect(result.lockBusy).toBe(false)
    expect(readdirSync(dir).sort()).toEqual(['.current.456-def.link', '.current.link'])
  })

  it('8 processes logging into one dir across rollovers, with retention, gzip and the link: no line lost, torn or doubled', async () => {
    const dir = tempDir()
    const minute = Math.floor(Date.now() / MINUTE) * MINUTE
    // Twelve one-minute intervals, from 8 minutes ago to 3 minutes ahead; keep=8 deletes the oldest four.
    const firstStart = minute - 8 * MINUTE
    const [intervals, perInterval, stepMs, lateIndex, lateCount] = [12, 120, 300, 5, 25]
    const startAt = Date.now() + 1500
    const writers = Array.from({ length: 8 }, (_, id) =>
      run(process.execPath, [
        WRITER,
        dir,
        ...[id, firstStart, intervals, perInterval, stepMs, startAt, lateIndex, lateCount].map(String),
      ]),
    )
    const outputs = await Promise.all(writers)
    for (const { stderr } of outputs) expect(stderr).toBe('')

    const names = Array.from({ length: intervals }, (_, i) => utcFolder(firstStart + i * MINUTE, 1))
    expect(folderNames(dir)).toEqual(names.slice(4))
    expect(realpathSync(join(dir, 'current'))).toBe(realpathSync(join(dir, names[11]!)))
    expect(readdirSync(dir).filter((name) => name.startsWith('.'))).toEqual([])

    // What each lane of each kept folder must hold: every record of every writer, once.
    const expected = new Map<string, string[]>()
    const expect1 = (i: number, lane: string, key: string) => {
      const at = `${names[i]}/${lane}`
      expected.set(at, [...(expected.get(at) ?? []), key])
    }
    for (let id = 0; id < 8; id++) {
      for (let n = 0; n < intervals * perInterval + lateCount; n++) {
        const i = n < intervals * perInterval ? Math.floor(n / perInterval) : lateIndex
        expect1(i, n % 2 ? 'db' : 'app', `${id}:${n}`)
        expect1(i, n % 3 === 0 ? 'error' : 'info', `${id}:${n}`)
      }
    }
    const check = (includePending: boolean) => {
      let archives = 0
      for (const name of names.slice(4)) {
        const folder = join(dir, name)
        const files = readdirSync(folder)
        archives += files.filter((file) => file.endsWith('.gz')).length
        expect(files.filter((file) => file.endsWith('.tmp') || file.endsWith('.committing'))).toEqual([])
        for (const lane of ['app', 'db', 'info', 'error']) {
          const lines = laneLines(folder, lane)
          // A pass that saw a late write while compressing leaves the private copy for the next pass.
          for (const file of files.filter((f) => f.startsWith(`.${lane}.log.`) && f.endsWith('.pending'))) {
            expect(includePending).toBe(true)
            lines.push(...readFileSync(join(folder, file), 'utf8').slice(0, -1).split('\n'))
          }
          const keys = lines.map((line) => {
            const parsed = JSON.parse(line) as { id: number; n: number; domain: string; level: string }
            expect([parsed.domain, parsed.level]).toContain(lane)
            return `${parsed.id}:${parsed.n}`
          })
          expect(keys.sort()).toEqual([...(expected.get(`${name}/${lane}`) ?? [])].sort())
        }
      }
      return archives
    }
    // Some folders were compressed while the writers ran.
    expect(check(true)).toBeGreaterThan(0)
    // A last pass compresses everything that is left; nothing changes but the form.
    const last = await runMaintenance(
      resolveOptions(
        {
          dir,
          domains: ['app', 'db'],
          interval: '1m',
          timezone: 'UTC',
          retention: { keep: 8 },
          compress: 'gzip',
        },
        { levels: LEVELS },
      ),
      { now: Date.now() + HOUR },
    )
    expect(last.deleted).toEqual([])
    expect(check(false)).toBe(8 * 4)
    expect(readlinkSync(join(dir, 'current'))).toBe(names[11])
  }, 30_000)
})

describe('record times from the future (issue 16): the interval of now and the one before it are always kept', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  /** Hour folders of the given offsets from now, each with one line. */
  function hourFolders(dir: string, offsets: number[]): string[] {
    return offsets.map((offset) => {
      const name = utcFolder(hour(offset), 60)
      mkdirSync(join(dir, name), { recursive: true })
      writeFileSync(join(dir, name, 'app.log'), `${record(hour(offset), offset)}`)
      return name
    })
  }

  function retained(dir: string, keep: number) {
    return options(dir, { compress: false, symlink: true, retention: { keep } })
  }

  it(`MAX_CLOCK_SKEW_MS is ${MAX_CLOCK_SKEW_MS / MINUTE} minutes`, () => {
    expect(MAX_CLOCK_SKEW_MS).toBe(5 * MINUTE)
  })

  it('keep: 1 and the newest routed interval 2 h ahead: the link stays on now, now and the hour before stay', async () => {
    await awayFromBoundary(HOUR)
    const dir = tempDir()
    const [h3, h2, h1, h0, ahead] = hourFolders(dir, [-3, -2, -1, 0, 2])
    const result = await runMaintenance(retained(dir, 1), {
      newest: createIntervalClock(60, createZone('UTC')).intervalAt(hour(2) + 1),
    })
    expect(result.linkTarget).toBe(h0)
    expect(readlinkSync(join(dir, 'current'))).toBe(h0)
    expect(result.deleted).toEqual([h3, h2])
    // The future folder does not count toward keep, and is not deleted either: nothing says how old it is.
    expect(folderNames(dir)).toEqual([h1!, h0!, ahead!])
  })

  it('keep: 2 with folders 22 h and a week ahead: they push no real folder out, and now keeps every line', async () => {
    await awayFromBoundary(HOUR)
    const dir = tempDir()
    const [h4, h3, h2, h1, h0, day, week] = hourFolders(dir, [-4, -3, -2, -1, 0, 22, 168])
    const clock = createIntervalClock(60, createZone('UTC'))
    for (const newest of [undefined, clock.intervalAt(hour(22)), clock.intervalAt(hour(168))]) {
      const result = await runMaintenance(retained(dir, 2), { newest })
      expect(result.linkTarget).toBe(h0)
    }
    expect(folderNames(dir)).toEqual([h1!, h0!, day!, week!])
    expect(readFileSync(join(dir, h0!, 'app.log'), 'utf8')).toBe(record(hour(0), 0))
    expect([h4, h3, h2].some((name) => existsSync(join(dir, name!)))).toBe(false)
  })

  it('a record just ahead makes the next hour the active one, yet the hour before now is kept too', async () => {
    await awayFromBoundary(HOUR)
    const dir = tempDir()
    const [h2, h1, h0, next] = hourFolders(dir, [-2, -1, 0, 1])
    // Two minutes before the next hour, a record stamped 30 s into it (another host's clock, within the skew).
    const now = hour(1) - 2 * MINUTE
    const newest = createIntervalClock(60, createZone('UTC')).intervalAt(hour(1) + 30_000)
    const result = await runMaintenance(retained(dir, 1), { now, newest })
    expect(result.linkTarget).toBe(next)
    expect(result.deleted).toEqual([h2])
    expect(folderNames(dir)).toEqual([h1!, h0!, next!])
  })

  it('a record within the skew is a rollover (the link moves early), one further ahead is not', async () => {
    const dir = tempDir()
    const minute = Math.floor(Date.now() / MINUTE) * MINUTE
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(minute + 1_000)
    const r = new LaneRouter(
      resolveOptions({ dir, interval: '1m', timezone: 'UTC', symlink: true }, { levels: LEVELS }),
      { stderr: false },
    )
    const routeAt = async (time: number) => {
      r.route(time, 'info', 'app', record(time, 0))
      await r.flush()
      await r.whenMaintained()
      return readlinkSync(join(dir, 'current'))
    }
    expect(await routeAt(minute + 2_000)).toBe(utcFolder(minute, 1))
    // A record 5 minutes ahead of the clock (its interval starts within the skew): another host's clock.
    expect(await routeAt(minute + 1_000 + MAX_CLOCK_SKEW_MS)).toBe(utcFolder(minute + 5 * MINUTE, 1))
    // 6 minutes ahead: written in its folder, but the link stays.
    expect(await routeAt(minute + 6 * MINUTE + 1_000)).toBe(utcFolder(minute + 5 * MINUTE, 1))
    await r.close()
    expect(folderNames(dir)).toEqual([0, 5, 6].map((k) => utcFolder(minute + k * MINUTE, 1)))
  })

  it('a real rollover after a record 2 h ahead still runs a pass: the link moves, retention deletes', async () => {
    await awayFromBoundary(HOUR)
    const dir = tempDir()
    const now = Date.now()
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(now)
    const r = new LaneRouter(options(dir, { compress: false, symlink: true, retention: { keep: 1 } }), {
      stderr: false,
    })
    const routeAt = async (time: number, n: number) => {
      r.route(time, 'info', 'app', record(time, n))
      await r.flush()
      await r.whenMaintained()
    }
    await routeAt(now - HOUR, 0)
    await routeAt(now, 1)
    await routeAt(now + 2 * HOUR, 2)
    // Before the rollover: the hour before now is kept (keep: 1 notwithstanding), the future one too.
    expect(folderNames(dir)).toEqual([-1, 0, 2].map((k) => utcFolder(now + k * HOUR, 60)))
    expect(readlinkSync(join(dir, 'current'))).toBe(utcFolder(now, 60))
    vi.setSystemTime(now + HOUR)
    await routeAt(now + HOUR, 3)
    // The pass of the rollover: the link follows the clock, and the folder two hours old goes.
    expect(readlinkSync(join(dir, 'current'))).toBe(utcFolder(now + HOUR, 60))
    expect(folderNames(dir)).toEqual([0, 1, 2].map((k) => utcFolder(now + k * HOUR, 60)))
    await r.close()
    expect(laneLines(join(dir, utcFolder(now, 60)), 'app')).toHaveLength(1)
  })
})

describe('retention.maxTotalSize (issue 17): the interval folders are kept under a budget, oldest deleted first', () => {
  /** Hour folders of the given offsets from now, each with `bytes` split over app.log, db.1.log and db.log.gz. */
  function sizedFolders(dir: string, offsets: number[], bytes = 1000): string[] {
    return offsets.map((offset) => {
      const name = utcFolder(hour(offset), 60)
      mkdirSync(join(dir, name), { recursive: true })
      writeFileSync(join(dir, name, 'app.log'), 'a'.repeat(bytes / 2 - 1).concat('\n'))
      writeFileSync(join(dir, name, 'db.1.log'), 'd'.repeat(bytes / 4 - 1).concat('\n'))
      writeFileSync(join(dir, name, 'db.log.gz'), Buffer.alloc(bytes / 4))
      return name
    })
  }

  function budgeted(dir: string, maxTotalSize: number | string, extra: LanesOptions = {}) {
    return options(dir, { compress: false, retention: { maxTotalSize }, ...extra })
  }

  it('12 folders of 1,000 bytes under 5,000: the 7 oldest go, links in a folder count nothing', async () => {
    await awayFromBoundary(HOUR)
    const dir = tempDir()
    const names = sizedFolders(dir, [-11, -10, -9, -8, -7, -6, -5, -4, -3, -2, -1, 0])
    // A link to a 1 MB file outside, in the oldest folder kept: lstat sees a link, the target counts nothing.
    const outside = join(tempDir(), 'big.bin')
    writeFileSync(outside, Buffer.alloc(1024 * 1024))
    symlinkSync(outside, join(dir, names[7]!, 'web.log'))
    const errors: MaintenanceErrorEvent[] = []
    const result = await runMaintenance(budgeted(dir, 5000), { onError: (event) => errors.push(event) })
    expect(result.deleted).toEqual(names.slice(0, 7))
    expect(folderNames(dir)).toEqual(names.slice(7))
    expect(errors).toEqual([])
    expect(readFileSync(outside)).toHaveLength(1024 * 1024)
    // 5,000 bytes left: the budget holds, a second pass deletes nothing.
    expect((await runMaintenance(budgeted(dir, 5000))).deleted).toEqual([])
    // '4KB' is 4,096 bytes: one more folder goes.
    expect((await runMaintenance(budgeted(dir, '4KB'))).deleted).toEqual([names[7]])
  })

  it('wins over keep and maxAge: keep 10 and maxAge 7d still leave 3 folders under 3,000 bytes', async () => {
    await awayFromBoundary(HOUR)
    const dir = tempDir()
    const names = sizedFolders(dir, [-5, -4, -3, -2, -1, 0])
    const result = await runMaintenance(
      options(dir, { compress: false, retention: { keep: 10, maxAge: '7d', maxTotalSize: 3000 } }),
    )
    expect(result.deleted).toEqual(names.slice(0, 3))
    expect(folderNames(dir)).toEqual(names.slice(3))
  })

  it('the folder of now and the one before alone over the budget: every other goes, they stay, reported each pass', async () => {
    await awayFromBoundary(HOUR)
    const dir = tempDir()
    const past = sizedFolders(dir, [-4, -3, -2], 400)
    const kept = sizedFolders(dir, [-1, 0], 4000)
    const errors: MaintenanceErrorEvent[] = []
    const onError = (event: MaintenanceErrorEvent) => errors.push(event)
    expect((await runMaintenance(budgeted(dir, 6000), { onError })).deleted).toEqual(past)
    expect(folderNames(dir)).toEqual(kept)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ step: 'retention', path: dir, error: { code: 'EFBIG' } })
    expect(errors[0]!.error.message).toContain('hold 8000 bytes, over retention.maxTotalSize (6000 bytes)')
    // Retried on the next pass: still over, reported again (the router says it once, see below).
    expect((await runMaintenance(budgeted(dir, 6000), { onError })).deleted).toEqual([])
    expect(errors).toHaveLength(2)
    expect(readFileSync(join(dir, kept[1]!, 'app.log'))).toHaveLength(2000)
  })

  it('through the router: 8 past hours of 50 records, then now and the hour before: the budget holds at each rollover, over-budget reported once', async () => {
    await awayFromBoundary(HOUR)
    const dir = tempDir()
    const r = new LaneRouter(budgeted(dir, '16KB'), { stderr: false })
    const events: MaintenanceErrorEvent[] = []
    r.on('maintenanceError', (event) => events.push(event))
    const line = (time: number, n: number) => `${JSON.stringify({ time, n, pad: 'x'.repeat(60) })}\n`
    const lineBytes = line(hour(0), 10).length
    const routeHour = async (offset: number, records: number) => {
      for (let n = 0; n < records; n++)
        r.route(hour(offset) + n, 'info', 'app', line(hour(offset) + n, n + 10))
      await r.flush()
      await r.whenMaintained()
    }
    for (let offset = -10; offset <= -3; offset++) {
      await routeHour(offset, 50)
      const bytes = folderNames(dir).length * 50 * lineBytes
      expect(bytes).toBeLessThanOrEqual(16 * 1024)
    }
    // 16 KiB holds 3 folders of 50 lines (about 4.9 KB each) but not 4.
    expect(folderNames(dir)).toEqual([-5, -4, -3].map((k) => utcFolder(hour(k), 60)))
    expect(events).toEqual([])
    // Now and the hour before, 200 lines each: over the budget alone; every past folder goes.
    await routeHour(-1, 200)
    await routeHour(0, 200)
    await r.close()
    expect(folderNames(dir)).toEqual([-1, 0].map((k) => utcFolder(hour(k), 60)))
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ step: 'retention', error: { code: 'EFBIG' } })
    expect(laneLines(join(dir, utcFolder(hour(0), 60)), 'app')).toHaveLength(200)
  })
})

describe('retention.lanes (issue 17): lanes with their own maxAge, shorter and longer than the folder-wide one', () => {
  const LANES: LanesOptions = {
    compress: false,
    domains: ['app', 'audit', 'debug'],
    retention: { maxAge: '4h', lanes: { debug: { maxAge: '2h' }, audit: { maxAge: '7h' } } },
  }
  const hours = [-8, -7, -6, -5, -4, -3, -2, -1, 0]

  /** What each folder of hours -8 … 0 holds once retention ran (folder-wide 4h, debug 2h, audit 7h). */
  function expectRetained(dir: string, debugFiles: string[]): void {
    const [, h7, h6, h5, h4, h3, h2, h1, h0] = hours.map((k) => utcFolder(hour(k), 60))
    // Hour -8 ended more than 7 h ago: gone whole. -7 … -5: past the 4 h rule, audit alone stays.
    expect(folderNames(dir)).toEqual([h7, h6, h5, h4, h3, h2, h1, h0])
    for (const name of [h7, h6, h5]) expect(readdirSync(join(dir, name!))).toEqual(['audit.log'])
    // -4 and -3: within 4 h, but debug (2 h) is gone, every part and archive of it.
    for (const name of [h4, h3])
      expect(readdirSync(join(dir, name!)).sort()).toEqual(['app.log', 'audit.log'])
    for (const name of [h2, h1, h0])
      expect(readdirSync(join(dir, name!)).sort()).toEqual(['app.log', 'audit.log', ...debugFiles])
  }

  it('through runMaintenance: debug goes from folders over 2 h old, audit stays alone in those the 4 h rule deletes', async () => {
    await awayFromBoundary(HOUR)
    const dir = tempDir()
    const outside = join(tempDir(), 'target.log')
    writeFileSync(outside, 'not loglanes\n')
    for (const k of hours) {
      const folder = join(dir, utcFolder(hour(k), 60))
      mkdirSync(folder, { recursive: true })
      for (const file of ['app.log', 'audit.log', 'debug.log', 'debug.1.log', 'debug.2.log.gz'])
        writeFileSync(join(folder, file), `${record(hour(k), k)}`)
    }
    // A link named like a debug part: removed with debug's files, its target left alone.
    symlinkSync(outside, join(dir, utcFolder(hour(-3), 60), 'debug.3.log'))
    const errors: MaintenanceErrorEvent[] = []
    const result = await runMaintenance(options(dir, LANES), { onError: (event) => errors.push(event) })
    expect(errors).toEqual([])
    expect(result.deleted).toEqual([utcFolder(hour(-8), 60)])
    // 3 folders keep audit alone (4 files each go), 2 lose debug (3 files each, and the link in one).
    expect(result.deletedFiles).toHaveLength(3 * 4 + 2 * 3 + 1)
    expectRetained(dir, ['debug.1.log', 'debug.2.log.gz', 'debug.log'])
    expect(readFileSync(outside, 'utf8')).toBe('not loglanes\n')
  })

  it('through the router: records of app, audit and debug over 9 hours, retention at each rollover', async () => {
    await awayFromBoundary(HOUR)
    const dir = tempDir()
    const r = new LaneRouter(options(dir, LANES), { stderr: false })
    for (const k of hours) {
      for (const domain of ['app', 'audit', 'debug'])
        for (let n = 0; n < 10; n++) r.route(hour(k) + n, 'info', domain, record(hour(k) + n, n))
      await r.flush()
      await r.whenMaintained()
    }
    await r.close()
    expectRetained(dir, ['debug.log'])
    expect(laneLines(join(dir, utcFolder(hour(-7), 60)), 'audit')).toHaveLength(10)
    expect(laneLines(join(dir, utcFolder(hour(-2), 60)), 'debug')).toHaveLength(10)
  })

  it('maxTotalSize wins over a longer lane age: the oldest folders go whole, audit included', async () => {
    await awayFromBoundary(HOUR)
    const dir = tempDir()
    for (const k of hours) {
      const folder = join(dir, utcFolder(hour(k), 60))
      mkdirSync(folder, { recursive: true })
      for (const file of ['app.log', 'audit.log', 'debug.log'])
        writeFileSync(join(folder, file), 'x'.repeat(99).concat('\n'))
    }
    const retention = { maxAge: '4h', maxTotalSize: 1000, lanes: { audit: { maxAge: '7h' } } }
    const result = await runMaintenance(options(dir, { ...LANES, retention }))
    // After the ages: -7 … -5 hold audit alone (100 bytes each), -4 … 0 300 bytes each: 1,800. Under 1,000: the
    // 3 audit-only folders and 2 more go; -2, -1 and 0 (900 bytes) stay.
    expect(result.deleted).toEqual([-8, -7, -6, -5, -4, -3].map((k) => utcFolder(hour(k), 60)))
    expect(folderNames(dir)).toEqual([-2, -1, 0].map((k) => utcFolder(hour(k), 60)))
  })
})
