import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lineCounts } from '../support/files.js'

const FIXTURE = join(import.meta.dirname, 'fixtures/workerFailure.mjs')
const COUNT = 20_000
/** Records the fixture logs after the failure. */
const AFTER = 10
/** A sign of the failure later than this is not "bounded" (the fixture gives up on one after 3 s). */
const BOUND_MS = 2_000
const HANG_MS = 20_000

/** How a flush or shutdown settled in the child, and when (ms after the failure). */
interface Settled {
  readonly settled: 'resolved' | 'rejected' | 'pending'
  readonly name?: string
  readonly message?: string
  readonly dropped?: number
  readonly ms: number
}

/** What the child saw (its JSON line) and how it ended. */
interface Outcome {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly hung: boolean
  readonly ms: number
  readonly stderr: string
  readonly found: number
  readonly seen: {
    readonly errors: number
    readonly error?: { readonly message: string; readonly ms: number }
    readonly warning?: { readonly message: string; readonly ms: number }
    readonly flush?: Settled
    readonly shutdown?: Settled
  }
}

let root = ''
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'loglanes-worker-'))
})
afterAll(() => {
  rmSync(root, { recursive: true, force: true })
  if (process.env.LOGLANES_FIGURES) console.info(figures.sort().join('\n'))
})
const figures: string[] = []

function run(entry: 'pino' | 'facade', mode: string): Promise<Outcome> {
  const dir = mkdtempSync(join(root, `${entry}-${mode}-`))
  const started = Date.now()
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [FIXTURE, entry, dir, mode, String(COUNT)])
    let stdout = ''
    let stderr = ''
    let hung = false
    const guard = setTimeout(() => {
      hung = true
      child.kill('SIGKILL')
    }, HANG_MS)
    child.stdout.on('data', (data) => {
      stdout += data
    })
    child.stderr.on('data', (data) => {
      stderr += data
    })
    child.on('close', (code, signal) => {
      clearTimeout(guard)
      const counts = lineCounts(dir)
      const found = (counts['app.log'] ?? 0) + (counts['db.log'] ?? 0)
      const seen = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}')
      const outcome = { code, signal, hung, ms: Date.now() - started, stderr, found, seen }
      figures.push(`${entry} ${mode}: ${JSON.stringify({ ...outcome, stderr: stderr.split('\n')[0] })}`)
      resolve(outcome)
    })
  })
}

describe.concurrent("pino's worker thread failing: the host sees an error it can act on, never a hang", () => {
  it('pino transport, worker terminated: an error event, flush calls back with an error, the process ends', async () => {
    const outcome = await run('pino', 'terminate')
    expect(outcome.hung).toBe(false)
    expect(outcome.code).toBe(0)
    expect(outcome.seen.error).toMatchObject({ message: 'the worker thread exited' })
    expect(outcome.seen.error!.ms).toBeLessThan(BOUND_MS)
    expect(outcome.seen.flush).toMatchObject({ settled: 'rejected', message: 'the worker has exited' })
    expect(outcome.seen.flush!.ms).toBeLessThan(BOUND_MS)
    // Every line flushed before the failure is kept; the ones logged after are lost, one 'error' event each.
    expect(outcome.found).toBe(COUNT)
    expect(outcome.seen.errors).toBe(1 + AFTER)
  })

  it("pino transport, the worker throws: the error event carries the worker's own error", async () => {
    const outcome = await run('pino', 'throw')
    expect(outcome.hung).toBe(false)
    expect(outcome.code).toBe(0)
    expect(outcome.seen.error).toMatchObject({ message: 'a bug in the worker' })
    expect(outcome.seen.error!.ms).toBeLessThan(BOUND_MS)
    expect(outcome.seen.flush).toMatchObject({ settled: 'rejected' })
    expect(outcome.found).toBe(COUNT)
  })

  it('pino transport, worker terminated while a flush waits: an error event; the flush is never called back (thread-stream), the process still ends', async () => {
    const outcome = await run('pino', 'midflush')
    expect(outcome.hung).toBe(false)
    expect(outcome.code).toBe(0)
    expect(outcome.seen.error).toMatchObject({ message: 'the worker thread exited' })
    expect(outcome.seen.error!.ms).toBeLessThan(BOUND_MS)
    // thread-stream waits for the worker's read index without watching for its exit: no callback at all.
    expect(outcome.seen.flush?.settled).toBe('pending')
    expect(outcome.found).toBe(COUNT)
  })

  it("pino transport without an 'error' listener: the process crashes at once with the error (pino's default)", async () => {
    const outcome = await run('pino', 'nolistener')
    expect(outcome.hung).toBe(false)
    expect(outcome.code).toBe(1)
    expect(outcome.stderr).toContain('Error: the worker thread exited')
  })

  it('facade, worker terminated: one warning, flush and shutdown reject with WorkerFailedError, the process ends', async () => {
    const outcome = await run('facade', 'terminate')
    expect(outcome.hung).toBe(false)
    expect(outcome.code).toBe(0)
    const message =
      "loglanes: the pino transport's worker thread failed (the worker thread exited); records logged since are lost"
    expect(outcome.seen.warning).toMatchObject({ message })
    expect(outcome.seen.warning!.ms).toBeLessThan(BOUND_MS)
    expect(outcome.stderr.match(/LOGLANES_WORKER_FAILED/g)).toHaveLength(1)
    for (const settled of [outcome.seen.flush, outcome.seen.shutdown]) {
      expect(settled).toMatchObject({
        settled: 'rejected',
        name: 'WorkerFailedError',
        message,
        dropped: AFTER,
      })
      expect(settled!.ms).toBeLessThan(BOUND_MS)
    }
    expect(outcome.found).toBe(COUNT)
  })

  it('facade, worker terminated while a flush waits: flush and shutdown reject within the bound', async () => {
    const outcome = await run('facade', 'midflush')
    expect(outcome.hung).toBe(false)
    expect(outcome.code).toBe(0)
    for (const settled of [outcome.seen.flush, outcome.seen.shutdown]) {
      expect(settled).toMatchObject({ settled: 'rejected', name: 'WorkerFailedError' })
      expect(settled!.ms).toBeLessThan(BOUND_MS)
    }
    expect(outcome.found).toBeLessThanOrEqual(COUNT)
  })
})
