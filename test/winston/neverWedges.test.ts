// winston's transport can never wedge (issue 16.5): an info object that throws while being read is written with
// what can be read, reported once, and every later record goes on; log() calls back, with or without a callback.
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { LanesTransport } from '@loglanes/winston'
import { describe, expect, it } from 'vitest'
import { readLines, tempDir } from '../support/files.js'

const THROWING_GETTER = join(import.meta.dirname, 'fixtures/throwingGetter.mjs')
const COUNT = 1000

interface Outcome {
  code: number
  stdout: string
  stderr: string
}

function run(dir: string, format: string): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [THROWING_GETTER, dir, format, String(COUNT)],
      { timeout: 20_000 },
      (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
    )
  })
}

const REPORT =
  'loglanes: a winston record could not be read whole (getter threw); what could not be read is written as ' +
  '"[Unserializable]" (reported once)'

describe('LanesTransport never wedges on a record it cannot read', () => {
  it.each(['json', 'text'])(
    '%s: two records with a throwing getter, then 1,000 more: all written, one report, endLogger resolves',
    async (format) => {
      const dir = tempDir()
      const outcome = await run(dir, format)
      expect(outcome.code).toBe(0)
      const result = JSON.parse(outcome.stdout) as { warnings: string[]; endMs: number }
      expect(result.warnings).toEqual([REPORT])
      expect(outcome.stderr).toBe(`${REPORT}\n`)
      expect(result.endMs).toBeLessThan(5_000)
      const app = readLines(join(dir, 'app.log'))
      const db = readLines(join(dir, 'db.log'))
      expect(app).toHaveLength(COUNT)
      expect(readLines(join(dir, 'info.log'))).toHaveLength(COUNT)
      expect(db).toHaveLength(2)
      expect(readLines(join(dir, 'error.log'))).toHaveLength(2)
      if (format === 'json') {
        for (const line of db) {
          expect(JSON.parse(line)).toMatchObject({
            level: 'error',
            message: 'cannot be read whole',
            domain: 'db',
            n: -1,
            secret: '[Unserializable]',
          })
        }
        expect(app.map((line) => (JSON.parse(line) as { n: number }).n)).toEqual([...Array(COUNT).keys()])
      } else {
        for (const line of db) expect(line).toContain('cannot be read whole')
        for (const line of db) expect(line).toContain('"secret":"[Unserializable]"')
      }
    },
  )

  it('log() calls back once per record, with a throwing getter or without, and works without a callback', async () => {
    const dir = tempDir()
    const transport = new LanesTransport({ dir, interval: 'none' })
    let calls = 0
    const bad = { level: 'warn', message: 'bad' }
    Object.defineProperty(bad, 'boom', {
      enumerable: true,
      get() {
        throw new Error('boom')
      },
    })
    const stderr = process.stderr.write
    process.stderr.write = () => true
    try {
      transport.log(bad, () => calls++)
      transport.log({ level: 'info', message: 'plain' }, () => calls++)
      transport.log({ level: 'info', message: 'no callback' })
    } finally {
      process.stderr.write = stderr
    }
    expect(calls).toBe(2)
    await transport.shutdown()
    expect(readLines(join(dir, 'app.log'))).toHaveLength(3)
    expect(readLines(join(dir, 'warn.log'))).toHaveLength(1)
    expect(readLines(join(dir, 'info.log'))).toHaveLength(2)
  })
})
