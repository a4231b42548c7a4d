// A logger that lives well under a second applies retention as one that lives a day: ending it finishes the
// maintenance pass that is due (issue 16.5). Before, winston and the facade on winston left all 11 folders.
import { execFile } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readLines, tempDir } from '../support/files.js'

const SHORT_LIVED = join(import.meta.dirname, 'fixtures/shortLived.mjs')
const COUNT = 500
const DAY = 86_400_000

function run(entry: string, dir: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [SHORT_LIVED, entry, dir, String(COUNT)],
      { timeout: 20_000 },
      (error, _stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stderr }),
    )
  })
}

const day = (back: number) => new Date(Date.now() - back * DAY).toISOString().slice(0, 10)

describe('short-lived loggers apply retention { keep: 1 } over 10 old day folders', () => {
  it.each(['winston', 'winston-close', 'facade-winston', 'pino', 'facade-pino'])(
    '%s: exactly the folder of now and the one before remain, every record kept',
    async (entry) => {
      const dir = join(tempDir(), 'logs')
      const outcome = await run(entry, dir)
      expect(outcome.stderr).toBe('')
      expect(outcome.code).toBe(0)
      const today = day(0)
      // The folder of now and the one before it are never deleted; the 9 older ones are.
      expect(readdirSync(dir).sort()).toEqual([day(1), today])
      expect(readLines(join(dir, today, 'app.log'))).toHaveLength(COUNT)
      expect(readLines(join(dir, day(1), 'app.log'))).toEqual(['{"old":true}'])
    },
  )
})
