import { execFile } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { gzipFolder, LaneRouter, type RecordsDroppedEvent, resolveOptions, scanFolder } from '@loglanes/core'
import { describe, expect, it } from 'vitest'
import { listFiles, readLines, tempDir, waitFor } from '../support/files.js'
import { fillDisk, mountTmpfs, TMPFS_UNAVAILABLE } from '../support/tmpfs.js'

const BOUNDS_RUN = join(import.meta.dirname, 'fixtures/boundsRun.mjs')
const ENTRIES = ['pino', 'winston', 'facade-pino', 'facade-winston'] as const
const MiB = 1024 * 1024
/** Thirty domain lanes, `d00` to `d29`. */
const DOMAINS = Array.from({ length: 30 }, (_, i) => `d${String(i).padStart(2, '0')}`)

interface Run {
  readonly code: number | null
  readonly stderr: string
  readonly outcome: {
    arrayBuffers?: number
    maxRssKiB?: number
    appErrors?: string[]
    mostLaneFiles?: number
    mostUnderDir?: number
  }
}

/** Runs the fixture in a child; with `maxFiles`, under `ulimit -n <maxFiles>` (through `sh`, exec'ing node). */
function boundsRun(
  entry: string,
  scenario: string,
  dir: string,
  options: object,
  gc = false,
  maxFiles?: number,
): Promise<Run> {
  const args = [BOUNDS_RUN, entry, scenario, dir, JSON.stringify(options)]
  if (gc) args.unshift('--expose-gc')
  args.unshift(process.execPath)
  const command =
    maxFiles === undefined ? args : ['/bin/sh', '-c', `ulimit -n ${maxFiles}; exec "$@"`, 'sh', ...args]
  return new Promise((resolve) => {
    execFile(
      command[0]!,
      command.slice(1),
      { timeout: 60_000, maxBuffer: 64 * MiB },
      (error, stdout, stderr) => {
        const last = stdout.trim().split('\n').at(-1) ?? ''
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : -1) : 0,
          stderr,
          outcome: last.startsWith('{') ? JSON.parse(last) : {},
        })
      },
    )
  })
}

/** The records each `lost N record(s) (<reason>…` stderr line reports, summed by the reason's first words. */
function lostByReason(stderr: string): { refused: number; atClose: number; lines: number } {
  const lost = { refused: 0, atClose: 0, lines: 0 }
  for (const match of stderr.matchAll(/^loglanes: lane "\w+" lost (\d+) record\(s\) \((.*)\): /gm)) {
    lost.lines++
    if (match[2]!.startsWith('refused while the lane was failing')) lost.refused += Number(match[1])
    else if (match[2] === 'could not be written before close') lost.atClose += Number(match[1])
    else throw new Error(`unexpected reason: ${match[2]}`)
  }
  return lost
}

describe('bounded memory: what failing lanes hold is capped across every lane of a router', () => {
  it('30 lanes that cannot write hold 64 MiB together, refuse and count the rest, and write what they held once they can', async () => {
    const dir = tempDir()
    // A folder in each lane file's place: every lane fails (EISDIR) until the folders are removed.
    for (const lane of DOMAINS) mkdirSync(join(dir, `${lane}.log`))
    const router = new LaneRouter(
      resolveOptions(
        { dir, domains: DOMAINS, levelFiles: false, interval: 'none' },
        { levels: { info: 30 } },
      ),
      { stderr: false },
    )
    const dropped: RecordsDroppedEvent[] = []
    const recovered = new Set<string>()
    router.on('recordsDropped', (event) => dropped.push(event))
    router.on('laneRecovered', (event) => recovered.add(event.lane))
    // 90,000 records of exactly 1,024 bytes (87.9 MiB), round robin: the first 65,536 fill the 64 MiB exactly.
    const COUNT = 90_000
    const KEPT = (64 * MiB) / 1024
    for (let seq = 0; seq < COUNT; seq++) {
      const head = `{"seq":${seq},"pad":"`
      const line = Buffer.from(`${head}${'p'.repeat(1024 - head.length - 3)}"}\n`)
      expect(line.length).toBe(1024)
      router.routeBytes(0, 'info', DOMAINS[seq % 30], line)
    }
    expect(router.heldSize).toBe(64 * MiB)
    for (const lane of DOMAINS) rmdirSync(join(dir, `${lane}.log`))
    await waitFor(() => recovered.size === 30, 10_000, 'every lane recovered')
    expect(router.heldSize).toBe(0)
    await router.close()

    let found = 0
    for (const [i, lane] of DOMAINS.entries()) {
      const seqs = readLines(join(dir, `${lane}.log`)).map((text) => JSON.parse(text).seq as number)
      const expected: number[] = []
      for (let seq = i; seq < KEPT; seq += 30) expected.push(seq)
      expect(seqs).toEqual(expected)
      found += seqs.length
    }
    expect(found).toBe(KEPT)
    // One report per lane, at its recovery, counting exactly what it refused.
    expect(dropped).toHaveLength(30)
    expect(dropped.reduce((sum, event) => sum + event.records, 0)).toBe(COUNT - KEPT)
    for (const event of dropped) {
      expect(event.reason).toBe(
        'refused while the lane was failing: the bytes held for every lane that cannot write reached maxHeldSize (64 MiB)',
      )
    }
  })
})

describe.concurrent('a batch grown by a huge record shrinks back once it is written', () => {
  // winston runs in the app's thread, where the test can see its buffers; pino's worker shares this code.
  it.each(['winston', 'facade-winston'])(
    '%s: two 50 MB records to app.log and info.log, then less than 16 MiB of buffers left',
    async (entry) => {
      const dir = tempDir()
      const run = await boundsRun(entry, 'huge', dir, {}, true)
      expect(run.code).toBe(0)
      expect(run.stderr).toBe('')
      // Before: each lane kept its 52 MB batch until its folder closed (104,874,347 bytes here, 2 lanes).
      expect(run.outcome.arrayBuffers).toBeLessThan(16 * MiB)
      for (const file of ['app.log', 'info.log']) {
        const lines = readLines(join(dir, file))
        expect(lines.map((text) => JSON.parse(text).n)).toEqual([1, 2])
        for (const text of lines) expect(JSON.parse(text).pad).toHaveLength(50 * MiB)
      }
    },
    60_000,
  )
})

if (TMPFS_UNAVAILABLE) console.warn(`bounds: the full-disk case is skipped: ${TMPFS_UNAVAILABLE}`)

describe.skipIf(TMPFS_UNAVAILABLE !== undefined)(
  '30 lanes on a full disk (a filled tmpfs) with 160 MB logged',
  () => {
    /**
     * 180,000 records of about 1 KB round robin over the 30 lanes, with 16 MiB held at most. Without the cap every
     * byte stays in memory: with `maxHeldSize: '1GB'` pino's peak RSS rose by about 230 MiB here, far past the
     * bound. A peak RSS also moves by tens of MiB from run to run (V8's heap grows with the machine's load: CI once
     * saw +66 MiB for 90,000 records that rise by 0-26 MiB on a quiet machine), so a rise over the bound is measured
     * once more and the smaller of the two is compared: a real hold exceeds it every time.
     */
    const RECORDS = 180_000
    const held = { domains: DOMAINS, levelFiles: false, maxHeldSize: '16MB', records: RECORDS, size: 900 }
    const BOUND = 16 * MiB + 48 * MiB

    /** A run on a free disk (every record found) and one on a full disk: the rise of peak RSS between them. */
    async function riseOnFullDisk(entry: string): Promise<number> {
      const free = tempDir()
      const baseline = await boundsRun(entry, 'held', free, held)
      expect(baseline.code).toBe(0)
      expect(baseline.stderr).toBe('')
      expect(listFiles(free)).toHaveLength(30)
      const found = DOMAINS.reduce((sum, lane) => sum + readLines(join(free, `${lane}.log`)).length, 0)
      expect(found).toBe(RECORDS)

      const { disk } = mountTmpfs('1m')
      const dir = join(disk, 'logs')
      mkdirSync(dir)
      fillDisk(join(disk, 'filler'))
      const run = await boundsRun(entry, 'held', dir, held)
      expect(run.code).toBe(0)
      const lost = lostByReason(run.stderr)
      // Each lane: refused beyond the cap (reported at close), then what it held (reported lost at close).
      expect(lost.lines).toBe(60)
      expect(lost.refused).toBeGreaterThan(0)
      expect(lost.refused + lost.atClose).toBe(RECORDS)
      return (run.outcome.maxRssKiB! - baseline.outcome.maxRssKiB!) * 1024
    }

    it.each(ENTRIES)(
      "%s: maxHeldSize '16MB': peak RSS at most 16 MiB (+48 MiB) above the same run on a free disk; every record found or reported lost",
      async (entry) => {
        let rise = await riseOnFullDisk(entry)
        if (rise >= BOUND) rise = Math.min(rise, await riseOnFullDisk(entry))
        expect(rise).toBeLessThan(BOUND)
      },
      180_000,
    )
  },
)

describe.concurrent('1,100 domains under ulimit -n 1024 (maxOpenFiles 256 by default)', () => {
  /** `d0000` to `d1099`: more lanes than the process may open files. */
  const domains = Array.from({ length: 1_100 }, (_, i) => `d${String(i).padStart(4, '0')}`)
  const COUNT = 11_000

  it.each(ENTRIES)(
    '%s: no EMFILE for the app (files, a listening socket, connections) or a lane, at most 256 lane files open, every record once in order',
    async (entry) => {
      const dir = tempDir()
      const run = await boundsRun(
        entry,
        'domains',
        dir,
        { domains, levelFiles: false, records: COUNT },
        false,
        1024,
      )
      expect(run.code).toBe(0)
      // Before: lanes met EMFILE ("cannot write …: EMFILE: too many open files") and 980-998 lane files were open.
      expect(run.stderr).toBe('')
      expect(run.outcome.appErrors).toEqual([])
      expect(run.outcome.mostLaneFiles).toBe(256)
      expect(listFiles(dir)).toHaveLength(1_100)
      for (const [i, lane] of domains.entries()) {
        const seqs = readLines(join(dir, `${lane}.log`)).map((text) => JSON.parse(text).seq as number)
        expect(seqs).toEqual(Array.from({ length: COUNT / 1_100 }, (_, round) => round * 1_100 + i))
      }
    },
    60_000,
  )
})

describe('records over 2,000 past hours under ulimit -n 256 (winston timestamps the app set)', () => {
  it('winston: no EMFILE for the app or a lane, at most 16 folders and 64 lane files open, every record in its hour', async () => {
    const dir = tempDir()
    const HOURS = 2_000
    const options = { levelFiles: false, interval: '1h', maxOpenFiles: 64, records: 4_000, size: HOURS }
    const run = await boundsRun('winston', 'hours', dir, options, false, 256)
    expect(run.code).toBe(0)
    // Before: one descriptor per folder, kept until the folder's grace period ended: the lanes met EMFILE.
    expect(run.stderr).toBe('')
    expect(run.outcome.appErrors).toEqual([])
    expect(run.outcome.mostLaneFiles).toBeLessThanOrEqual(64)
    expect(run.outcome.mostUnderDir).toBeLessThanOrEqual(64 + 16)
    const folders = readdirSync(dir).filter((name) => /^\d{4}-\d{2}-\d{2}__\d{2}-00$/.test(name))
    expect(folders).toHaveLength(HOURS)
    let found = 0
    for (const folder of folders) {
      const seqs = readLines(join(dir, folder, 'app.log')).map((text) => JSON.parse(text).seq as number)
      // Each hour holds two records, HOURS apart, in order.
      expect(seqs).toHaveLength(2)
      expect(seqs[1]! - seqs[0]!).toBe(HOURS)
      found += seqs.length
    }
    expect(found).toBe(4_000)
  }, 60_000)
})

describe.concurrent('maxFileSize: a lane goes on in <lane>.1.log, <lane>.2.log, ...', () => {
  const CAP = 64 * 1024
  const COUNT = 5_000
  const HUGE = 100 * 1024

  it.each(ENTRIES)(
    "%s: 5,000 records with maxFileSize '64KB': every record once, in order across the parts, each part within the cap, the one larger record alone in its part",
    async (entry) => {
      const dir = tempDir()
      const options = { levelFiles: false, maxFileSize: '64KB', records: COUNT, size: HUGE }
      const run = await boundsRun(entry, 'parts', dir, options)
      expect(run.code).toBe(0)
      expect(run.stderr).toBe('')
      const names = listFiles(dir)
      const parts = names.length
      expect(parts).toBeGreaterThan(30)
      expect(names.sort()).toEqual(
        Array.from({ length: parts }, (_, part) => (part === 0 ? 'app.log' : `app.${part}.log`)).sort(),
      )
      const seqs: number[] = []
      let alone = 0
      const sizes: number[] = []
      for (let part = 0; part < parts; part++) {
        const path = join(dir, part === 0 ? 'app.log' : `app.${part}.log`)
        const lines = readLines(path)
        const size = statSync(path).size
        const records = lines.map((text) => JSON.parse(text) as { seq: number; pad: string })
        if (records.some((record) => record.pad.length === HUGE)) {
          expect(records).toHaveLength(1)
          expect(size).toBeGreaterThan(CAP)
          alone++
        } else {
          expect(size).toBeLessThanOrEqual(CAP)
        }
        sizes.push(size)
        seqs.push(...records.map((record) => record.seq))
      }
      expect(alone).toBe(1)
      // A part ends only when the next record does not fit (at most ~700 bytes), or before the larger record.
      const early = sizes.filter((size, part) => part < parts - 1 && size <= CAP - 1_000)
      expect(early.length).toBeLessThanOrEqual(1)
      expect(seqs).toEqual(Array.from({ length: COUNT }, (_, seq) => seq))
    },
    60_000,
  )
})

describe('parts are compressed as lane files', () => {
  it('gzipFolder makes db.log.gz, db.1.log.gz and db.2.log.gz, each holding its part', async () => {
    const folder = join(tempDir(), '2026-11-20')
    mkdirSync(folder)
    const parts = ['db.log', 'db.1.log', 'db.2.log']
    for (const [part, name] of parts.entries()) writeFileSync(join(folder, name), `{"part":${part}}\n`)
    const scan = await scanFolder(folder)
    expect([...scan.lanes.keys()].sort()).toEqual(['db', 'db.1', 'db.2'])
    await gzipFolder(scan, { quietMs: 0 })
    expect(listFiles(folder)).toEqual(['db.1.log.gz', 'db.2.log.gz', 'db.log.gz'])
    for (const [part, name] of parts.entries()) {
      expect(gunzipSync(readFileSync(join(folder, `${name}.gz`))).toString()).toBe(`{"part":${part}}\n`)
    }
  })
})
