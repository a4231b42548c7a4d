import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLanes } from 'loglanes'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lineCounts } from '../support/files.js'

const FIXTURE = join(import.meta.dirname, 'fixtures/exitPath.mjs')
const COUNT = 20_000
const DOMAINS = ['app', 'db', 'web']
const LEVELS = ['debug', 'info', 'warn', 'error']
/** A child that has not ended by then is hung: it is killed and the test fails. */
const HANG_MS = 20_000

type Entry = 'pino' | 'winston' | 'facade-pino' | 'facade-winston'
const ENTRIES: readonly Entry[] = ['pino', 'winston', 'facade-pino', 'facade-winston']

/** Records n = 0..COUNT-1 go to domain n % 3 and level n % 4, as the fixture logs them. */
const EXPECTED: Record<string, number> = {}
for (let n = 0; n < COUNT; n++) {
  for (const lane of [DOMAINS[n % 3], LEVELS[n % 4]])
    EXPECTED[`${lane}.log`] = (EXPECTED[`${lane}.log`] ?? 0) + 1
}

interface Outcome {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stderr: string
  readonly hung: boolean
  /** signal-noop: whether the child was still running once every line was in its file. */
  readonly aliveAfterFlush?: boolean
  readonly counts: Record<string, number>
  /** Records found: lines of the domain lanes (each record is in exactly one). */
  readonly found: number
}

let root = ''
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'loglanes-exit-'))
})
afterAll(() => {
  rmSync(root, { recursive: true, force: true })
  if (process.env.LOGLANES_FIGURES) console.info(figureTable())
})

/** Runs the fixture; for signal modes, sends `signal` once the burst is logged. */
function run(entry: Entry, mode: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<Outcome> {
  const dir = mkdtempSync(join(root, `${entry}-${mode}-`))
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [FIXTURE, entry, dir, mode, String(COUNT), signal])
    let stderr = ''
    let aliveAfterFlush: boolean | undefined
    let hung = false
    const guard = setTimeout(() => {
      hung = true
      child.kill('SIGKILL')
    }, HANG_MS)
    child.stderr.on('data', (data) => {
      stderr += data
    })
    child.stdout.on('data', async (data: Buffer) => {
      const text = String(data)
      if (text.includes('ready')) child.kill(signal)
      if (text.includes('handled')) {
        // The app's handler kept the process: every line must land while it runs on.
        const deadline = Date.now() + 5_000
        while (writtenLines(dir) < COUNT && Date.now() < deadline) await sleep(20)
        aliveAfterFlush = child.exitCode === null && child.signalCode === null
        child.kill('SIGKILL')
      }
    })
    child.on('close', (code, signalCode) => {
      clearTimeout(guard)
      const counts = lineCounts(dir)
      resolve({ code, signal: signalCode, stderr, hung, aliveAfterFlush, counts, found: domainLines(counts) })
    })
  })
}

function domainLines(counts: Record<string, number>): number {
  return DOMAINS.reduce((sum, domain) => sum + (counts[`${domain}.log`] ?? 0), 0)
}

/** Whole lines in the domain lanes so far, while the child may be in the middle of writing one. */
function writtenLines(dir: string): number {
  let lines = 0
  for (const domain of DOMAINS) {
    const path = join(dir, `${domain}.log`)
    if (!existsSync(path)) continue
    const text = readFileSync(path)
    for (let at = text.indexOf(10); at >= 0; at = text.indexOf(10, at + 1)) lines++
  }
  return lines
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

interface Figure {
  readonly name: string
  readonly entry: Entry
  readonly outcome: Outcome
  readonly notes?: string
}
const figures: Figure[] = []

function figureTable(): string {
  const rows = figures
    .sort((a, b) => a.name.localeCompare(b.name) || ENTRIES.indexOf(a.entry) - ENTRIES.indexOf(b.entry))
    .map(({ name, entry, outcome, notes }) => {
      const exit = outcome.signal !== null ? outcome.signal : `code ${outcome.code}`
      return `| ${name} | ${entry} | ${COUNT} | ${outcome.found} | ${exit} | hang: ${outcome.hung ? 'yes' : 'no'}${notes ? `; ${notes}` : ''} |`
    })
  return [
    '| case | through | sent | found | exit | notes |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n')
}

describe.concurrent(`exit paths lose nothing (${COUNT} records, exact counts in every lane)`, () => {
  const PATHS = [
    ['process.exit(0) right after the burst', 'exit', 0],
    ['an uncaught exception right after the burst', 'throw', 1],
    ['an unhandled rejection right after the burst', 'reject', 1],
    // The script ends with the burst still pending and nothing closed, and logs more in 'beforeExit'.
    ["natural exit, the last 1,000 records logged in a 'beforeExit' handler", 'beforeExit', 0],
  ] as const
  const cases = PATHS.flatMap(([name, mode, code]) =>
    ENTRIES.map((entry) => [name, entry, mode, code] as const),
  )

  it.each(cases)('%s, through %s', async (name, entry, mode, code) => {
    const outcome = await run(entry, mode)
    figures.push({ name, entry, outcome })
    expect(outcome.hung).toBe(false)
    expect(outcome.signal).toBeNull()
    expect(outcome.code).toBe(code)
    expect(outcome.counts).toEqual(EXPECTED)
    if (mode === 'throw') expect(outcome.stderr).toContain('boom after the burst')
    if (mode === 'reject') expect(outcome.stderr).toContain('rejected after the burst')
  })
})

describe.concurrent('SIGTERM and SIGINT', () => {
  const SIGNALS = ['SIGTERM', 'SIGINT'] as const
  const BACKENDS = ['facade-pino', 'facade-winston'] as const
  const each = <T>(build: (entry: Entry, signal: NodeJS.Signals) => T) =>
    BACKENDS.flatMap((entry) => SIGNALS.map((signal) => build(entry, signal)))

  it.each(each((entry, signal) => [entry, signal]))(
    'the facade (%s), app without a handler for %s: every line written, then the process dies by the signal',
    async (entry, signal) => {
      const outcome = await run(entry, 'signal-none', signal)
      figures.push({
        name: `${signal}, app without a handler`,
        entry,
        outcome,
        notes: 'facade shuts down, re-raises',
      })
      expect(outcome.hung).toBe(false)
      expect(outcome.code).toBeNull()
      expect(outcome.signal).toBe(signal)
      expect(outcome.counts).toEqual(EXPECTED)
    },
  )

  it.each(each((entry, signal) => [entry, signal]))(
    "the facade (%s), app's %s handler calls process.exit(3): exit code 3, every line written",
    async (entry, signal) => {
      const outcome = await run(entry, 'signal-exit', signal)
      figures.push({ name: `${signal}, app handler calls process.exit(3)`, entry, outcome })
      expect(outcome.hung).toBe(false)
      expect(outcome.signal).toBeNull()
      expect(outcome.code).toBe(3)
      expect(outcome.counts).toEqual(EXPECTED)
    },
  )

  it.each(each((entry, signal) => [entry, signal]))(
    "the facade (%s), app's %s handler does nothing: the process stays up, every line written",
    async (entry, signal) => {
      const outcome = await run(entry, 'signal-noop', signal)
      figures.push({
        name: `${signal}, app handler does nothing`,
        entry,
        outcome,
        notes: `still running after the flush: ${outcome.aliveAfterFlush ? 'yes' : 'no'}; ended by the test's SIGKILL`,
      })
      expect(outcome.hung).toBe(false)
      expect(outcome.aliveAfterFlush).toBe(true)
      expect(outcome.signal).toBe('SIGKILL')
      expect(outcome.counts).toEqual(EXPECTED)
    },
  )

  // SIGTERM with a handler through pino: test/pino/exit.test.ts; both signals take the same path.
  it.each([
    ['pino', 'SIGINT'],
    ['winston', 'SIGINT'],
  ] as const)(
    "the %s transport, app's %s handler calls process.exit(3): every line written",
    async (entry, signal) => {
      const outcome = await run(entry, 'signal-exit', signal)
      figures.push({ name: `${signal}, app handler calls process.exit(3)`, entry, outcome })
      expect(outcome.hung).toBe(false)
      expect(outcome.code).toBe(3)
      expect(outcome.counts).toEqual(EXPECTED)
    },
  )

  it.each([
    ['pino', 'SIGTERM'],
    ['winston', 'SIGTERM'],
  ] as const)(
    'the %s transport, app without a handler for %s: dies by the signal (lines not yet written are lost)',
    async (entry, signal) => {
      const outcome = await run(entry, 'signal-none', signal)
      figures.push({
        name: `${signal}, app without a handler`,
        entry,
        outcome,
        notes: 'Node default: no exit hook runs; the count varies with timing',
      })
      expect(outcome.hung).toBe(false)
      expect(outcome.signal).toBe(signal)
      expect(outcome.found).toBeLessThanOrEqual(COUNT)
    },
  )
})

describe("the facade's signal listeners", () => {
  it('one listener per signal serves every facade, and goes away with the last shutdown', async () => {
    const dir = mkdtempSync(join(root, 'listeners-'))
    const before = { SIGTERM: process.listenerCount('SIGTERM'), SIGINT: process.listenerCount('SIGINT') }
    const first = createLanes({ dir, domains: ['app'], backend: 'winston', interval: 'none' })
    const second = createLanes({ dir, domains: ['app'], backend: 'winston', interval: 'none' })
    expect(process.listenerCount('SIGTERM')).toBe(before.SIGTERM + 1)
    expect(process.listenerCount('SIGINT')).toBe(before.SIGINT + 1)
    await first.shutdown()
    expect(process.listenerCount('SIGTERM')).toBe(before.SIGTERM + 1)
    await second.shutdown()
    expect(process.listenerCount('SIGTERM')).toBe(before.SIGTERM)
    expect(process.listenerCount('SIGINT')).toBe(before.SIGINT)
  })
})
