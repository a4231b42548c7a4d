import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { lineCounts, readLines, tempDir } from '../support/files.js'

const run = promisify(execFile)
const WRITER = join(import.meta.dirname, 'fixtures/routerWriter.mjs')

describe('several processes writing into one dir', () => {
  it('4 processes x 20,000 records: every line present once and whole', async () => {
    const dir = tempDir()
    await Promise.all([0, 1, 2, 3].map((id) => run(process.execPath, [WRITER, dir, String(id), '20000'])))
    expect(lineCounts(dir)).toEqual({
      'app.log': 40_000,
      'db.log': 40_000,
      'error.log': 20_000,
      'info.log': 60_000,
    })
    for (const file of ['app.log', 'db.log', 'error.log', 'info.log']) {
      const seen = new Set<string>()
      for (const text of readLines(join(dir, file))) {
        const record = JSON.parse(text) as { id: number; n: number; pad: string }
        expect(record.pad.length).toBe(record.n % 50 === 0 ? 9000 : record.n % 200)
        seen.add(`${record.id}:${record.n}`)
      }
      expect(seen.size).toBe(lineCounts(dir)[file])
    }
  })
})
