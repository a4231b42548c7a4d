// Invalid options reach the application in every pino mode: as the transport's 'error' event when it listens, as
// a crash with the message on stderr when it does not (pino's own behaviour). Never silence.
import { execFile } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../support/files.js'

const START_ERROR = join(import.meta.dirname, 'fixtures/startError.mjs')
const MODES = ['target', 'targets', 'targetLevel', 'dedupe', 'pipeline'] as const
const BAD_DOMAIN =
  `loglanes: option "domains" must be a name of a letter followed by up to 63 letters, digits, "_" or "-" ` +
  `(it becomes a file name); got 'a/b'`

interface Run {
  code: number
  stdout: string
  stderr: string
  ms: number
}

function run(mode: string, listen: boolean, options: object): Promise<Run> {
  const other = join(tempDir(), 'other.log')
  const started = Date.now()
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [START_ERROR, mode, listen ? 'listen' : 'crash', '10', JSON.stringify(options), other],
      { timeout: 20_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr, ms: Date.now() - started }),
    )
  })
}

/** The 'error' events the fixture printed. */
function errorEvents(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as { error: string }).error)
}

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1
}

describe('@loglanes/pino: invalid options reach the app in every pino mode', () => {
  it.each(MODES)(
    "%s: one 'error' event with the LanesConfigError message when the app listens",
    async (mode) => {
      const dir = join(tempDir(), 'logs')
      const outcome = await run(mode, true, { dir, domains: ['a/b'] })
      expect(errorEvents(outcome.stdout)).toEqual([BAD_DOMAIN])
      expect(outcome.code).toBe(0)
      expect(outcome.stderr).not.toContain('LanesConfigError')
      expect(outcome.ms).toBeLessThan(10_000)
      expect(existsSync(dir)).toBe(false)
    },
  )

  it.each(MODES)('%s: without a listener the app crashes with the message on stderr', async (mode) => {
    const dir = join(tempDir(), 'logs')
    const outcome = await run(mode, false, { dir, domains: ['a/b'] })
    expect(outcome.code).toBe(1)
    expect(occurrences(outcome.stderr, `LanesConfigError: ${BAD_DOMAIN}`)).toBe(1)
    expect(outcome.stdout).toBe('')
    expect(outcome.ms).toBeLessThan(10_000)
    expect(existsSync(dir)).toBe(false)
  })

  it.each([
    ['a misspelled option', { domian: ['db'] }, `loglanes: option "domian" is not a loglanes option`],
    ['a dir that is a file', 'file', 'EEXIST: a file, not a folder, is in the way'],
  ] as const)(
    "one target with its own level, %s: one 'error' event naming it",
    async (_name, bad, message) => {
      const base = tempDir()
      const dir = join(base, 'logs')
      if (bad === 'file') writeFileSync(dir, 'not a folder\n')
      const options = bad === 'file' ? { dir } : { dir, ...bad }
      const outcome = await run('targetLevel', true, options)
      const events = errorEvents(outcome.stdout)
      expect(events).toHaveLength(1)
      expect(events[0]).toContain(message)
      expect(outcome.code).toBe(0)
      expect(existsSync(dir)).toBe(bad === 'file')
    },
  )
})
