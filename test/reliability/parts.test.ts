import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { LaneRouter, resolveOptions } from '@loglanes/core'
import { describe, expect, it } from 'vitest'
import { readLines, tempDir } from '../support/files.js'

// maxFileSize parts shared by several writers: processes (pino's worker thread and winston) agree on the current
// part from the file system, and a lane whose file maxOpenFiles closed goes on in the right part when reopened.

const PARTS_WRITER = join(import.meta.dirname, 'fixtures/partsWriter.mjs')
const CAP = 64 * 1024

interface PartRecord {
  readonly writer: number
  readonly seq: number
}

interface PartsReport {
  /** Part sizes in bytes, part 0 first. */
  readonly sizes: number[]
  /** Each writer's seqs in the order of the parts, then of the lines in a part. */
  readonly seqs: Map<number, number[]>
  /** The longest line, newline included. */
  readonly longestLine: number
  /** Bytes by which the fullest part passed the cap (0 when none did). */
  readonly overshoot: number
  /** The most bytes one writer wrote in a row into one part (a batch, or several batches back to back). */
  readonly longestRun: number
  /**
   * The most writes one writer began in one part at or past the cap (runs of its lines starting there). A writer
   * looks at the part's size before each write, so only a write already decided when others filled the part can.
   */
  readonly mostRunsPastCap: number
}

/** The parts of `lane` in `folder`, checked to be `<lane>.log`, `<lane>.1.log`, ... with no number skipped. */
function readParts(folder: string, lane: string, cap = CAP): PartsReport {
  const names = readdirSync(folder).filter((name) => name === `${lane}.log` || name.startsWith(`${lane}.`))
  const expected = names.map((_, part) => (part === 0 ? `${lane}.log` : `${lane}.${part}.log`))
  expect(names.sort()).toEqual(expected.sort())
  const sizes: number[] = []
  const seqs = new Map<number, number[]>()
  let longestLine = 0
  let longestRun = 0
  let mostRunsPastCap = 0
  for (let part = 0; part < names.length; part++) {
    const path = join(folder, part === 0 ? `${lane}.log` : `${lane}.${part}.log`)
    sizes.push(statSync(path).size)
    let runWriter = -1
    let run = 0
    let offset = 0
    const runsPastCap = new Map<number, number>()
    // readLines checks the part ends a line; JSON.parse fails on a line split across parts or two lines glued.
    for (const text of readLines(path)) {
      const { writer, seq } = JSON.parse(text) as PartRecord
      const bytes = Buffer.byteLength(text) + 1
      longestLine = Math.max(longestLine, bytes)
      if (writer !== runWriter && offset >= cap) {
        const runs = (runsPastCap.get(writer) ?? 0) + 1
        runsPastCap.set(writer, runs)
        mostRunsPastCap = Math.max(mostRunsPastCap, runs)
      }
      run = writer === runWriter ? run + bytes : bytes
      runWriter = writer
      longestRun = Math.max(longestRun, run)
      offset += bytes
      if (!seqs.has(writer)) seqs.set(writer, [])
      seqs.get(writer)!.push(seq)
    }
  }
  return {
    sizes,
    seqs,
    longestLine,
    longestRun,
    mostRunsPastCap,
    overshoot: Math.max(0, ...sizes.map((size) => size - cap)),
  }
}

/** Starts a writer and resolves once its logger is open (it prints `ready`). */
async function startWriter(
  entry: string,
  dir: string,
  writer: number,
  records: number,
): Promise<{ child: ChildProcess; done: Promise<{ code: number | null; stderr: string }> }> {
  const options = JSON.stringify({ maxFileSize: '64KB' })
  const child = spawn(
    process.execPath,
    [PARTS_WRITER, entry, dir, String(writer), String(records), options],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  )
  let stdout = ''
  let stderr = ''
  child.stderr!.on('data', (data: Buffer) => {
    stderr += data
  })
  const done = once(child, 'exit').then(([code]) => ({ code: code as number | null, stderr }))
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (data: Buffer) => {
      stdout += data
      if (stdout.includes('ready\n')) resolve()
    })
    done.then(({ code }) =>
      reject(new Error(`writer ${writer} (${entry}) exited ${code} before ready: ${stderr}`)),
    )
  })
  return { child, done }
}

describe('maxFileSize parts shared by several processes', () => {
  it("4 processes through pino's worker and 4 through winston, 4,000 records each into one lane with maxFileSize '64KB': every record once, in order per writer across the parts, no part skipped, every part but the last full", async () => {
    const dir = tempDir()
    const WRITERS = 8
    const RECORDS = 4_000
    const writers = []
    for (let writer = 0; writer < WRITERS; writer++) {
      writers.push(await startWriter(writer < 4 ? 'pino' : 'winston', dir, writer, RECORDS))
    }
    // Every logger is open: all start logging at once.
    for (const { child } of writers) child.stdin!.end('go\n')
    const runs = await Promise.all(writers.map(({ done }) => done))
    expect(runs).toEqual(Array.from({ length: WRITERS }, () => ({ code: 0, stderr: '' })))

    const report = readParts(dir, 'app')
    // 8 x 4,000 records of about 300 bytes: about 9.6 MB, some 150 parts.
    expect(report.sizes.length).toBeGreaterThan(100)
    // Every record exactly once, in order per writer: a writer only ever moves on to a later part.
    expect([...report.seqs.keys()].sort()).toEqual(Array.from({ length: WRITERS }, (_, writer) => writer))
    for (const [writer, seqs] of report.seqs) {
      expect({ writer, seqs }).toEqual({ writer, seqs: Array.from({ length: RECORDS }, (_, seq) => seq) })
    }
    // A part is started only by a writer that found the one before too full for its next record, and parts
    // only grow: every part but the last is within one line of the cap, or past it.
    const early = report.sizes.slice(0, -1).filter((size) => size <= CAP - report.longestLine)
    expect(early).toEqual([])
    // How far a part passes the cap: a process writes into a part only the whole records that fit in the room its
    // fstat saw, so what one writer wrote in a row never passes the cap, and each writer begins at most one write
    // at or past the cap (the one it had decided before the others filled the part). A part passes the cap by at
    // most one write of each other process.
    expect(report.longestRun).toBeLessThanOrEqual(CAP)
    expect(report.mostRunsPastCap).toBeLessThanOrEqual(1)
    process.stdout.write(
      `parts: ${report.sizes.length} parts, overshoot ${report.overshoot} B, longest run ${report.longestRun} B\n`,
    )
  }, 120_000)
})

describe('a part reopened after maxOpenFiles closed it', () => {
  it("5 lanes with maxOpenFiles: 2 and maxFileSize '4KB', another router writing the same lanes meanwhile: each lane goes on in its current part, every part within the cap, every record once and in order", async () => {
    const dir = tempDir()
    const LANES = ['l0', 'l1', 'l2', 'l3', 'l4']
    const PART_CAP = 4 * 1024
    const options = { dir, domains: LANES, levelFiles: false as const, interval: 'none', maxFileSize: '4KB' }
    // Router 0 keeps 2 of its 5 lane files open: each round closes and reopens every lane file.
    const routers = [
      new LaneRouter(resolveOptions({ ...options, maxOpenFiles: 2 }, { levels: { info: 30 } }), {
        stderr: false,
      }),
      new LaneRouter(resolveOptions(options, { levels: { info: 30 } }), { stderr: false }),
    ]
    const ROUNDS = 400
    let mostOpen = 0
    const sent = [0, 0]
    for (let round = 0; round < ROUNDS; round++) {
      // Router 0: one record per lane; router 1: three records into one lane, so the lanes' parts move on while
      // router 0 has their files closed.
      for (const lane of LANES) {
        routers[0]!.route(
          0,
          'info',
          lane,
          `{"writer":0,"seq":${sent[0]!++},"lane":"${lane}","pad":"${'a'.repeat(round % 90)}"}\n`,
        )
      }
      await routers[0]!.flush()
      mostOpen = Math.max(mostOpen, routers[0]!.openFileCount)
      for (let k = 0; k < 3; k++) {
        const lane = LANES[round % 5]!
        routers[1]!.route(
          0,
          'info',
          lane,
          `{"writer":1,"seq":${sent[1]!++},"lane":"${lane}","pad":"${'b'.repeat(k * 40)}"}\n`,
        )
      }
      await routers[1]!.flush()
    }
    for (const router of routers) await router.close()
    expect(mostOpen).toBe(2)

    for (const [index, lane] of LANES.entries()) {
      const report = readParts(dir, lane, PART_CAP)
      expect(report.sizes.length).toBeGreaterThan(10)
      // One thread writes both routers' batches in turn: nothing races, so no part passes the cap at all.
      expect(Math.max(...report.sizes)).toBeLessThanOrEqual(PART_CAP)
      expect(report.sizes.slice(0, -1).filter((size) => size <= PART_CAP - report.longestLine)).toEqual([])
      expect(report.seqs.get(0)).toEqual(Array.from({ length: ROUNDS }, (_, round) => round * 5 + index))
      const ofRouter1 = Array.from({ length: ROUNDS * 3 }, (_, seq) => seq).filter(
        (seq) => Math.floor(seq / 3) % 5 === index,
      )
      expect(report.seqs.get(1)).toEqual(ofRouter1)
    }
  })
})
