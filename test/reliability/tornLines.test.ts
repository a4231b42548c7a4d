import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  statfsSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { tempDir, waitFor } from '../support/files.js'
import { mountTmpfs, TMPFS_UNAVAILABLE } from '../support/tmpfs.js'

const TORN_WRITER = join(import.meta.dirname, 'fixtures/tornWriter.mjs')
const FULL_DISK_WRITER = join(import.meta.dirname, 'fixtures/fullDiskWriter.mjs')
const ENTRIES = ['pino', 'winston'] as const
type Entry = (typeof ENTRIES)[number]

/** SIGKILLs of a victim per run. */
const KILLS = 30
/** Victims started ahead of their turn, so that their start-up overlaps the current victim's writing. */
const VICTIMS_AHEAD = 2
/** How long a kill waits to see a write(2) in progress in the lane file before it is sent anyway. */
const AIM_MS = 250

/** Writer processes on the small disk, and the records each logs before and after space is freed. */
const WRITERS = 4
const FIRST = 600
const SECOND = 400
/** The disk, and the filler that leaves 1 MiB of it: 4 writers x ~700 KB fill it before space is freed. */
const DISK_SIZE = '4m'
const FILLER_BYTES = 3 * 1024 * 1024

const figures: string[] = []
afterAll(() => {
  if (process.env.LOGLANES_FIGURES) console.info(figures.join('\n'))
})
if (TMPFS_UNAVAILABLE) console.warn(`tornLines: the full-disk cases are skipped: ${TMPFS_UNAVAILABLE}`)

describe.concurrent('a writer SIGKILLed again and again while another writes the same lane', () => {
  it.each(ENTRIES)(
    `%s: ${KILLS} kills in the middle of large writes damage no line of the survivor, which keeps every record once, in order`,
    async (entry) => {
      const run = await killRun(entry)
      const lines = run.text.split('\n')
      // The survivor wrote last and ended cleanly: the file ends with a line break.
      expect(lines.pop()).toBe('')
      const survivorSeqs: number[] = []
      const victimLines: string[] = []
      const broken: string[] = []
      let empty = 0
      for (const line of lines) {
        const record = parseRecord(line)
        if (line === '') empty++
        else if (typeof record?.seq === 'number') survivorSeqs.push(record.seq)
        else if (typeof record?.victim === 'number') victimLines.push(line)
        else broken.push(line)
      }
      expect(victimLines.length).toBeGreaterThan(0)
      // A line that is not a whole record may only be what a killed victim left: the start of one of its records.
      const victimShape = shapeOf(victimLines[0]!)
      expect(broken.filter((line) => !victimShape.startsWith(shapeOf(line))).map(preview)).toEqual([])
      expect(survivorSeqs).toEqual(range(run.sent))
      // The case is exercised: kills did land inside a victim's write(2) and left fragments.
      expect(broken.length).toBeGreaterThan(0)
      figures.push(
        `kills ${entry}: ${KILLS} kills (${run.aimed} aimed at a write in progress), ${broken.length} torn victim fragments, ` +
          `${victimLines.length} whole victim records, ${empty} empty lines; survivor ${run.sent} sent, ` +
          `${survivorSeqs.length} found in order; ${run.ms} ms`,
      )
    },
    120_000,
  )
})

describe
  .skipIf(TMPFS_UNAVAILABLE !== undefined)
  .concurrent(`${WRITERS} processes on a full small tmpfs, then space freed`, () => {
    it.each(ENTRIES)(
      '%s: every line is a record or the start of one, and every record is found whole once or reported lost',
      async (entry) => {
        const run = await fullDiskRun(entry)
        for (const writer of run.writers) expect(writer.code, writer.stderr).toBe(0)
        let found = 0
        let lost = 0
        let fragments = 0
        let rewritten = 0
        let empty = 0
        for (const lane of ['app', 'db'] as const) {
          const path = join(run.dir, `${lane}.log`)
          // The file may end with a fragment: a record cut while the disk was full at close.
          const lines = readFileSync(path, 'utf8').split('\n')
          if (lines.at(-1) === '') lines.pop()
          const whole = new Map<string, number>()
          const wholeLines: string[] = []
          const broken: string[] = []
          for (const line of lines) {
            const record = parseRecord(line)
            if (line === '') empty++
            else if (record === undefined) broken.push(line)
            else {
              // A whole record: in the lane of its seq, intact, and written once.
              const { w, seq, pad } = record as { w: number; seq: number; pad: string }
              expect(seq % 2 === 0 ? 'app' : 'db').toBe(lane)
              expect(pad.length).toBe(100 + ((seq * 37) % 1_900))
              const key = `${w}:${seq}`
              whole.set(key, (whole.get(key) ?? 0) + 1)
              wholeLines.push(line)
            }
          }
          expect([...whole].filter(([, times]) => times > 1)).toEqual([])
          // A record cut by the full disk is written again whole later; one cut at the very end (the disk still
          // full at close) stays a fragment and its record is among those reported lost.
          const shape = shapeOf(wholeLines[0]!)
          const orphans = broken.filter((line) => !wholeLines.some((other) => other.startsWith(line)))
          expect(orphans.filter((line) => !shape.startsWith(shapeOf(line))).map(preview)).toEqual([])
          for (const line of orphans) {
            const w = /"w":(\d+)[,}]/.exec(line)
            const seq = /"seq":(\d+)[,}]/.exec(line)
            if (w && seq) expect(whole.has(`${w[1]}:${seq[1]}`)).toBe(false)
          }
          let laneLost = 0
          for (const writer of run.writers) {
            const sent = expectedCount(writer.sent, lane)
            const foundHere = [...whole.keys()].filter((key) => key.startsWith(`${writer.id}:`)).length
            const lostHere = lostReports(writer.stderr, `${lane}.log`)
            // Exact accounting: each record this process sent to the lane is in the file or in its reports.
            expect({ writer: writer.id, lane, accounted: foundHere + lostHere }).toEqual({
              writer: writer.id,
              lane,
              accounted: sent,
            })
            found += foundHere
            laneLost += lostHere
          }
          expect(orphans.length).toBeLessThanOrEqual(laneLost)
          lost += laneLost
          fragments += broken.length
          rewritten += broken.length - orphans.length
        }
        // The case is exercised: the disk filled (each process reported it), and records were kept and written once
        // space was freed.
        const failed = run.writers.filter((writer) =>
          /^loglanes: lane "(app|db)" cannot write .*: ENOSPC/m.test(writer.stderr),
        )
        expect(failed.length).toBeGreaterThan(0)
        expect(
          run.writers.some((writer) => /^loglanes: lane "(app|db)" recovered/m.test(writer.stderr)),
        ).toBe(true)
        expect(found + lost).toBe(WRITERS * (FIRST + SECOND))
        figures.push(
          `full disk ${entry}: ${WRITERS} x ${FIRST + SECOND} sent, ${found} found whole once, ${lost} reported lost, ` +
            `${fragments} fragments (${rewritten} of records rewritten whole), ${empty} empty lines; ` +
            `${failed.length} of ${WRITERS} processes reported ENOSPC; ${run.ms} ms`,
        )
      },
      60_000,
    )
  })

interface Child {
  readonly process: ChildProcessWithoutNullStreams
  readonly stdout: string
  readonly stderr: string
  /** Resolves once the child printed `text` as a whole line; rejects if it ends first. */
  line(text: string): Promise<void>
  /** Resolves once the child ended and its output was read. */
  readonly ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

function start(args: string[]): Child {
  const child = spawn(process.execPath, args)
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (data: string) => {
    stdout += data
  })
  child.stderr.setEncoding('utf8').on('data', (data: string) => {
    stderr += data
  })
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  )
  return {
    process: child,
    get stdout() {
      return stdout
    },
    get stderr() {
      return stderr
    },
    ended,
    line: (text) => {
      const printed = new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!stdout.split('\n').slice(0, -1).includes(text)) return
          child.stdout.off('data', check)
          resolve()
        }
        child.stdout.on('data', check)
        check()
        ended.then(() =>
          reject(new Error(`${args.join(' ')} ended before printing "${text}"; stderr: ${stderr}`)),
        )
      })
      // Awaited later (or never, when the test fails first): no unhandled rejection meanwhile.
      printed.catch(() => {})
      return printed
    },
  }
}

/** Kills every child still running: a failing test leaves no process behind. */
function killAll(children: Child[]): void {
  for (const child of children) {
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL')
  }
}

async function killRun(entry: Entry): Promise<{ text: string; sent: number; aimed: number; ms: number }> {
  const began = Date.now()
  const dir = tempDir('loglanes-torn-')
  const file = join(dir, 'db.log')
  const children: Child[] = []
  const launch = (role: string) => {
    const child = start([TORN_WRITER, entry, role, dir])
    children.push(child)
    return child
  }
  try {
    const survivor = launch('survivor')
    await waitFor(() => existsSync(file), 15_000, "the survivor's first write")
    const ahead: { child: Child; started: Promise<void> }[] = []
    let launched = 0
    let aimed = 0
    for (let kill = 0; kill < KILLS; kill++) {
      while (ahead.length < VICTIMS_AHEAD && launched < KILLS) {
        const child = launch('victim')
        ahead.push({ child, started: child.line('started') })
        launched++
      }
      const victim = ahead.shift()!
      await victim.started
      const writing = victim.child.line('writing')
      victim.child.process.stdin.write('go\n')
      await writing
      if (writeInProgress(file)) aimed++
      victim.child.process.kill('SIGKILL')
      expect((await victim.child.ended).signal).toBe('SIGKILL')
    }
    survivor.process.stdin.end('stop\n')
    const { code } = await survivor.ended
    expect(code, survivor.stderr).toBe(0)
    const sent = (JSON.parse(survivor.stdout.trim()) as { sent: number }).sent
    return { text: readFileSync(file, 'utf8'), sent, aimed, ms: Date.now() - began }
  } finally {
    killAll(children)
  }
}

/**
 * Waits (busily, at most `AIM_MS`) until the lane file's last byte is not a line break: a write(2) is then in
 * progress (the size grows page by page), most likely a victim's large one, and a SIGKILL sent now cuts it.
 */
function writeInProgress(file: string): boolean {
  const fd = openSync(file, 'r')
  const last = Buffer.alloc(1)
  try {
    const deadline = Date.now() + AIM_MS
    while (Date.now() < deadline) {
      const size = fstatSync(fd).size
      if (size > 0 && readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a) return true
    }
    return false
  } finally {
    closeSync(fd)
  }
}

interface Writer {
  readonly id: number
  readonly code: number | null
  readonly stderr: string
  readonly sent: number
}

async function fullDiskRun(entry: Entry): Promise<{ dir: string; writers: Writer[]; ms: number }> {
  const began = Date.now()
  const { disk } = mountTmpfs(DISK_SIZE)
  const dir = join(disk, 'logs')
  mkdirSync(dir)
  const filler = join(disk, 'filler')
  writeFileSync(filler, Buffer.alloc(FILLER_BYTES, 0x2e))
  const children = range(WRITERS).map((id) =>
    start([FULL_DISK_WRITER, entry, dir, String(id), String(FIRST), String(SECOND)]),
  )
  try {
    await Promise.all(children.map((child) => child.line('logged')))
    await waitFor(() => statfsSync(disk).bavail === 0, 15_000, 'the disk full')
    unlinkSync(filler)
    for (const child of children) child.process.stdin.write('go\n')
    const ends = await Promise.all(children.map((child) => child.ended))
    const writers = children.map((child, id) => ({
      id,
      code: ends[id]!.code,
      stderr: child.stderr,
      sent: (JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as { sent?: number }).sent ?? 0,
    }))
    return { dir, writers, ms: Date.now() - began }
  } finally {
    killAll(children)
  }
}

/** Records a writer that sent `sent` sent to `lane`: the even `seq`s go to `app`, the odd ones to `db`. */
function expectedCount(sent: number, lane: 'app' | 'db'): number {
  return lane === 'app' ? Math.ceil(sent / 2) : Math.floor(sent / 2)
}

/** The records a process reported lost for the lane file named `file`, summed over its stderr. */
function lostReports(stderr: string, file: string): number {
  let lost = 0
  for (const match of stderr.matchAll(/^loglanes: lane "\w+" lost (\d+) record\(s\) \(.*\): (.*)$/gm)) {
    if (match[2]!.endsWith(`/${file}`)) lost += Number(match[1])
  }
  return lost
}

/** A JSON object line as a record, or undefined when the line is not one. */
function parseRecord(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

/**
 * A line with its varying parts made alike (numbers, the `#` pad), so that the start of any record of one kind
 * is a prefix of the shape of every whole record of that kind; two records glued together are not.
 */
function shapeOf(line: string): string {
  return line.replace(/\d+/g, '0').replace(/#+/g, '#')
}

/** A line short enough for a failure message. */
function preview(line: string): string {
  return line.length <= 200 ? line : `${line.slice(0, 100)} … ${line.slice(-100)} (${line.length} chars)`
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i)
}
