import { execFile, spawn } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { lineCounts, tempDir } from '../support/files.js'

const EXIT_CASE = join(import.meta.dirname, 'fixtures/exitCase.mjs')
const COUNT = 50_000
/** Records n = 0..COUNT-1 go to domain n % 3 and level n % 4, as the fixture logs them. */
const EXPECTED: Record<string, number> = {}
for (let n = 0; n < COUNT; n++) {
  for (const lane of [['app', 'db', 'http'][n % 3], ['debug', 'info', 'warn', 'error'][n % 4]]) {
    EXPECTED[`${lane}.log`] = (EXPECTED[`${lane}.log`] ?? 0) + 1
  }
}

interface Outcome {
  code: number | null
  signal: NodeJS.Signals | null
  stderr: string
}

function runCase(dir: string, mode: string, options: object = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [EXIT_CASE, dir, mode, String(COUNT), JSON.stringify(options)])
    let stderr = ''
    child.stderr.on('data', (data) => {
      stderr += data
    })
    child.stdout.on('data', (data) => {
      if (mode === 'sigterm' && String(data).includes('ready')) child.kill('SIGTERM')
    })
    child.on('close', (code, signal) => resolve({ code, signal, stderr }))
  })
}

describe('@loglanes/pino loses nothing at exit (50,000 records, exact counts in every lane)', () => {
  it.each([
    ['process.exit(0) right after the burst', 'exit', 0],
    ['an uncaught throw', 'throw', 1],
    ["SIGTERM with the app's handler calling process.exit", 'sigterm', 0],
    ['a logger that is never closed explicitly', 'natural', 0],
  ])('%s', async (_name, mode, exitCode) => {
    const dir = tempDir()
    const outcome = await runCase(dir, mode)
    expect(outcome.code).toBe(exitCode)
    expect(lineCounts(dir)).toEqual(EXPECTED)
  })

  it('fails at start with the LanesConfigError message for invalid options, without hanging', async () => {
    const dir = tempDir()
    const started = Date.now()
    const outcome = await new Promise<Outcome>((resolve) => {
      execFile(
        process.execPath,
        [EXIT_CASE, dir, 'natural', '10', '{"interval":"7m"}'],
        (error, _out, stderr) => resolve({ code: error ? (error.code as number) : 0, signal: null, stderr }),
      )
    })
    expect(outcome.code).not.toBe(0)
    expect(outcome.stderr).toContain(
      `LanesConfigError: loglanes: option "interval" must divide a day evenly (1m…24h) or be 'none'; got '7m'`,
    )
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(lineCounts(dir)).toEqual({})
  })
})
