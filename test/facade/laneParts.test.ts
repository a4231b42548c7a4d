// `loglanes ls` and `loglanes tail` on lanes capped by maxFileSize: the parts (`db.log`, `db.1.log`, ... and their
// `.gz` archives) are the lane's files, listed and read part by part, never taken for lanes of their own.
import { appendFileSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { gzipFolder, scanFolder } from '@loglanes/core'
import { describe, expect, it } from 'vitest'
import { tempDir, waitFor } from '../support/files.js'
import { cli, follow, outputLines, type PinoRecord, writePinoLanes } from './fixtures/laneLogs.js'

const T0 = Date.UTC(2026, 10, 20, 14, 0, 0)
const FOLDER = '2026-11-20__14-00'
// About 200 B a line: a 2 KiB cap makes a part of each 9 or 10 records.
const CAP = 2048
const RECORDS = 180

/** Record i: db for two of three, app for the rest; a second apart, so time order is record order. */
function records(count: number, from = 0): PinoRecord[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k
    return {
      time: T0 + i * 1000,
      domain: i % 3 === 2 ? 'app' : 'db',
      level: 'info' as const,
      fields: { n: i, pad: 'p'.repeat(100) },
      msg: `record ${i}`,
    }
  })
}

/** The `n` of each JSON line printed. */
const numbers = (stdout: string) => outputLines(stdout).map((line) => (JSON.parse(line) as { n: number }).n)

/** A capped lane folder as pino writes it: db in about 12 parts, app in about 6. */
async function cappedFolder(): Promise<string> {
  const dir = tempDir()
  await writePinoLanes(
    dir,
    { domains: ['app', 'db'], levelFiles: false, maxFileSize: CAP, interval: '1h' },
    records(RECORDS),
  )
  return dir
}

/** The part files of `lane` in the folder, in part order. */
function partsOf(dir: string, lane: string, suffix = '.log'): string[] {
  const part = (name: string) => Number(/\.(\d+)\.log/.exec(name)?.[1] ?? 0)
  return readdirSync(join(dir, FOLDER))
    .filter(
      (name) =>
        name === `${lane}${suffix}` || new RegExp(`^${lane}\\.\\d+${suffix.replace('.', '\\.')}$`).test(name),
    )
    .sort((a, b) => part(a) - part(b))
}

describe('loglanes ls and tail on a lane in parts (maxFileSize)', () => {
  it('ls lists every part in part order (db.10.log after db.9.log) with its size and line count', async () => {
    const dir = await cappedFolder()
    const db = partsOf(dir, 'db')
    // The fixture means something: enough parts that text order and part order differ.
    expect(db.length).toBeGreaterThanOrEqual(10)
    const result = await cli(['ls', dir])
    expect(result).toMatchObject({ code: 0, stderr: '' })
    const rows = outputLines(result.stdout)
      .slice(1)
      .map((line) => line.trim().split(/ {2,}/))
      .filter((cells) => cells[0] === FOLDER)
    const expected = [...partsOf(dir, 'app'), ...db].map((name) => {
      const text = readFileSync(join(dir, FOLDER, name), 'utf8')
      return [FOLDER, name, sizeText(text.length), String(outputLines(text).length)]
    })
    expect(rows).toEqual(expected)
    expect(outputLines(result.stdout).at(-1)).toBe(
      `1 folder, ${expected.length} files, ${totalSize(dir)}, ${RECORDS} lines`,
    )
  })

  it('tail prints every record once, in order, from plain parts and from compressed parts alike', async () => {
    const dir = await cappedFolder()
    const plain = await cli(['tail', dir, '--json'])
    expect(plain).toMatchObject({ code: 0, stderr: '' })
    expect(numbers(plain.stdout)).toEqual(Array.from({ length: RECORDS }, (_, i) => i))

    // loglanes' own compression of the closed folder: db.log.gz, db.1.log.gz, ...
    await gzipFolder(await scanFolder(join(dir, FOLDER)), { quietMs: 0 })
    expect(partsOf(dir, 'db', '.log')).toEqual([])
    expect(partsOf(dir, 'db', '.log.gz').length).toBeGreaterThanOrEqual(10)
    const archived = await cli(['tail', dir, '--json'])
    expect(archived).toMatchObject({ code: 0, stderr: '' })
    expect(numbers(archived.stdout)).toEqual(Array.from({ length: RECORDS }, (_, i) => i))

    // --domain reads only that lane's parts; a part is no lane of its own.
    const db = await cli(['tail', dir, '--json', '--domain', 'db'])
    expect(numbers(db.stdout)).toEqual(
      Array.from({ length: RECORDS }, (_, i) => i).filter((i) => i % 3 !== 2),
    )
    const noPartLane = await cli(['tail', dir, '--json', '--domain', 'db.1'])
    expect(noPartLane.code).toBe(1)
    expect(noPartLane.stderr).toContain("no lane named 'db.1'")
  })

  it('tail --follow prints records appended to the last part and to a new part, each once', async () => {
    const dir = await cappedFolder()
    const tail = follow([dir, '--json'])
    await waitFor(() => tail.lines().length === RECORDS, 10_000, 'the records there at the start')
    const db = partsOf(dir, 'db')
    const last = db.at(-1)!
    const lineOf = (i: number) =>
      `${JSON.stringify({ level: 30, time: T0 + i * 1000, domain: 'db', n: i, msg: `record ${i}` })}\n`
    // As another process's batch would: one more line in the last part, then a part of its own.
    appendFileSync(join(dir, FOLDER, last), lineOf(RECORDS))
    const next = `db.${db.length}.log`
    appendFileSync(join(dir, FOLDER, next), lineOf(RECORDS + 1) + lineOf(RECORDS + 2))
    await waitFor(() => tail.lines().length === RECORDS + 3, 10_000, 'the three records appended')
    // Eight more polls: nothing is printed twice.
    await sleep(2_000)
    tail.child.kill('SIGINT')
    const [code, signal, stderr] = await tail.exited
    expect([code, signal, stderr]).toEqual([0, null, ''])
    expect(numbers(`${tail.lines().join('\n')}\n`)).toEqual(Array.from({ length: RECORDS + 3 }, (_, i) => i))
  })
})

/** `loglanes ls`'s total size of the folder's lane files. */
function totalSize(dir: string): string {
  let bytes = 0
  for (const name of readdirSync(join(dir, FOLDER))) bytes += readFileSync(join(dir, FOLDER, name)).length
  return sizeText(bytes)
}

/** As `loglanes ls` writes a size: `812 B`, `1.5 KiB`. */
function sizeText(bytes: number): string {
  return bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} B`
}
