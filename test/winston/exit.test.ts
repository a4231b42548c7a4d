import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { lineCounts, readLines, tempDir } from '../support/files.js'

const run = promisify(execFile)
const EXIT_CASE = join(import.meta.dirname, 'fixtures/exitCase.mjs')

/** Records n = 0..count-1 go to domain n % 3 and level n % 4, as the fixture logs them. */
function expected(count: number): Record<string, number> {
  const files: Record<string, number> = {}
  for (let n = 0; n < count; n++) {
    for (const lane of [['app', 'db', 'web'][n % 3], ['debug', 'info', 'warn', 'error'][n % 4]]) {
      files[`${lane}.log`] = (files[`${lane}.log`] ?? 0) + 1
    }
  }
  return files
}

async function runCase(mode: string, count: number) {
  const dir = tempDir()
  try {
    await run(process.execPath, [EXIT_CASE, dir, mode, String(count)])
    return { dir, code: 0, stderr: '' }
  } catch (error) {
    const failure = error as { code: number; stderr: string }
    return { dir, code: failure.code, stderr: failure.stderr }
  }
}

describe('@loglanes/winston loses nothing at exit', () => {
  for (const count of [5_000, 50_000]) {
    it(`${count} records, endLogger, process.exit: exact counts in every lane, 10 times`, async () => {
      for (let round = 0; round < 10; round += 2) {
        const outcomes = await Promise.all([runCase('endLogger', count), runCase('endLogger', count)])
        for (const outcome of outcomes) {
          expect(outcome.code).toBe(0)
          expect(lineCounts(outcome.dir)).toEqual(expected(count))
        }
      }
    }, 120_000)
  }

  it('process.exit right after a burst, without endLogger: the exit hook writes every accepted line', async () => {
    const outcome = await runCase('exit', 20_000)
    expect(outcome.code).toBe(0)
    expect(lineCounts(outcome.dir)).toEqual(expected(20_000))
  })

  it('handleExceptions: the crash record is on disk before winston exits the process', async () => {
    const outcome = await runCase('throw', 1000)
    expect(outcome.code).toBe(1)
    const errors = readLines(join(outcome.dir, 'error.log'))
    expect(errors).toHaveLength(expected(1000)['error.log']! + 1)
    const crash = JSON.parse(errors.at(-1)!)
    expect(crash).toMatchObject({ level: 'error', exception: true })
    expect(crash.message).toContain('boom after the burst')
    expect(crash.stack).toContain('Error: boom after the burst')
    expect(readLines(join(outcome.dir, 'app.log')).at(-1)).toContain('boom after the burst')
  })
})
