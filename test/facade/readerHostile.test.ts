import { execFileSync } from 'node:child_process'
import {
  appendFileSync,
  chmodSync,
  mkdirSync,
  renameSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDir, waitFor } from '../support/files.js'
import { cli, cliEnv, follow, outputLines } from './fixtures/laneLogs.js'

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

const GiB = 1024 * 1024 * 1024
const MiB = 1024 * 1024
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const record = (n: number) => `{"level":30,"time":${1763647200000 + n},"domain":"app","msg":"record ${n}"}`

/**
 * A run of `loglanes <args>` with the peak memory of its process (its maximum resident set, MiB), which a
 * preloaded module writes as the last stderr line.
 */
async function cliWithPeak(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string; peakMiB: number }> {
  const reporter = join(tempDir(), 'peak.cjs')
  writeFileSync(
    reporter,
    "process.on('exit', () => require('node:fs').writeSync(2, 'peak_kib=' + process.resourceUsage().maxRSS + '\\n'))\n",
  )
  const result = await cli(args, { env: cliEnv({ NODE_OPTIONS: `--require ${reporter}` }) })
  const match = /peak_kib=(\d+)\n$/.exec(result.stderr)
  expect(match, result.stderr).not.toBeNull()
  return { ...result, stderr: result.stderr.slice(0, match!.index), peakMiB: Number(match![1]) / 1024 }
}

const NUL_AT_0 = 'NUL bytes at byte 0: not text loglanes wrote (a hole, or binary data); the rest is skipped'

/**
 * A folder with a lane of two records and, beside it, `evil.log`: 1 GiB of holes (no disk used). Reading stops at
 * its first run of NUL bytes, which loglanes never writes (a compressing file system makes a real file look sparse too, so
 * the blocks it uses cannot tell).
 */
function sparseFolder(): { dir: string; evil: string } {
  const dir = tempDir()
  mkdirSync(join(dir, FOLDER))
  writeFileSync(join(dir, FOLDER, 'app.log'), `${record(1)}\n${record(2)}\n`)
  const evil = join(dir, FOLDER, 'evil.log')
  writeFileSync(evil, '')
  truncateSync(evil, GiB)
  // The file system must keep holes for the case to mean anything (tmpfs, ext4, xfs and btrfs do).
  expect(statSync(evil).blocks).toBe(0)
  return { dir, evil }
}

describe('loglanes tail and ls against a hostile writer of the log folder', () => {
  // The review's case: root follows a shared dir; another user renames the followed interval folder away and puts
  // a link to a folder only root may read in its place. Reading by path would go through the link.
  it('tail --follow never reads through a link put in place of a followed folder: nothing of its target is printed', async () => {
    const dir = tempDir()
    const folder = join(dir, FOLDER)
    mkdirSync(folder)
    writeFileSync(join(folder, 'app.log'), `${record(1)}\n`)
    const victim = join(tempDir(), 'root-only')
    mkdirSync(victim, { mode: 0o700 })
    chmodSync(victim, 0o700)
    // Lanes of the followed folder's names, and one more: each would be read (from its start) through the link.
    for (const lane of ['app', 'db', 'secrets']) {
      writeFileSync(join(victim, `${lane}.log`), `{"level":30,"time":1,"msg":"${SECRET} (${lane})"}\n`, {
        mode: 0o600,
      })
    }
    const tail = follow([dir, '--json'])
    await waitFor(() => tail.lines().length === 1, 10_000, 'the record there at the start')

    renameSync(folder, join(dir, '.moved'))
    symlinkSync(victim, folder)
    // Written after the swap, as a writer would: in the victim too, in the folder moved away too.
    appendFileSync(join(victim, 'app.log'), `{"level":30,"time":2,"msg":"${SECRET} (appended)"}\n`)
    appendFileSync(join(dir, '.moved', 'app.log'), `${record(2)}\n`)
    await waitFor(() => tail.stderr() !== '' || tail.lines().length > 1, 10_000, 'the report of the link')
    // Eight more polls (250 ms apart): nothing comes through the link.
    await sleep(2_000)
    tail.child.kill('SIGINT')
    const [code, signal, stderr] = await tail.exited
    // Record 2 went into the followed folder itself (moved, not replaced): a poll that had entered it before the
    // swap may still read it through the folder's descriptor. That is the real file, not the link's target.
    const printed = tail.lines()
    expect(printed.join('\n')).not.toContain(SECRET)
    expect([[record(1)], [record(1), record(2)]]).toContainEqual(printed)
    expect(stderr).toBe(
      `loglanes: cannot read ${folder}: a symbolic link is there, not a folder loglanes made (left as it is)\n`,
    )
    expect([code, signal]).toEqual([1, null])
  })

  it('tail and ls stop at the first NULs of a sparse 1 GiB lane file: well under 10 s and 200 MiB, one line on stderr', async () => {
    const { dir, evil } = sparseFolder()
    const skipped = `loglanes: cannot read ${evil}: ${NUL_AT_0}\n`
    for (const args of [
      ['tail', dir, '--json'],
      ['tail', dir],
      ['ls', dir],
    ]) {
      const started = Date.now()
      const result = await cliWithPeak(args)
      expect(Date.now() - started, args.join(' ')).toBeLessThan(10_000)
      expect(result.peakMiB, args.join(' ')).toBeLessThan(200)
      expect(result.stderr).toBe(skipped)
      expect(result.code).toBe(1)
      if (args[0] === 'ls') {
        expect(outputLines(result.stdout).filter((line) => line.includes('.log'))).toEqual([
          expect.stringMatching(new RegExp(`^2026-11-20 +app\\.log +${2 * record(1).length + 2} B +2$`)),
          expect.stringMatching(/^2026-11-20 +evil\.log +1\.0 GiB +\?$/),
        ])
      } else if (args[2] === '--json') {
        expect(outputLines(result.stdout)).toEqual([record(1), record(2)])
      } else {
        expect(outputLines(result.stdout)).toHaveLength(2)
      }
    }
  })

  it('tail --follow stops at the first NULs of a sparse file planted while it runs, saying so once, and goes on with the real lane', async () => {
    const { dir, evil } = sparseFolder()
    const late = join(dir, FOLDER, 'late.log')
    const tail = follow([dir, '--json'])
    await waitFor(() => tail.lines().length === 2, 10_000, 'the records there at the start')
    writeFileSync(late, '')
    truncateSync(late, GiB)
    appendFileSync(join(dir, FOLDER, 'app.log'), `${record(3)}\n`)
    await waitFor(() => tail.lines().length === 3, 10_000, 'the record appended')
    // Eight more polls: the sparse files are reported once each, read no further than their first chunk.
    await sleep(2_000)
    tail.child.kill('SIGINT')
    const [code, signal, stderr] = await tail.exited
    expect(tail.lines()).toEqual([record(1), record(2), record(3)])
    const sparse = (path: string) => `loglanes: cannot read ${path}: ${NUL_AT_0}\n`
    expect(stderr).toBe(sparse(evil) + sparse(late))
    expect([code, signal]).toEqual([1, null])
  })

  // A record loglanes wrote is kilobytes; a line of 20 MiB is planted (or damaged), and reading it whole would hold
  // it in memory: lines over 16 MiB are skipped up to their newline.
  it('tail skips a 20 MiB line with one warning naming the file and offset, and prints the records around it', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, FOLDER))
    const path = join(dir, FOLDER, 'app.log')
    const huge = `{"level":30,"time":1763647200005,"msg":"${'x'.repeat(20 * MiB)}"}`
    writeFileSync(path, `${record(1)}\n${huge}\n${record(2)}\n`)
    const offset = record(1).length + 1
    const result = await cliWithPeak(['tail', dir, '--json'])
    expect(outputLines(result.stdout)).toEqual([record(1), record(2)])
    expect(result.stderr).toBe(`loglanes: ${path}: skipped a line longer than 16 MiB at byte ${offset}\n`)
    expect(result.code).toBe(0)
    expect(result.peakMiB).toBeLessThan(200)
    // ls counts lines without holding them: the long one is one of 3.
    expect(outputLines((await cli(['ls', dir])).stdout)[1]).toMatch(/^2026-11-20 +app\.log +20\.0 MiB +3$/)
  })

  it('tail --follow skips a 20 MiB line appended in two writes, warning once, and prints the records around it', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, FOLDER))
    const path = join(dir, FOLDER, 'app.log')
    writeFileSync(path, `${record(1)}\n`)
    const tail = follow([dir, '--json'])
    await waitFor(() => tail.lines().length === 1, 10_000, 'the record there at the start')
    appendFileSync(path, `${record(2)}\n{"msg":"${'x'.repeat(17 * MiB)}`)
    await waitFor(() => tail.lines().length === 2, 10_000, 'the record before the long line')
    // Polls in between see the line over the cap without its end: it is skipped from there on.
    await sleep(1_000)
    appendFileSync(path, `${'y'.repeat(3 * MiB)}"}\n${record(3)}\n`)
    await waitFor(() => tail.lines().length === 3, 10_000, 'the record after the long line')
    await sleep(1_000)
    tail.child.kill('SIGINT')
    const [code, signal, stderr] = await tail.exited
    expect(tail.lines()).toEqual([record(1), record(2), record(3)])
    const offset = 2 * (record(1).length + 1)
    expect(stderr).toBe(`loglanes: ${path}: skipped a line longer than 16 MiB at byte ${offset}\n`)
    expect([code, signal]).toEqual([0, null])
  })
})
