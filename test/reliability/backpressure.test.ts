import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readLines, tempDir } from '../support/files.js'

const SLOW_LANE = join(import.meta.dirname, 'fixtures/slowLane.mjs')
const COUNT = 60_000
/** The slow lane's disk: 4 MB/s, while the db lane receives ~7 MB as fast as the producer makes it. */
const BYTES_PER_SECOND = 4_000_000

interface Experience {
  readonly loggingMs: number
  readonly endMs: number
  readonly peakRssOverStartMb: number
  readonly longestStallMs: number
  readonly slowestCallMs: number
}

function slowLane(entry: string, dir: string, env: Record<string, string> = {}): Promise<Experience> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [SLOW_LANE, entry, dir, String(COUNT), String(BYTES_PER_SECOND)],
      { timeout: 60_000, env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`))
        else resolve(JSON.parse(stdout.trim().split('\n').at(-1)!))
      },
    )
  })
}

function seqs(path: string): number[] {
  return readLines(path).map((line) => JSON.parse(line).seq as number)
}

function expectEveryLine(dir: string): void {
  const app = seqs(join(dir, 'app.log'))
  const db = seqs(join(dir, 'db.copy'))
  expect(app).toHaveLength(COUNT / 2)
  expect(db).toHaveLength(COUNT / 2)
  expect(app.every((seq, i) => seq === 2 * i)).toBe(true)
  expect(db.every((seq, i) => seq === 2 * i + 1)).toBe(true)
}

// A lane slower than the producers (its file is a named pipe drained at a fixed rate). Lane writes are
// synchronous, so the slow lane holds up the thread that writes: winston's producer is slowed to the disk's pace,
// pino's worker falls behind and its backlog waits in thread-stream's buffer in the app's thread.
describe.concurrent('backpressure: a lane slower than the producer', () => {
  it('winston: the producer is slowed to the lane, memory stays flat, nothing is lost', async () => {
    const dir = tempDir()
    const experience = await slowLane('winston', dir)
    expectEveryLine(dir)
    expect(experience.peakRssOverStartMb).toBeLessThan(64)
  })

  it("pino with `sync: true`: the producer waits on pino's 4 MiB buffer, memory stays flat, nothing is lost", async () => {
    const dir = tempDir()
    const experience = await slowLane('pino', dir, { PINO_SYNC: '1' })
    expectEveryLine(dir)
    // The worker thread itself accounts for most of this; the backlog is not held.
    expect(experience.peakRssOverStartMb).toBeLessThan(128)
  })

  it('the facade on each backend: nothing is lost', async () => {
    const dirs = [tempDir(), tempDir()]
    await Promise.all([slowLane('facade-winston', dirs[0]!), slowLane('facade-pino', dirs[1]!)])
    for (const dir of dirs) expectEveryLine(dir)
  })

  it('pino (default): the backlog is held in memory until the lane catches up, nothing is lost', async () => {
    const dir = tempDir()
    await slowLane('pino', dir)
    expectEveryLine(dir)
  })
})
