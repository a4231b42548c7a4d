// Issue 15: a hostile log folder. Whatever another account plants in `dir` (links, FIFOs, sockets, folders, hard
// links, other users' files, a forged lock), loglanes follows, reads, blocks on and writes nothing of it: every
// case runs in a child process through pino (worker thread), winston and the facade, and checks the victims
// byte for byte, the other lanes' exact records, the reports and how long the process took to end.
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import {
  chmodSync,
  chownSync,
  closeSync,
  linkSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { createServer } from 'node:net'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  archivesHolding,
  IS_ROOT,
  largestFile,
  mkfifo,
  NOBODY,
  peakRssMB,
  SETPRIV,
  type Snapshot,
  snapshot,
} from '../support/attacker.js'
import { readLines, tempDir, waitFor } from '../support/files.js'
import {
  ageFiles,
  awayFromBoundary,
  folderNames,
  gunzipLines,
  HOUR,
  utcFolder,
} from '../support/maintenance.js'

const FIXTURE = join(import.meta.dirname, 'fixtures/hostileFolder.mjs')
const ENTRIES = ['pino', 'winston', 'facade'] as const
type Entry = (typeof ENTRIES)[number]
/** Records per run, alternating between the two domains (`seq` even: the first). */
const COUNT = 400
/** A child still running after this is killed (and fails its test). */
const CHILD_TIMEOUT_MS = 20_000
/** Every run must end (from spawn to exit) within this. */
const ENDS_WITHIN_MS = 10_000
/** Safety stops, so a defect cannot fill the disk or the memory of a shared machine. */
const KILL_FILE_BYTES = 32 * 1024 * 1024
const KILL_RSS_MB = 1_500
/** What "no file grows beyond a few KB" means here: the real lane files made by hand are about 6 KB. */
const FEW_KB = 16 * 1024
const PEAK_RSS_LIMIT_MB = 200

/** What the fixture saw (see fixtures/hostileFolder.mjs). */
interface Outcome {
  readonly laneErrors: { lane: string; path: string; at: number }[]
  readonly recovered: { lane: string; path: string }[]
  readonly dropped: { lane: string; path: string; n: number }[]
  readonly maintenanceErrors: { step: string; path: string }[]
  readonly errors: string[]
  readonly midwayAt?: number
  readonly waited?: number
  readonly recoveredAfterMs?: number
  readonly endMs?: number
  readonly maxRssMB?: number
  readonly minutes?: string[]
  readonly attackError?: string
}

interface Run {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  /** From spawn to exit. */
  readonly durationMs: number
  readonly stderr: string
  readonly outcome: Outcome
  /** The child's peak RSS: its own figure at the end, or what was sampled before it was killed. */
  readonly peakRssMB: number
  /** The largest regular file seen under the watched folder while the child ran. */
  readonly largestFileBytes: number
  readonly killedFor?: string
}

interface Plan {
  readonly entry: Entry
  readonly options: Record<string, unknown>
  readonly count: number
  readonly midway?: { remove?: string[]; attack?: string; atStart?: boolean; pauseMs?: number }
  readonly waitFor?: {
    exists?: string[]
    gone?: string[]
    lines?: { path: string; count: number }[]
    timeoutMs: number
  }
  readonly settleMs?: number
}

/** Runs the fixture, sampling its peak RSS and the largest file under `watch` every 50 ms. */
function runFixture(plan: Plan, watch?: string): Promise<Run> {
  return new Promise((resolve) => {
    const started = performance.now()
    const child: ChildProcess = spawn(process.execPath, [FIXTURE, JSON.stringify(plan)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout!.on('data', (chunk) => (stdout += chunk))
    child.stderr!.on('data', (chunk) => (stderr += chunk))
    let peak = 0
    let largest = 0
    let killedFor: string | undefined
    const kill = (why: string) => {
      if (killedFor === undefined) killedFor = why
      child.kill('SIGKILL')
    }
    const sampler = setInterval(() => {
      peak = Math.max(peak, peakRssMB(child.pid!) ?? 0)
      if (watch !== undefined) largest = Math.max(largest, largestFile(watch))
      if (largest > KILL_FILE_BYTES) kill(`a file under ${watch} grew past ${KILL_FILE_BYTES} bytes`)
      if (peak > KILL_RSS_MB) kill(`RSS grew past ${KILL_RSS_MB} MB`)
    }, 50)
    const timer = setTimeout(() => kill(`still running after ${CHILD_TIMEOUT_MS} ms`), CHILD_TIMEOUT_MS)
    child.on('close', (code, signal) => {
      clearInterval(sampler)
      clearTimeout(timer)
      if (watch !== undefined) largest = Math.max(largest, largestFile(watch))
      const last = stdout.trim().split('\n').at(-1) ?? ''
      const outcome: Outcome = last.startsWith('{')
        ? JSON.parse(last)
        : { laneErrors: [], recovered: [], dropped: [], maintenanceErrors: [], errors: [] }
      resolve({
        code,
        signal,
        durationMs: performance.now() - started,
        stderr,
        outcome,
        peakRssMB: Math.max(peak, outcome.maxRssMB ?? 0),
        largestFileBytes: largest,
        killedFor,
      })
    })
  })
}

/** The run ended by itself, normally (not killed by the timeout or a safety stop). */
function expectEnded(run: Run): void {
  expect(run.killedFor, run.stderr).toBeUndefined()
  expect(run.code, run.stderr).toBe(0)
  expect(run.outcome.errors).toEqual([])
}

/** The run ended by itself, normally, within seconds. */
function expectEndsInTime(run: Run): void {
  expectEnded(run)
  expect(run.durationMs).toBeLessThan(ENDS_WITHIN_MS)
}

/** loglanes' own stderr lines. */
function diagnostics(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('loglanes:'))
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * The one report of a failing lane: the path, what was found there (`reason`, a word starting there: "2 hard links"
 * names a hard link), kept and retried.
 */
function cannotWrite(lane: string, path: string, reason: string): RegExp {
  return cannotWriteAt(lane, escapeRegExp(path), reason)
}

/** {@link cannotWrite} for a path given as a pattern. */
function cannotWriteAt(lane: string, pathPattern: string, reason: string): RegExp {
  return new RegExp(
    `^loglanes: lane "${lane}" cannot write ${pathPattern}: .*\\b${reason}.*; its records are kept and retried$`,
  )
}

/** The path of a lane whose interval folder is planted: the folder's, or the lane file's in it. */
function inFolder(folder: string, lane: string): string {
  return `${escapeRegExp(folder)}(?:/${lane}\\.log)?`
}

function lostLine(lane: string, records: number, path: string): string {
  return `loglanes: lane "${lane}" lost ${records} record(s) (could not be written before close): ${path}`
}

function recoveredLine(lane: string, path: string): string {
  return `loglanes: lane "${lane}" recovered: writing ${path} again`
}

/** The `seq` of every line of a lane file, in file order. */
function seqs(path: string): number[] {
  return readLines(path).map((line) => JSON.parse(line).seq as number)
}

/** The sequence numbers of one domain: `parity` 0 for the first domain, 1 for the second. */
function expectedSeqs(parity: 0 | 1, count = COUNT): number[] {
  return Array.from({ length: count }, (_, seq) => seq).filter((seq) => seq % 2 === parity)
}

/** Where a process sleeps in the kernel (Linux `wchan`), empty once it is gone. */
function kernelWait(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/wchan`, 'utf8')
  } catch {
    return ''
  }
}

/** A fresh `dir` (`<base>/logs`) and a folder beside it for the victims (`<base>/outside`). */
function folders(): { base: string; dir: string; outside: string } {
  const base = tempDir('loglanes-hostile-')
  const dir = join(base, 'logs')
  const outside = join(base, 'outside')
  mkdirSync(dir)
  mkdirSync(outside)
  return { base, dir, outside }
}

function snapshots(paths: readonly string[]): (Snapshot | undefined)[] {
  return paths.map((path) => snapshot(path))
}

function hourStart(offset: number): number {
  return Math.floor(Date.now() / HOUR) * HOUR + offset * HOUR
}

/** A lane file made by hand: `lines` records of `lane` like the ones the entry points write. */
function laneText(lane: string, lines: number): string {
  let text = ''
  for (let seq = 0; seq < lines; seq++)
    text += `{"level":30,"domain":"${lane}","seq":${seq},"msg":"by hand"}\n`
  return text
}

// ---------------------------------------------------------------------------------------------------------------
// A lane file planted in dir.

/** What a case planted: the entry itself, what it points at (checked byte for byte), and how to clean up. */
interface Planted {
  /** Outside `dir`: must be exactly as before, whatever happened to the planted entry. */
  readonly victims: string[]
  /** The planted entry: left exactly as it was (not moved, renamed, read or written) while it stays. */
  readonly entry: string
  after?(): void | Promise<void>
}

interface LaneCase {
  readonly name: string
  /** The word the report must use for what was found. */
  readonly reason: string
  readonly needsRoot?: boolean
  plant(lane: string, outside: string): Promise<Planted>
}

const LANE_CASES: readonly LaneCase[] = [
  {
    name: 'a symbolic link to a root-only 0600 file outside dir',
    reason: 'symbolic link',
    async plant(lane, outside) {
      const secret = join(outside, 'secret.txt')
      writeFileSync(secret, 'root only\n', { mode: 0o600 })
      symlinkSync(secret, lane)
      return { victims: [secret], entry: lane }
    },
  },
  {
    name: 'a symbolic link to a folder',
    reason: 'symbolic link',
    async plant(lane, outside) {
      const folder = join(outside, 'folder')
      mkdirSync(folder)
      writeFileSync(join(folder, 'keep.txt'), 'keep\n')
      symlinkSync(folder, lane)
      return { victims: [outside], entry: lane }
    },
  },
  {
    name: 'a dangling symbolic link',
    reason: 'symbolic link',
    async plant(lane, outside) {
      // Its target must never be created.
      symlinkSync(join(outside, 'chosen.log'), lane)
      return { victims: [outside], entry: lane }
    },
  },
  {
    name: 'a FIFO with no reader',
    reason: 'FIFO',
    async plant(lane) {
      mkfifo(lane)
      return { victims: [], entry: lane }
    },
  },
  {
    name: 'a FIFO with a reader attached (a cat that would swallow the records)',
    reason: 'FIFO',
    async plant(lane, outside) {
      mkfifo(lane)
      const swallowed = join(outside, 'swallowed')
      const fd = openSync(swallowed, 'w')
      const cat = spawn('cat', [lane], { stdio: ['ignore', fd, 'ignore'] })
      closeSync(fd)
      // Wait until cat sits in its open(2) of the FIFO, waiting for a writer: from then on a writer's open succeeds.
      await waitFor(() => kernelWait(cat.pid!) === 'wait_for_partner', 5_000, 'cat waiting on the FIFO')
      return {
        victims: [swallowed],
        entry: lane,
        after: () => {
          if (cat.exitCode === null && cat.signalCode === null) cat.kill()
        },
      }
    },
  },
  {
    name: 'a folder',
    reason: 'folder',
    async plant(lane) {
      mkdirSync(lane)
      writeFileSync(join(lane, 'keep.txt'), 'keep\n')
      return { victims: [], entry: lane }
    },
  },
  {
    name: 'a Unix socket with a server listening',
    reason: 'socket',
    async plant(lane) {
      let connections = 0
      const server = createServer(() => connections++)
      await new Promise<void>((resolve) => server.listen(lane, resolve))
      return {
        victims: [],
        entry: lane,
        after: async () => {
          await new Promise((resolve) => server.close(resolve))
          expect(connections).toBe(0)
        },
      }
    },
  },
  {
    name: 'a hard link to a file outside dir',
    reason: 'hard link',
    async plant(lane, outside) {
      const file = join(outside, 'hard.txt')
      writeFileSync(file, 'not a log\n', { mode: 0o600 })
      linkSync(file, lane)
      return { victims: [file], entry: lane }
    },
  },
  {
    name: 'a regular file owned by uid 65534',
    reason: 'another user',
    needsRoot: true,
    async plant(lane) {
      writeFileSync(lane, 'theirs\n', { mode: 0o666 })
      chownSync(lane, NOBODY, NOBODY)
      return { victims: [], entry: lane }
    },
  },
]

/** Lane files directly in `dir`: the lane `db` is the planted one, `app` must be unaffected. */
function laneOptions(dir: string): Record<string, unknown> {
  return { dir, domains: ['app', 'db'], levelFiles: false, interval: 'none', timezone: 'UTC' }
}

describe.concurrent('a lane file planted in dir (interval none), there until close', () => {
  for (const laneCase of LANE_CASES) {
    it.skipIf(laneCase.needsRoot === true && !IS_ROOT).each(ENTRIES)(
      `%s: ${laneCase.name}: untouched, the other lane complete, one report, the lost records counted`,
      async (entry) => {
        const { dir, outside } = folders()
        const lane = join(dir, 'db.log')
        const planted = await laneCase.plant(lane, outside)
        const watched = [...planted.victims, planted.entry]
        const before = snapshots(watched)
        try {
          const run = await runFixture({ entry, options: laneOptions(dir), count: COUNT })
          expectEndsInTime(run)
          expect(seqs(join(dir, 'app.log'))).toEqual(expectedSeqs(0))
          expect(snapshots(watched)).toEqual(before)
          const reports = diagnostics(run.stderr)
          expect(reports).toHaveLength(2)
          expect(reports[0]).toMatch(cannotWrite('db', lane, laneCase.reason))
          expect(reports[1]).toBe(lostLine('db', COUNT / 2, lane))
          if (entry === 'winston') {
            expect(run.outcome.laneErrors.map(({ lane, path }) => [lane, path])).toEqual([['db', lane]])
            expect(run.outcome.dropped.map(({ lane, n }) => [lane, n])).toEqual([['db', COUNT / 2]])
          }
        } finally {
          await planted.after?.()
        }
      },
    )
  }
})

/** One representative case per entry point, for the recovery once the planted entry is removed. */
const RECOVERY: readonly (readonly [Entry, string])[] = [
  ['pino', 'a symbolic link to a root-only 0600 file outside dir'],
  ['winston', 'a FIFO with a reader attached (a cat that would swallow the records)'],
  ['facade', 'a hard link to a file outside dir'],
]

describe.concurrent('a lane file planted in dir, removed mid-run', () => {
  it.each(RECOVERY)(
    '%s: %s: the lane recovers within ~2 s and holds every record, in order, none twice',
    async (entry, name) => {
      const laneCase = LANE_CASES.find((candidate) => candidate.name === name)!
      const { dir, outside } = folders()
      const lane = join(dir, 'db.log')
      const planted = await laneCase.plant(lane, outside)
      const before = snapshots(planted.victims)
      try {
        const run = await runFixture({
          entry,
          options: laneOptions(dir),
          count: COUNT,
          midway: { remove: [lane] },
          waitFor: { lines: [{ path: lane, count: COUNT / 2 }], timeoutMs: 4_000 },
        })
        expectEndsInTime(run)
        expect(run.outcome.recoveredAfterMs).toBeGreaterThanOrEqual(0)
        expect(run.outcome.recoveredAfterMs).toBeLessThan(3_000)
        expect(seqs(join(dir, 'app.log'))).toEqual(expectedSeqs(0))
        expect(seqs(lane)).toEqual(expectedSeqs(1))
        expect(snapshots(planted.victims)).toEqual(before)
        const reports = diagnostics(run.stderr)
        expect(reports).toHaveLength(2)
        expect(reports[0]).toMatch(cannotWrite('db', lane, laneCase.reason))
        expect(reports[1]).toBe(recoveredLine('db', lane))
        if (entry === 'winston') {
          expect(run.outcome.laneErrors).toHaveLength(1)
          expect(run.outcome.recovered.map(({ lane }) => lane)).toEqual(['db'])
          expect(run.outcome.dropped).toEqual([])
        }
      } finally {
        await planted.after?.()
      }
    },
  )
})

// ---------------------------------------------------------------------------------------------------------------
// An interval folder planted in dir.

function hourOptions(dir: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { dir, domains: ['app', 'db'], levelFiles: false, interval: '1h', timezone: 'UTC', ...extra }
}

describe.concurrent('the interval folder of now planted in dir (interval 1h, UTC)', () => {
  it.each(ENTRIES)(
    '%s: a symbolic link to another folder: nothing is created there; both lanes fail, are reported once, and their records are counted as lost',
    async (entry) => {
      await awayFromBoundary(HOUR, 15_000)
      const { dir, outside } = folders()
      const name = utcFolder(Date.now(), 60)
      const link = join(dir, name)
      mkdirSync(join(outside, 'elsewhere'))
      symlinkSync(join(outside, 'elsewhere'), link)
      const before = snapshots([outside, link])
      const run = await runFixture({ entry, options: hourOptions(dir), count: COUNT })
      expectEndsInTime(run)
      expect(snapshots([outside, link])).toEqual(before)
      const reports = diagnostics(run.stderr).sort()
      expect(reports).toHaveLength(4)
      expect(reports[0]).toMatch(cannotWriteAt('app', inFolder(link, 'app'), 'symbolic link'))
      expect(reports[1]).toMatch(new RegExp(`^loglanes: lane "app" lost ${COUNT / 2} record\\(s\\) `))
      expect(reports[2]).toMatch(cannotWriteAt('db', inFolder(link, 'db'), 'symbolic link'))
      expect(reports[3]).toMatch(new RegExp(`^loglanes: lane "db" lost ${COUNT / 2} record\\(s\\) `))
      if (entry === 'winston') {
        expect(run.outcome.laneErrors.map(({ lane }) => lane).sort()).toEqual(['app', 'db'])
      }
    },
  )

  it.each(ENTRIES)(
    '%s: a regular file: reported at the first failure, records kept and retried, all written once it is removed',
    async (entry) => {
      await awayFromBoundary(HOUR, 15_000)
      const { dir } = folders()
      const name = utcFolder(Date.now(), 60)
      const folder = join(dir, name)
      writeFileSync(folder, 'not a folder\n')
      const run = await runFixture({
        entry,
        options: hourOptions(dir),
        count: COUNT,
        midway: { remove: [folder] },
        waitFor: {
          lines: [
            { path: join(folder, 'app.log'), count: COUNT / 2 },
            { path: join(folder, 'db.log'), count: COUNT / 2 },
          ],
          timeoutMs: 4_000,
        },
      })
      expectEndsInTime(run)
      expect(seqs(join(folder, 'app.log'))).toEqual(expectedSeqs(0))
      expect(seqs(join(folder, 'db.log'))).toEqual(expectedSeqs(1))
      // Reported while it happened, before the file was removed: not only at close.
      const [early, late] = run.stderr.split('MARK midway\n') as [string, string]
      const reported = diagnostics(early).sort()
      expect(reported).toHaveLength(2)
      expect(reported[0]).toMatch(cannotWriteAt('app', inFolder(folder, 'app'), 'not a folder'))
      expect(reported[1]).toMatch(cannotWriteAt('db', inFolder(folder, 'db'), 'not a folder'))
      expect(diagnostics(late).sort()).toEqual([
        recoveredLine('app', join(folder, 'app.log')),
        recoveredLine('db', join(folder, 'db.log')),
      ])
      if (entry === 'winston') {
        expect(run.outcome.laneErrors).toHaveLength(2)
        for (const event of run.outcome.laneErrors) expect(event.at).toBeLessThan(run.outcome.midwayAt!)
        expect(run.outcome.dropped).toEqual([])
      }
    },
  )
})

// ---------------------------------------------------------------------------------------------------------------
// Compression of a closed folder holding a planted lane file.

interface CompressCase {
  readonly name: string
  plant(path: string, outside: string): { victims: string[]; secret?: string }
}

const COMPRESS_CASES: readonly CompressCase[] = [
  {
    name: 'a link to a root-only 0640 secret: no archive holds its text',
    plant(path, outside) {
      const secret = `SECRET-${randomBytes(8).toString('hex')}`
      const file = join(outside, 'secret.txt')
      writeFileSync(file, `${secret}\n`, { mode: 0o640 })
      symlinkSync(file, path)
      return { victims: [file], secret }
    },
  },
  {
    name: 'a FIFO: the pass finishes and end resolves within seconds',
    plant(path) {
      mkfifo(path)
      return { victims: [] }
    },
  },
  {
    name: 'a link to /dev/urandom: no file under dir grows beyond a few KB',
    plant(path) {
      symlinkSync('/dev/urandom', path)
      return { victims: [] }
    },
  },
]

describe.concurrent('compression (gzip) of a closed folder whose db.log is planted', () => {
  for (const compressCase of COMPRESS_CASES) {
    it.each(ENTRIES)(
      `%s: ${compressCase.name}; it keeps its name, is reported once, and the real lanes are compressed`,
      async (entry) => {
        const { dir, outside } = folders()
        const past = join(dir, utcFolder(hourStart(-3), 60))
        mkdirSync(past)
        const real = { app: laneText('app', 100), web: laneText('web', 100) }
        writeFileSync(join(past, 'app.log'), real.app)
        writeFileSync(join(past, 'web.log'), real.web)
        const planted = join(past, 'db.log')
        const { victims, secret } = compressCase.plant(planted, outside)
        // Everything an hour old, the planted entry and what it points at included: quiet enough to compress.
        ageFiles(dir, HOUR)
        const anHourAgo = new Date(Date.now() - HOUR)
        lutimesSync(planted, anHourAgo, anHourAgo)
        for (const victim of victims) utimesSync(victim, anHourAgo, anHourAgo)
        const before = snapshots([...victims, planted])
        const run = await runFixture(
          {
            entry,
            options: hourOptions(dir, { domains: ['app', 'db', 'web'], compress: 'gzip' }),
            count: 20,
            waitFor: {
              exists: [join(past, 'app.log.gz'), join(past, 'web.log.gz')],
              gone: [join(past, 'app.log'), join(past, 'web.log')],
              timeoutMs: 8_000,
            },
          },
          dir,
        )
        expectEnded(run)
        expect(run.largestFileBytes).toBeLessThan(FEW_KB)
        expect(run.outcome.waited, 'the real lanes compressed within 8 s').toBeGreaterThanOrEqual(0)
        expect(run.outcome.endMs).toBeLessThan(5_000)
        expect(run.durationMs).toBeLessThan(ENDS_WITHIN_MS)
        expect(readdirSync(past).sort()).toEqual(['app.log.gz', 'db.log', 'web.log.gz'])
        expect(snapshots([...victims, planted])).toEqual(before)
        expect(gunzipLines(join(past, 'app.log.gz'))).toEqual(readLinesOf(real.app))
        expect(gunzipLines(join(past, 'web.log.gz'))).toEqual(readLinesOf(real.web))
        if (secret !== undefined) expect(archivesHolding(dir, secret)).toEqual([])
        const reports = diagnostics(run.stderr)
        expect(reports).toHaveLength(1)
        expect(reports[0]!.startsWith(`loglanes: cannot compress ${planted}`)).toBe(true)
        if (entry === 'winston') {
          expect(run.outcome.maintenanceErrors.map(({ step, path }) => [step, path])).toEqual([
            ['compress', planted],
          ])
        }
      },
    )
  }
})

function readLinesOf(text: string): string[] {
  return text.slice(0, -1).split('\n')
}

// ---------------------------------------------------------------------------------------------------------------
// A planted maintenance lock.

interface LockCase {
  readonly name: string
  readonly needsRoot?: boolean
  plant(lock: string): void
}

const LOCK_CASES: readonly LockCase[] = [
  { name: 'a FIFO', plant: (lock) => mkfifo(lock) },
  { name: 'a symbolic link to /dev/zero', plant: (lock) => symlinkSync('/dev/zero', lock) },
  {
    name: 'a folder with a file in it',
    plant(lock) {
      mkdirSync(lock)
      writeFileSync(join(lock, 'owner'), `${JSON.stringify({ pid: 1, host: hostname(), token: 'x' })}\n`)
    },
  },
  {
    name: 'a fresh file naming pid 1 (alive) owned by uid 65534',
    needsRoot: true,
    plant(lock) {
      const owner = { pid: 1, host: hostname(), token: 'planted', time: Date.now() }
      writeFileSync(lock, `${JSON.stringify(owner)}\n`)
      chownSync(lock, NOBODY, NOBODY)
    },
  },
  { name: '10 MB of garbage', plant: (lock) => writeFileSync(lock, randomBytes(10 * 1024 * 1024)) },
  {
    // Deeper than retention empties: what is moved aside cannot be removed, yet the lock's name is free.
    name: 'a folder nested 12 deep',
    plant: (lock) => mkdirSync(join(lock, ...'abcdefghijkl'), { recursive: true }),
  },
]

describe.concurrent('the lock .loglanes.lock planted (retention keep 1, five old folders)', () => {
  for (const lockCase of LOCK_CASES) {
    it.skipIf(lockCase.needsRoot === true && !IS_ROOT).each(ENTRIES)(
      `%s: ${lockCase.name}: the first pass still deletes them (the folder of now and the one before remain), the process ends within seconds, peak RSS < ${PEAK_RSS_LIMIT_MB} MB`,
      async (entry) => {
        await awayFromBoundary(HOUR, 15_000)
        const { dir } = folders()
        const old = [-5, -4, -3, -2, -1].map((k) => utcFolder(hourStart(k), 60))
        for (const name of old) {
          mkdirSync(join(dir, name))
          writeFileSync(join(dir, name, 'app.log'), laneText('app', 1))
        }
        lockCase.plant(join(dir, '.loglanes.lock'))
        const now = utcFolder(Date.now(), 60)
        const run = await runFixture({
          entry,
          options: hourOptions(dir, { retention: { keep: 1 } }),
          count: 20,
          waitFor: { gone: old.slice(0, 4).map((name) => join(dir, name)), timeoutMs: 8_000 },
        })
        expectEnded(run)
        expect(run.peakRssMB).toBeLessThan(PEAK_RSS_LIMIT_MB)
        expect(run.outcome.waited, 'retention ran within 8 s').toBeGreaterThanOrEqual(0)
        expect(folderNames(dir)).toEqual([old[4], now])
        expect(run.durationMs).toBeLessThan(ENDS_WITHIN_MS)
        expect(seqs(join(dir, now, 'app.log'))).toEqual(expectedSeqs(0, 20))
        expect(seqs(join(dir, now, 'db.log'))).toEqual(expectedSeqs(1, 20))
      },
    )
  }
})

// ---------------------------------------------------------------------------------------------------------------
// Retention and the current link.

describe('retention of an old folder someone filled with 150,000 files', () => {
  it('winston: endLogger waits for it at most about 2 s more; the rest goes on a later pass', async () => {
    await awayFromBoundary(HOUR, 15_000)
    const { dir } = folders()
    const old = utcFolder(hourStart(-5), 60)
    mkdirSync(join(dir, old))
    // Made in one child process: 150,000 writeFileSync calls in a shell loop would take far longer.
    const made = Date.now()
    await new Promise<void>((resolve, reject) =>
      spawn(process.execPath, [
        '-e',
        `const fs=require('fs');for(let i=0;i<150000;i++)fs.closeSync(fs.openSync(${JSON.stringify(join(dir, old))}+'/f'+i,'w'))`,
      ]).once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`)))),
    )
    const madeMs = Date.now() - made
    const run = await runFixture({
      entry: 'winston',
      options: hourOptions(dir, { retention: { keep: 1 } }),
      count: 20,
    })
    expectEnded(run)
    // Deleting them all takes about as long as making them (over 2 s here); the close waits 2 s of it at most.
    expect(madeMs).toBeGreaterThan(1_000)
    expect(run.outcome.endMs).toBeLessThan(4_000)
    expect(readdirSync(join(dir, old)).length).toBeGreaterThan(0)
    expect(readdirSync(join(dir, old)).length).toBeLessThan(150_000)
  })
})

describe.concurrent('retention and the current link among planted entries', () => {
  it.each(ENTRIES)(
    '%s: an old folder holding links to an outside folder and file is deleted, the targets intact; a link named like an old folder stays, its target intact',
    async (entry) => {
      await awayFromBoundary(HOUR, 15_000)
      const { dir, outside } = folders()
      const target = join(outside, 'folder')
      mkdirSync(target)
      writeFileSync(join(target, 'keep.txt'), 'keep\n')
      writeFileSync(join(outside, 'file.txt'), 'keep too\n')
      const lookalikeTarget = join(outside, 'lookalike')
      mkdirSync(lookalikeTarget)
      writeFileSync(join(lookalikeTarget, 'app.log'), laneText('app', 3))
      const old = join(dir, utcFolder(hourStart(-5), 60))
      mkdirSync(old)
      writeFileSync(join(old, 'app.log'), laneText('app', 1))
      symlinkSync(join(outside, 'file.txt'), join(old, 'db.log'))
      symlinkSync(target, join(old, 'nested'))
      const lookalike = join(dir, utcFolder(hourStart(-4), 60))
      symlinkSync(lookalikeTarget, lookalike)
      const before = snapshots([outside, lookalike])
      const run = await runFixture({
        entry,
        options: hourOptions(dir, { retention: { keep: 1 } }),
        count: 20,
        waitFor: { gone: [old], timeoutMs: 8_000 },
      })
      expectEnded(run)
      expect(snapshots([outside, lookalike])).toEqual(before)
      expect(run.outcome.waited, 'retention ran within 8 s').toBeGreaterThanOrEqual(0)
      expect(run.durationMs).toBeLessThan(ENDS_WITHIN_MS)
      expect(folderNames(dir)).toEqual([utcFolder(Date.now(), 60)])
    },
  )

  it.each(ENTRIES)(
    '%s: <dir>/current planted as a regular file with symlink: true: left alone, reported once',
    async (entry) => {
      await awayFromBoundary(HOUR, 15_000)
      const { dir } = folders()
      const current = join(dir, 'current')
      writeFileSync(current, 'not a link\n')
      const before = snapshot(current)
      const run = await runFixture({
        entry,
        options: hourOptions(dir, { symlink: true }),
        count: 20,
        settleMs: 500,
      })
      expectEndsInTime(run)
      expect(snapshot(current)).toEqual(before)
      const reports = diagnostics(run.stderr)
      expect(reports).toHaveLength(1)
      expect(reports[0]!.startsWith(`loglanes: cannot point the link ${current}`)).toBe(true)
      if (entry === 'winston') {
        expect(run.outcome.maintenanceErrors.map(({ step, path }) => [step, path])).toEqual([
          ['link', current],
        ])
      }
      const now = join(dir, utcFolder(Date.now(), 60))
      expect(seqs(join(now, 'app.log'))).toEqual(expectedSeqs(0, 20))
      expect(seqs(join(now, 'db.log'))).toEqual(expectedSeqs(1, 20))
    },
  )
})

// ---------------------------------------------------------------------------------------------------------------
// The real attack: the logging process runs as root, the attacker as uid 65534 while it runs.

const CAN_SWITCH_USERS = IS_ROOT && SETPRIV !== undefined

/** An `lstat` that answers undefined when nothing is there (never follows the last link). */
function entryAt(path: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(path)
  } catch {
    return undefined
  }
}

/** Paths the attacker chose, a root-only file, and a folder the attacker owns. */
function attackSetup(entry: Entry, scenario: string) {
  const base = tempDir('loglanes-attacked-')
  // The attacker must reach dir: the temporary folder is 0700.
  chmodSync(base, 0o755)
  const dir = join(base, 'logs')
  mkdirSync(dir)
  const secret = join(base, 'secret.txt')
  writeFileSync(secret, 'root only\n', { mode: 0o600 })
  const attackerDir = tempDir('loglanes-attacker-')
  chownSync(attackerDir, NOBODY, NOBODY)
  chmodSync(attackerDir, 0o755)
  const pwned = `/etc/loglanes-pwned-${process.pid}-${entry}-${scenario}`
  return { dir, secret, attackerDir, pwned }
}

// Skipped, and named so in the report, when the tests cannot switch users.
const describeAsRoot = CAN_SWITCH_USERS ? describe.concurrent : describe.skip

describeAsRoot(
  'the real attack: a root process logs, uid 65534 plants while it runs (needs root and setpriv; skipped otherwise)',
  () => {
    it.each(ENTRIES)(
      '%s: dir 0777 without sticky bit, interval none: the lane files are replaced by links to /etc and to a root-only file mid-run: nothing is created or appended there',
      async (entry) => {
        const { dir, secret, attackerDir, pwned } = attackSetup(entry, 'none')
        chmodSync(dir, 0o777)
        const before = snapshots([secret, attackerDir])
        try {
          const run = await runFixture({
            entry,
            options: laneOptions(dir),
            count: COUNT,
            midway: {
              attack: [
                `rm -f ${dir}/app.log`,
                `ln -s ${pwned} ${dir}/app.log`,
                `rm -f ${dir}/db.log`,
                `ln -s ${secret} ${dir}/db.log`,
              ].join(' && '),
            },
          })
          expect(entryAt(pwned)).toBeUndefined()
          expect(snapshots([secret, attackerDir])).toEqual(before)
          // The attack happened: the attacker's links are there.
          expect(run.outcome.attackError).toBeUndefined()
          for (const lane of ['app', 'db']) {
            const planted = entryAt(join(dir, `${lane}.log`))
            expect(planted?.isSymbolicLink()).toBe(true)
            expect(planted?.uid).toBe(NOBODY)
          }
          expectEndsInTime(run)
          // The records of the second half were kept, never written through the links, and counted at close.
          const reports = diagnostics(run.stderr).sort()
          expect(reports).toHaveLength(4)
          expect(reports[0]).toMatch(cannotWrite('app', join(dir, 'app.log'), 'symbolic link'))
          expect(reports[1]).toBe(lostLine('app', COUNT / 4, join(dir, 'app.log')))
          expect(reports[2]).toMatch(cannotWrite('db', join(dir, 'db.log'), 'symbolic link'))
          expect(reports[3]).toBe(lostLine('db', COUNT / 4, join(dir, 'db.log')))
        } finally {
          rmSync(pwned, { force: true })
        }
      },
    )

    it.each(ENTRIES)(
      '%s: dir 0777, interval 1h: uid 65534 made the folder of now its own, setgid to its group: nothing is written there, so no file takes the group the attacker chose',
      async (entry) => {
        await awayFromBoundary(HOUR, 15_000)
        const { dir } = attackSetup(entry, 'setgid')
        chmodSync(dir, 0o777)
        const folder = join(dir, utcFolder(Date.now(), 60))
        mkdirSync(folder)
        chownSync(folder, NOBODY, NOBODY)
        chmodSync(folder, 0o2777)
        const run = await runFixture({ entry, options: hourOptions(dir), count: COUNT })
        expectEndsInTime(run)
        expect(readdirSync(folder)).toEqual([])
        const reports = diagnostics(run.stderr).sort()
        expect(reports).toHaveLength(4)
        expect(reports[0]).toMatch(cannotWriteAt('app', inFolder(folder, 'app'), 'another user'))
        expect(reports[1]).toMatch(new RegExp(`^loglanes: lane "app" lost ${COUNT / 2} record\\(s\\) `))
        expect(reports[2]).toMatch(cannotWriteAt('db', inFolder(folder, 'db'), 'another user'))
        expect(reports[3]).toMatch(new RegExp(`^loglanes: lane "db" lost ${COUNT / 2} record\\(s\\) `))
      },
    )

    it.each(ENTRIES)(
      '%s: dir owned by uid 65534, interval 1m: the folders of this minute and the next two are planted (a link to the attacker’s folder, links to /etc and a root-only file) and the lock made a FIFO: nothing is created or appended there, the process ends',
      async (entry) => {
        const { dir, secret, attackerDir, pwned } = attackSetup(entry, 'minutes')
        chownSync(dir, NOBODY, NOBODY)
        chmodSync(dir, 0o755)
        const before = snapshots([secret, attackerDir])
        try {
          const run = await runFixture({
            entry,
            options: {
              ...laneOptions(dir),
              interval: '1m',
              retention: { keep: 2 },
              compress: 'gzip',
              symlink: true,
            },
            count: COUNT,
            midway: {
              atStart: true,
              attack: [
                `ln -s ${attackerDir} ${dir}/{m0}`,
                `for m in {m1} {m2}; do mkdir ${dir}/$m && ln -s ${pwned} ${dir}/$m/app.log && ln -s ${secret} ${dir}/$m/db.log; done`,
                `mkfifo ${dir}/.loglanes.lock`,
                'true',
              ].join('; '),
            },
          })
          expect(entryAt(pwned)).toBeUndefined()
          expect(snapshots([secret, attackerDir])).toEqual(before)
          expectEndsInTime(run)
          // The attack happened: the attacker's link and folders are there.
          expect(run.outcome.attackError).toBeUndefined()
          const [m0, m1] = run.outcome.minutes!
          expect(entryAt(join(dir, m0!))?.isSymbolicLink()).toBe(true)
          expect(entryAt(join(dir, m1!, 'app.log'))?.isSymbolicLink()).toBe(true)
          // Every record of both lanes hit a planted folder: kept, never written through, and counted at close.
          const reports = diagnostics(run.stderr)
          for (const lane of ['app', 'db']) {
            const failed = reports.filter((line) => line.startsWith(`loglanes: lane "${lane}" cannot write`))
            expect(failed).toHaveLength(1)
            expect(failed[0]).toMatch(/\bsymbolic link\b/)
            let lost = 0
            for (const line of reports) {
              const match = new RegExp(`^loglanes: lane "${lane}" lost (\\d+) record\\(s\\)`).exec(line)
              if (match) lost += Number(match[1])
            }
            expect(lost).toBe(COUNT / 2)
          }
        } finally {
          rmSync(pwned, { force: true })
        }
      },
    )
  },
)
