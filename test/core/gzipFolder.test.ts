import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { gzipFolder, scanFolder } from '@loglanes/core'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../support/files.js'
import { gunzipLines, HOUR, laneLines, leftovers } from '../support/maintenance.js'

const LATER = { now: Date.now() + HOUR }

function lines(prefix: string, count: number): string {
  let text = ''
  for (let n = 0; n < count; n++) text += `${JSON.stringify({ lane: prefix, n, pad: 'x'.repeat(n % 300) })}\n`
  return text
}

function folderWith(files: Record<string, string | Buffer>): string {
  const folder = join(tempDir(), '2026-11-20__13-00')
  mkdirSync(folder)
  for (const [name, content] of Object.entries(files)) writeFileSync(join(folder, name), content)
  return folder
}

async function compress(folder: string, options: Parameters<typeof gzipFolder>[1] = LATER) {
  return gzipFolder(await scanFolder(folder), options)
}

describe('gzipFolder', () => {
  it('turns every <lane>.log into <lane>.log.gz holding exactly its bytes, and leaves other files alone', async () => {
    const app = lines('app', 5000)
    const db = lines('db', 3)
    const folder = folderWith({ 'app.log': app, 'db.log': db, 'notes.txt': 'mine\n', 'x.log.bak': 'mine\n' })
    const result = await compress(folder)
    expect(result).toEqual({ archived: ['app', 'db'], retryAt: undefined, deferred: false })
    expect(readdirSync(folder).sort()).toEqual(['app.log.gz', 'db.log.gz', 'notes.txt', 'x.log.bak'])
    expect(`${gunzipLines(join(folder, 'app.log.gz')).join('\n')}\n`).toBe(app)
    expect(`${gunzipLines(join(folder, 'db.log.gz')).join('\n')}\n`).toBe(db)
    // Nothing left to do.
    expect((await scanFolder(folder)).lanes.size).toBe(0)
    expect(await compress(folder)).toEqual({ archived: [], retryAt: undefined, deferred: false })
  })

  it('appends late records to the archive as one more gzip member, in the order they were written', async () => {
    const first = lines('first', 1000)
    const folder = folderWith({ 'app.log': first })
    await compress(folder)
    const late = lines('late', 10)
    writeFileSync(join(folder, 'app.log'), late)
    expect(laneLines(folder, 'app')).toHaveLength(1010)
    expect((await compress(folder)).archived).toEqual(['app'])
    const later = lines('later', 1)
    writeFileSync(join(folder, 'app.log'), later)
    await compress(folder)
    expect(readdirSync(folder)).toEqual(['app.log.gz'])
    expect(`${gunzipLines(join(folder, 'app.log.gz')).join('\n')}\n`).toBe(first + late + later)
  })

  it('leaves files written within quietMs, and a folder this process has open, for a later pass', async () => {
    const folder = folderWith({ 'app.log': lines('app', 10) })
    const now = Date.now()
    const recent = await compress(folder, { now, quietMs: 60_000 })
    expect(recent.deferred).toBe(true)
    expect(recent.retryAt).toBeGreaterThan(now + 55_000)
    // The file's mtime (written before `now`) has microseconds; Date.now() drops them: compare whole milliseconds.
    expect(Math.floor(recent.retryAt!)).toBeLessThanOrEqual(now + 60_000)
    const open = await compress(folder, { ...LATER, isOpen: () => true })
    expect(open.deferred).toBe(true)
    expect(readdirSync(folder)).toEqual(['app.log'])
    const stopped = await compress(folder, { ...LATER, shouldStop: () => true })
    expect(stopped).toEqual({ archived: [], retryAt: undefined, deferred: true })
    expect(readdirSync(folder)).toEqual(['app.log'])
  })

  it('keeps a private copy that someone writes to while it is compressed, and archives it once quiet', async () => {
    const folder = folderWith({ 'app.log': lines('app', 40_000) })
    // A writer that opened the file before the pass moved it aside, and keeps writing.
    const fd = openSync(join(folder, 'app.log'), 'a')
    let written = 0
    let done = false
    const pass = compress(folder, { now: Date.now() + 1000, quietMs: 0 }).finally(() => {
      done = true
    })
    while (!done) {
      writeSync(fd, `{"late":${written++}}\n`)
      await new Promise((resolve) => setImmediate(resolve))
    }
    const result = await pass
    closeSync(fd)
    expect(written).toBeGreaterThan(0)
    expect(result.deferred).toBe(true)
    expect(result.archived).toEqual([])
    const left = readdirSync(folder)
    expect(left).toHaveLength(1)
    expect(left[0]).toMatch(/^\.app\.log\.\d+-[0-9a-f]+\.pending$/)

    expect((await compress(folder)).archived).toEqual(['app'])
    const archived = gunzipLines(join(folder, 'app.log.gz'))
    expect(archived).toHaveLength(40_000 + written)
    expect(archived.at(-1)).toBe(`{"late":${written - 1}}`)
    expect(readdirSync(folder)).toEqual(['app.log.gz'])
  })

  describe('finishes what a crashed pass left, losing and duplicating nothing', () => {
    const token = '4242-abcdef012345'
    const old = lines('old', 500)
    const moved = lines('moved', 700)
    const fresh = lines('fresh', 3)

    it('a private copy (crash after moving aside), with a fresh plain file written after it', async () => {
      const folder = folderWith({ [`.app.log.${token}.pending`]: moved, 'app.log': fresh })
      await compress(folder)
      expect(readdirSync(folder)).toEqual(['app.log.gz'])
      expect(laneLines(folder, 'app').join('\n')).toBe(`${moved}${fresh}`.slice(0, -1))
    })

    it('a private copy and a partial temporary archive (crash while compressing)', async () => {
      const partial = gzipSync(moved).subarray(0, 300)
      const folder = folderWith({
        'app.log.gz': gzipSync(old),
        [`.app.log.${token}.pending`]: moved,
        [`.app.log.gz.${token}.tmp`]: Buffer.concat([gzipSync(old), partial]),
      })
      await compress(folder)
      expect(readdirSync(folder)).toEqual(['app.log.gz'])
      expect(laneLines(folder, 'app').join('\n')).toBe(`${old}${moved}`.slice(0, -1))
    })

    it('a committing copy and its finished temporary archive (crash before renaming it in)', async () => {
      const folder = folderWith({
        'app.log.gz': gzipSync(old),
        [`.app.log.${token}.committing`]: moved,
        [`.app.log.gz.${token}.tmp`]: Buffer.concat([gzipSync(old), gzipSync(moved)]),
        'app.log': fresh,
      })
      await compress(folder)
      expect(readdirSync(folder)).toEqual(['app.log.gz'])
      expect(laneLines(folder, 'app').join('\n')).toBe(`${old}${moved}${fresh}`.slice(0, -1))
    })

    it('a committing copy already in the archive (crash before removing the copy)', async () => {
      const folder = folderWith({
        'app.log.gz': Buffer.concat([gzipSync(old), gzipSync(moved)]),
        [`.app.log.${token}.committing`]: moved,
      })
      expect((await compress(folder)).archived).toEqual(['app'])
      expect(readdirSync(folder)).toEqual(['app.log.gz'])
      expect(laneLines(folder, 'app').join('\n')).toBe(`${old}${moved}`.slice(0, -1))
    })

    it('a stray temporary archive with no private copy', async () => {
      const folder = folderWith({
        'app.log.gz': gzipSync(old),
        [`.app.log.gz.${token}.tmp`]: gzipSync(old).subarray(0, 10),
      })
      await compress(folder)
      expect(readdirSync(folder)).toEqual(['app.log.gz'])
      expect(laneLines(folder, 'app').join('\n')).toBe(old.slice(0, -1))
    })

    it('several private copies of crashed passes: archived oldest first', async () => {
      const folder = folderWith({ [`.app.log.${token}.pending`]: old })
      // Written after the first: a later crash.
      await new Promise((resolve) => setTimeout(resolve, 20))
      writeFileSync(join(folder, '.app.log.4243-abcdef012345.pending'), moved)
      await compress(folder)
      expect(readdirSync(folder)).toEqual(['app.log.gz'])
      expect(laneLines(folder, 'app').join('\n')).toBe(`${old}${moved}`.slice(0, -1))
    })
  })

  it('keeps the order of the archive: a copy that must wait holds back the newer bytes', async () => {
    const token = '4242-abcdef012345'
    const folder = folderWith({
      [`.app.log.${token}.pending`]: lines('older', 5),
      'app.log': lines('newer', 5),
    })
    const old = new Date(Date.now() - HOUR)
    utimesSync(join(folder, 'app.log'), old, old)
    const result = await compress(folder, { now: Date.now(), quietMs: 60_000 })
    expect(result).toMatchObject({ archived: [], deferred: true })
    expect(readdirSync(folder).sort()).toEqual([`.app.log.${token}.pending`, 'app.log'])
    await compress(folder)
    expect(laneLines(folder, 'app').join('\n')).toBe(`${lines('older', 5)}${lines('newer', 5)}`.slice(0, -1))
  })

  it('takes a folder that disappears (deleted by another process) as done', async () => {
    const folder = folderWith({ 'app.log': lines('app', 10) })
    const scan = await scanFolder(folder)
    writeFileSync(join(folder, 'ignored'), '')
    rmSync(folder, { recursive: true })
    const errors: unknown[] = []
    const result = await gzipFolder(scan, { ...LATER, onError: (_path, error) => errors.push(error) })
    expect(errors).toEqual([])
    expect(result.archived).toEqual([])
    expect(existsSync(folder)).toBe(false)
    expect((await scanFolder(folder)).lanes.size).toBe(0)
  })

  it('reports a lane it cannot handle and carries on with the others', async () => {
    const folder = folderWith({ 'app.log': lines('app', 10), 'db.log': lines('db', 10) })
    // An archive name taken by a folder: not loglanes' own, so the lane is left exactly as it is and reported.
    mkdirSync(join(folder, 'app.log.gz'))
    const errors: string[] = []
    const result = await compress(folder, {
      ...LATER,
      onError: (path, error) => errors.push(`${path.slice(folder.length + 1)} ${error.code}`),
    })
    expect(result.archived).toEqual(['db'])
    expect(result.deferred).toBe(true)
    expect(errors).toEqual(['app.log.gz EFTYPE'])
    expect(leftovers(folder).filter((name) => name.startsWith('.'))).toEqual([])
    expect(readFileSync(join(folder, 'app.log'), 'utf8')).toBe(lines('app', 10))
  })
})
