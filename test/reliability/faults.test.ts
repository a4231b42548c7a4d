import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { listFiles, readLines, tempDir } from '../support/files.js'
import { bindFile, fillDisk, mountTmpfs, TMPFS_UNAVAILABLE } from '../support/tmpfs.js'

const FAULT_RUN = join(import.meta.dirname, 'fixtures/faultRun.mjs')
const ENTRIES = ['pino', 'winston', 'facade-pino', 'facade-winston'] as const
/** Records per run, half to `app` and half to `db` (alternating). */
const COUNT = 4_000
const IS_ROOT = process.getuid?.() === 0
/** util-linux's setpriv, to take away root's permission override (absent: the not-writable case is skipped as root). */
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path))

interface Run {
  readonly code: number | null
  readonly stderr: string
  /** What the host saw: errors from the logger, or the error thrown at start. */
  readonly outcome: { errors?: string[]; thrown?: string; deletedFolder?: string }
}

function faultRun(
  entry: string,
  scenario: string,
  dir: string,
  withoutOverride = false,
  filler?: string,
): Promise<Run> {
  const command = [process.execPath, FAULT_RUN, entry, scenario, dir, String(COUNT)]
  if (filler) command.push(filler)
  // root writes anywhere: run as root without the capability that bypasses file permissions.
  if (withoutOverride) command.unshift(SETPRIV!, '--bounding-set=-dac_override,-dac_read_search')
  return new Promise((resolve) => {
    execFile(command[0]!, command.slice(1), { timeout: 30_000 }, (error, stdout, stderr) => {
      const last = stdout.trim().split('\n').at(-1) ?? ''
      resolve({
        code: error ? (typeof error.code === 'number' ? error.code : -1) : 0,
        stderr,
        outcome: last.startsWith('{') ? JSON.parse(last) : {},
      })
    })
  })
}

/** The `seq` field of every line of a lane file, in file order. */
function seqs(path: string): number[] {
  return readLines(path).map((line) => JSON.parse(line).seq as number)
}

/** The sequence numbers a domain received: every other one, `app` the even ones. */
function expectedSeqs(domain: 'app' | 'db', from = 0): number[] {
  const out: number[] = []
  for (let seq = from; seq < COUNT; seq++) if ((seq % 2 === 0) === (domain === 'app')) out.push(seq)
  return out
}

function diagnostics(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('loglanes:'))
}

if (TMPFS_UNAVAILABLE) console.warn(`faults: the full-disk case is skipped: ${TMPFS_UNAVAILABLE}`)

/** The full-disk case needs a tmpfs of its own (root). */
const describeFullDisk = describe.skipIf(TMPFS_UNAVAILABLE !== undefined)

describeFullDisk.concurrent('a lane on a full disk (a small tmpfs, filled, freed half way)', () => {
  it.each(ENTRIES)(
    '%s: the other lane gets every line, the host stays up, one report, and the lane resumes with every line kept',
    async (entry) => {
      // Only db.log is on the full disk: the tmpfs's file is bind-mounted in its place (a real regular file; a link
      // to /dev/full would be refused, never followed), so app.log, beside it on the ordinary disk, is not held up.
      const { base, disk } = mountTmpfs('1m')
      const dir = join(base, 'logs')
      mkdirSync(dir)
      writeFileSync(join(disk, 'db.log'), '')
      writeFileSync(join(dir, 'db.log'), '')
      bindFile(join(disk, 'db.log'), join(dir, 'db.log'))
      const filler = join(disk, 'filler')
      fillDisk(filler)
      const run = await faultRun(entry, 'diskfull', dir, false, filler)
      expect(run.code).toBe(0)
      expect(run.outcome.errors ?? []).toEqual([])
      expect(seqs(join(dir, 'app.log'))).toEqual(expectedSeqs('app'))
      // Kept in memory while the disk was full, written once the filler was removed: nothing lost, in order.
      expect(seqs(join(dir, 'db.log'))).toEqual(expectedSeqs('db'))
      const reports = diagnostics(run.stderr)
      expect(reports).toHaveLength(2)
      expect(reports[0]).toMatch(/^loglanes: lane "db" cannot write .*db\.log: ENOSPC/)
      expect(reports[1]).toMatch(/^loglanes: lane "db" recovered/)
    },
  )
})

describe.concurrent('the active interval folder deleted while logging (a cleanup job)', () => {
  it.each(ENTRIES)(
    '%s: the folder and files come back holding every line sent after the deletion, none twice',
    async (entry) => {
      const dir = tempDir()
      const run = await faultRun(entry, 'deleted', dir)
      expect(run.code).toBe(0)
      const folder = run.outcome.deletedFolder
      expect(folder).toMatch(/^\d{4}-\d\d-\d\d__\d\d-00$/)
      expect(readdirSync(dir)).toEqual([folder])
      for (const domain of ['app', 'db'] as const) {
        const found = seqs(join(dir, folder!, `${domain}.log`))
        // A tail of the domain's records: from some record at or before the deletion through the last one.
        const first = found[0]!
        expect(first).toBeLessThanOrEqual(COUNT / 2 + 1)
        expect(found).toEqual(expectedSeqs(domain, first))
      }
    },
  )
})

describe.concurrent('a dir that cannot be used', () => {
  const message =
    /loglanes: option "dir" must be a folder this process can create and write; got '.*' \((EEXIST: a file, not a folder, is in the way|EACCES: permission denied)\)/

  it.each(ENTRIES)('%s: dir is a regular file: one clear error at start, no crash', async (entry) => {
    const dir = join(tempDir(), 'logs')
    const run = await faultRun(entry, 'dirfile', dir)
    expect(run.code).toBe(0)
    expectStartError(entry, run)
    expect(run.outcome.thrown ?? run.outcome.errors?.[0]).toContain(
      'EEXIST: a file, not a folder, is in the way',
    )
    expect(statSync(dir).isFile()).toBe(true)
  })

  it.skipIf(IS_ROOT && SETPRIV === undefined).each(ENTRIES)(
    '%s: dir is not writable: one clear error at start, no crash',
    async (entry) => {
      const dir = join(tempDir(), 'logs')
      mkdirSync(dir, { mode: 0o555 })
      const run = await faultRun(entry, 'readonly', dir, IS_ROOT)
      expect(run.code).toBe(0)
      expectStartError(entry, run)
      expect(run.outcome.thrown ?? run.outcome.errors?.[0]).toContain('EACCES: permission denied')
      expect(listFiles(dir)).toEqual([])
    },
  )

  function expectStartError(entry: string, run: Run): void {
    if (entry === 'pino') {
      // pino's worker fails at start; the app gets it as the transport's 'error' event.
      expect(run.outcome.errors?.[0]).toMatch(message)
    } else {
      // winston's createLogger and the facade's createLanes throw it (both backends: checked in the main thread).
      expect(run.outcome.thrown).toMatch(/^LanesConfigError: /)
      expect(run.outcome.thrown).toMatch(message)
    }
  }
})
