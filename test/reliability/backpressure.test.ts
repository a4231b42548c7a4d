import { execFile } from 'node:child_process'
import { statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readLines } from '../support/files.js'
import { bindFile, mountSlowDisk, SLOW_DISK_UNAVAILABLE } from '../support/slowDisk.js'

const SLOW_LANE = join(import.meta.dirname, 'fixtures/slowLane.mjs')
const COUNT = 60_000
/**
 * The slow lane's disk: 2 MB/s, while the db lane receives ~7 MB as fast as the producer makes it (~0.6 s for
 * 60,000 records alone on the machine, ~3 s with the other runs of this file beside it on 2 cores): the disk
 * stays the slower one even then.
 */
const BYTES_PER_SECOND = 2_000_000

interface Experience {
  readonly loggingMs: number
  readonly endMs: number
  readonly peakRssOverStartMb: number
  readonly longestStallMs: number
  readonly slowestCallMs: number
}

interface Run {
  readonly dir: string
  readonly experience: Experience
  /** How long the slow disk needed, at its rate, for what `db.log` holds. */
  readonly diskMs: number
}

/**
 * Runs the producer over a fresh slow disk: `db.log` is a file of that disk bind-mounted into `dir` (a regular
 * file, as loglanes requires), `app.log` is on the ordinary disk, and only the producer's writes are throttled.
 */
function slowLane(entry: string, env: Record<string, string> = {}): Promise<Run> {
  const slow = mountSlowDisk(BYTES_PER_SECOND)
  const dir = slow.fast
  writeFileSync(join(slow.disk, 'db.log'), '')
  writeFileSync(join(dir, 'db.log'), '')
  bindFile(join(slow.disk, 'db.log'), join(dir, 'db.log'))
  const [command, ...args] = slow.throttled([process.execPath, SLOW_LANE, entry, dir, String(COUNT)])
  return new Promise((resolve, reject) => {
    execFile(
      command!,
      args,
      { timeout: 60_000, env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`))
        else {
          const experience: Experience = JSON.parse(stdout.trim().split('\n').at(-1)!)
          const diskMs = (statSync(join(dir, 'db.log')).size / BYTES_PER_SECOND) * 1_000
          console.log(
            `backpressure ${entry}${env.PINO_SYNC ? ' (sync)' : ''}: ${JSON.stringify({ ...experience, diskMs })}`,
          )
          resolve({ dir, experience, diskMs })
        }
      },
    )
  })
}

function seqs(path: string): number[] {
  return readLines(path).map((line) => JSON.parse(line).seq as number)
}

function expectEveryLine(dir: string): void {
  const app = seqs(join(dir, 'app.log'))
  const db = seqs(join(dir, 'db.log'))
  expect(app).toHaveLength(COUNT / 2)
  expect(db).toHaveLength(COUNT / 2)
  expect(app.every((seq, i) => seq === 2 * i)).toBe(true)
  expect(db.every((seq, i) => seq === 2 * i + 1)).toBe(true)
}

/** The lane really was slower than the producer: the run lasted at least as long as the disk needed. */
function expectTheDisksPace({ experience, diskMs }: Run): void {
  expect(experience.loggingMs + experience.endMs).toBeGreaterThanOrEqual(0.9 * diskMs)
}

if (SLOW_DISK_UNAVAILABLE) console.warn(`backpressure: skipped: ${SLOW_DISK_UNAVAILABLE}`)

// A lane slower than the producers: its file is on a real slow disk (ext4 on a loop device mounted `-o sync`, the
// producer's writes to it throttled to 2 MB/s by its cgroup). Lane writes are synchronous, so the slow lane holds
// up the thread that writes: winston's producer is slowed to the disk's pace, pino's worker falls behind and its
// backlog waits in thread-stream's buffer in the app's thread.
describe
  .skipIf(SLOW_DISK_UNAVAILABLE !== undefined)
  .concurrent('backpressure: a lane slower than the producer', () => {
    it('winston: the producer is slowed to the lane, memory stays flat, nothing is lost', async () => {
      const run = await slowLane('winston')
      expectEveryLine(run.dir)
      expectTheDisksPace(run)
      // The log calls themselves waited for the disk (all but the last batch, written by `end`).
      expect(run.experience.loggingMs).toBeGreaterThanOrEqual(0.8 * run.diskMs)
      expect(run.experience.peakRssOverStartMb).toBeLessThan(64)
    })

    it("pino with `sync: true`: the producer waits on pino's 4 MiB buffer, memory stays flat, nothing is lost", async () => {
      const run = await slowLane('pino', { PINO_SYNC: '1' })
      expectEveryLine(run.dir)
      expectTheDisksPace(run)
      // The worker thread itself accounts for most of this; the backlog is not held.
      expect(run.experience.peakRssOverStartMb).toBeLessThan(128)
    })

    it('the facade on each backend: nothing is lost', async () => {
      const runs = await Promise.all([slowLane('facade-winston'), slowLane('facade-pino')])
      for (const run of runs) {
        expectEveryLine(run.dir)
        expectTheDisksPace(run)
      }
    })

    it('pino (default): the backlog is held in memory until the lane catches up, nothing is lost', async () => {
      const run = await slowLane('pino')
      expectEveryLine(run.dir)
      expectTheDisksPace(run)
    })
  })
