import { execFile } from 'node:child_process'
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readLines, tempDir } from '../support/files.js'
import { awayFromBoundary, folderNames, HOUR, utcFolder } from '../support/maintenance.js'

// Issue 17: retention.maxTotalSize and retention.lanes through every entry point, in child processes: the real
// pino worker transport, winston's LanesTransport and the facade on either backend.

const RETENTION_RUN = join(import.meta.dirname, 'fixtures/retentionRun.mjs')
const ENTRIES = ['pino', 'winston', 'facade-pino', 'facade-winston'] as const
/** Past hours -31 … -2: the 30 past folders; hour -1 is the one before now. */
const PAST = Array.from({ length: 30 }, (_, i) => i - 31)
const BUDGET_LINE = /^loglanes: retention cannot delete .*over retention\.maxTotalSize/gm

function hour(offset: number): number {
  return Math.floor(Date.now() / HOUR) * HOUR + offset * HOUR
}

function folderOf(offset: number): string {
  return utcFolder(hour(offset), 60)
}

/** An hour folder holding `bytes` bytes in each of the named lane files, in 100-byte lines. */
function fillFolder(dir: string, offset: number, files: Record<string, number>): void {
  const folder = join(dir, folderOf(offset))
  mkdirSync(folder, { recursive: true })
  for (const [file, bytes] of Object.entries(files)) {
    writeFileSync(join(folder, file), `${'r'.repeat(99)}\n`.repeat(bytes / 100))
  }
}

function retentionRun(entry: string, dir: string, options: object, records: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [RETENTION_RUN, entry, dir, JSON.stringify(options), String(records)],
      { timeout: 60_000 },
      (error, _stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stderr),
    )
  })
}

describe.each(ENTRIES)('%s: retention.maxTotalSize and retention.lanes', (entry) => {
  it('30 past folders of 10,000 bytes shrink under 104,000 bytes: the 8 newest stay, with now and the hour before', async () => {
    await awayFromBoundary(HOUR, 60_000)
    const dir = tempDir()
    for (const offset of [...PAST, -1]) fillFolder(dir, offset, { 'app.log': 10_000 })
    // The folder of now already holds 5,000 bytes; the 10 records the child logs add under 2,000 more. Whatever
    // part of them a pass measures, 104,000 - 10,000 - (5,000 … 7,000) leaves room for exactly 8 past folders.
    fillFolder(dir, 0, { 'app.log': 5_000 })
    const stderr = await retentionRun(entry, dir, { retention: { maxTotalSize: 104_000 } }, 10)
    expect(folderNames(dir)).toEqual([-9, -8, -7, -6, -5, -4, -3, -2, -1, 0].map(folderOf))
    const appLines = readLines(join(dir, folderOf(0), 'app.log'))
    expect(appLines).toHaveLength(60)
    expect(appLines.filter((line) => line.includes('"kept"'))).toHaveLength(10)
    expect(stderr.match(BUDGET_LINE)).toBeNull()
  })

  it('the folder of now and the one before alone over the budget: both stay whole, every past folder goes, reported once', async () => {
    await awayFromBoundary(HOUR, 60_000)
    const dir = tempDir()
    for (const offset of PAST) fillFolder(dir, offset, { 'app.log': 1_000 })
    fillFolder(dir, -1, { 'app.log': 20_000 })
    fillFolder(dir, 0, { 'app.log': 20_000 })
    const stderr = await retentionRun(entry, dir, { retention: { maxTotalSize: '16KB' } }, 10)
    expect(folderNames(dir)).toEqual([-1, 0].map(folderOf))
    expect(readLines(join(dir, folderOf(-1), 'app.log'))).toHaveLength(200)
    expect(readLines(join(dir, folderOf(0), 'app.log'))).toHaveLength(210)
    expect(stderr.match(BUDGET_LINE)).toHaveLength(1)
  })

  it('per-lane ages: debug (3h) shorter and audit (20h) longer than the folder-wide 10h', async () => {
    await awayFromBoundary(HOUR, 60_000)
    const dir = tempDir()
    const lanes = { 'app.log': 1_000, 'audit.log': 1_000, 'debug.log': 1_000, 'debug.1.log': 1_000 }
    for (const offset of [...PAST, -1]) fillFolder(dir, offset, lanes)
    const retention = { maxAge: '10h', lanes: { debug: { maxAge: '3h' }, audit: { maxAge: '20h' } } }
    await retentionRun(entry, dir, { domains: ['app', 'audit', 'debug'], retention }, 10)
    // Hour -j ended (j - 1) h and a fraction ago. -31 … -21: past audit's 20 h too, gone whole (11 folders).
    expect(folderNames(dir)).toEqual([...PAST.slice(11), -1, 0].map(folderOf))
    const files = (offset: number) => readdirSync(join(dir, folderOf(offset))).sort()
    // -20 … -11: past the folder-wide 10 h, audit's files alone stay (10 folders).
    for (let offset = -20; offset <= -11; offset++) expect(files(offset)).toEqual(['audit.log'])
    // -10 … -4: within 10 h, but past debug's 3 h: debug's files (both parts) are gone (7 folders).
    for (let offset = -10; offset <= -4; offset++) expect(files(offset)).toEqual(['app.log', 'audit.log'])
    for (const offset of [-3, -2, -1])
      expect(files(offset)).toEqual(['app.log', 'audit.log', 'debug.1.log', 'debug.log'])
    expect(readLines(join(dir, folderOf(-15), 'audit.log'))).toHaveLength(10)
    for (const lane of ['app', 'audit', 'debug'])
      expect(readLines(join(dir, folderOf(0), `${lane}.log`))).toHaveLength(10)
  })
})
