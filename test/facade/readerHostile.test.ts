import { execFileSync } from 'node:child_process'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../support/files.js'
import { cli, outputLines } from './fixtures/laneLogs.js'

const FOLDER = '2026-11-20'
const RECORD = '{"level":30,"time":1763647200000,"domain":"app","msg":"kept"}\n'
const SECRET = 'the secret text no log reader may show'

/** A log folder with one real lane and, beside it, a FIFO, a link to a secret and a link to /dev/zero as lanes. */
function hostileFolder(): string {
  const dir = tempDir()
  const folder = join(dir, FOLDER)
  mkdirSync(folder, { recursive: true })
  writeFileSync(join(folder, 'app.log'), RECORD)
  execFileSync('mkfifo', [join(folder, 'db.log')])
  const secret = join(tempDir(), 'secret')
  writeFileSync(secret, `${SECRET}\n`)
  symlinkSync(secret, join(folder, 'http.log'))
  symlinkSync('/dev/zero', join(folder, 'cache.log'))
  return dir
}

describe('loglanes tail and ls in a folder with planted entries', () => {
  // The listing skips what is not a regular file; the reader's own open (no link followed, no FIFO waited on, only
  // a regular file) also covers an entry swapped in between the listing and the open.
  it('tail prints the real lane only: it never waits on a FIFO nor reads through a link', async () => {
    const dir = hostileFolder()
    const started = Date.now()
    const result = await cli(['tail', dir, '--json'])
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(outputLines(result.stdout)).toEqual([RECORD.trim()])
    expect(result.code).toBe(0)
    expect(result.stdout + result.stderr).not.toContain(SECRET)
  })

  it('ls ends at once and lists only the real lane file', async () => {
    const dir = hostileFolder()
    const started = Date.now()
    const result = await cli(['ls', dir])
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(result.code).toBe(0)
    expect(result.stdout + result.stderr).not.toContain(SECRET)
    expect(outputLines(result.stdout).filter((line) => line.includes('.log'))).toEqual([
      expect.stringMatching(/^2026-11-20 +app\.log +62 B +1$/),
    ])
  })
})
